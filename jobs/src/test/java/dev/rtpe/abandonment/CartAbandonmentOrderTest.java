package dev.rtpe.abandonment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.Events;

/**
 * Within the out-of-orderness bound the cart is exact: shopper stories delivered in every arrival
 * order whose events are all after the watermark when they arrive give the same records, field for
 * field, as the in-order run, and as a run whose watermark lags until the very end. And where a
 * story ends, nothing is left but what the README says outlives a cart.
 */
class CartAbandonmentOrderTest {
    private static final long T = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;
    private static final long DAY = 24 * HOUR;

    /** Events between two watermarks: delivered in every order. */
    record Segment(List<ShopperEvent> events, long watermarkAfter) {}

    /**
     * A shopper story: its segments (made for a given customer id, so many shoppers can live in one
     * harness), what the in-order run must send, and how many state entries each shopper leaves.
     */
    record Story(String[] flags, Function<String, List<Segment>> segments, List<String> expected, int stateLeft) {}

    // ---- the stories ----

    @Test
    void anAbandonedCartWhoseViewsRestartTheClock() throws Exception {
        check(new Story(new String[0], c -> List.of(
                new Segment(List.of(add(c, "e1", 0, "A", 1), view(c, "e2", 10), add(c, "e3", 12, "B", 1),
                        view(c, "e4", 20), search(c, "e5", 25)), T + 30 * MIN),
                // stage 1 is due at 25 + 30 min; the views at 50 and 52 postpone it; the view at 90 comes after it fired
                new Segment(List.of(view(c, "e6", 50), cartView(EventType.VIEW_CART, c, "e7", 52, (LineItem[]) null),
                        view(c, "e8", 90)), T + 100 * MIN),
                new Segment(List.of(), T + 90 * MIN + DAY),
                new Segment(List.of(), T + 10 * DAY)),
                List.of("cart_abandoned:1 [A, B]x[1, 1] due=82 fired=82 armed=e7 step=view_cart first_time",
                        "cart_abandoned:2 [A, B]x[1, 1] due=1530 fired=1530 armed=e8 step=view_cart first_time"),
                1)); // the cart itself stays: abandoned is not ended (--customer-ttl)
    }

    @Test
    void aBoughtCartRecoveredAfterAStageFired() throws Exception {
        check(new Story(new String[0], c -> List.of(
                new Segment(List.of(add(c, "e1", 0, "A", 1), add(c, "e2", 1, "B", 1),
                        cartView(EventType.VIEW_CART, c, "e3", 2, line("A", 2), line("B", 1)),
                        cartView(EventType.BEGIN_CHECKOUT, c, "e4", 3, (LineItem[]) null)), T + 40 * MIN),
                new Segment(List.of(remove(c, "e5", 60, "B"), view(c, "e6", 61), purchase(c, "e7", 62, "A")), T + 2 * HOUR),
                new Segment(List.of(), T + 10 * DAY)),
                List.of("cart_abandoned:1 [A, B]x[2, 1] due=33 fired=33 armed=e4 step=begin_checkout first_time",
                        "cart_recovered:1 order=o-e7"),
                1)); // lifetime orders and revenue
    }

    @Test
    void aCartEmptiedByRemovals() throws Exception {
        check(new Story(new String[0], c -> List.of(
                new Segment(List.of(add(c, "e1", 0, "A", 1), add(c, "e2", 1, "B", 1), add(c, "e3", 2, "A", 1),
                        remove(c, "e4", 3, "A", 1)), T + 40 * MIN),
                new Segment(List.of(remove(c, "e5", 45, "A", 0), cartView(EventType.VIEW_CART, c, "e6", 46, (LineItem[]) null),
                        remove(c, "e7", 47, "B", 0)), T + HOUR),
                new Segment(List.of(), T + 10 * DAY)),
                List.of("cart_abandoned:1 [A, B]x[1, 1] due=33 fired=33 armed=e4 step=add_to_cart first_time"),
                0));
    }

    @Test
    void twoCartsInARow() throws Exception {
        check(new Story(new String[0], c -> List.of(
                new Segment(List.of(add(c, "e1", 0, "A", 1), cartView(EventType.VIEW_CART, c, "e2", 1, line("A", 1)),
                        cartView(EventType.BEGIN_CHECKOUT, c, "e3", 2, line("A", 1)), purchase(c, "e4", 3, "A"),
                        add(c, "e5", 4, "B", 1), view(c, "e6", 5)), T + 40 * MIN),
                new Segment(List.of(), T + 10 * DAY)),
                List.of("cart_abandoned:1 [B]x[1] due=35 fired=35 armed=e6 step=add_to_cart returning",
                        "cart_abandoned:2 [B]x[1] due=1445 fired=1445 armed=e6 step=add_to_cart returning"),
                1)); // the second cart, abandoned
    }

    @Test
    void quietHours() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long evening = ZonedDateTime.of(2026, 11, 23, 20, 45, 0, 0, berlin).toInstant().toEpochMilli();
        long nine = ZonedDateTime.of(2026, 11, 24, 9, 0, 0, 0, berlin).toInstant().toEpochMilli();
        long m = (evening - T) / MIN; // event times below are minutes after T
        check(new Story(new String[] {"--quiet-hours", "21:00-09:00"}, c -> berlin(List.of(
                new Segment(List.of(add(c, "e1", m, "A", 1), view(c, "e2", m + 5), add(c, "e3", m + 10, "B", 1)), evening + 11 * MIN),
                // stage 1 would be due at 21:45, in the quiet hours; the view at 22:00 postpones it to 22:30, still quiet
                new Segment(List.of(cartView(EventType.VIEW_CART, c, "e4", m + 25, line("A", 1), line("B", 1)),
                        remove(c, "e5", m + 30, "B"), view(c, "e6", m + 75)), nine - 1),
                new Segment(List.of(), nine),
                new Segment(List.of(), nine + 2 * DAY),
                new Segment(List.of(), nine + 10 * DAY))),
                List.of("cart_abandoned:1 [A]x[1] due=" + (m + 105) + " fired=" + (nine - T) / MIN + " armed=e6 step=view_cart first_time",
                        "cart_abandoned:2 [A]x[1] due=" + (m + 75 + 1440) + " fired=" + (nine + DAY - T) / MIN
                                + " armed=e6 step=view_cart first_time"),
                1));
    }

    // ---- the check ----

    /**
     * Runs the story for one shopper per arrival order (every permutation of every segment), all in
     * one harness and again spread over two subtasks, and compares each shopper's records with the
     * in-order run of the same shopper.
     */
    private static void check(Story story) throws Exception {
        List<Segment> shape = story.segments().apply("c-shape");
        List<List<List<Integer>>> orders = new ArrayList<>();
        long runs = 1;
        for (Segment s : shape) {
            orders.add(permutations(s.events().size()));
            runs *= orders.get(orders.size() - 1).size();
        }
        List<String> customers = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            customers.add("c-" + r);
        }

        Map<String, List<String>> inOrder = run(story, customers, (c, seg, events) -> sorted(events), true, 1);
        Map<String, List<String>> lagging = run(story, customers, (c, seg, events) -> sorted(events), false, 1);
        Arrival permutation = (c, seg, events) -> {
            long r = Long.parseLong(c.substring(2));
            for (int i = 0; i < seg; i++) {
                r /= orders.get(i).size();
            }
            List<Integer> order = orders.get(seg).get((int) (r % orders.get(seg).size()));
            return order.stream().map(events::get).collect(Collectors.toList());
        };
        Map<String, List<String>> permuted = run(story, customers, permutation, true, 1);
        Map<String, List<String>> permutedAtTwo = run(story, customers, permutation, true, 2);

        assertEquals(story.expected(), summaries(story, "c-0"), "the in-order run");
        assertEquals(customers.size(), permuted.size(), "every arrival order sends records");
        for (String c : customers) {
            assertEquals(inOrder.get(c), permuted.get(c), c + ": an arrival order gave other records than the in-order run");
            assertEquals(inOrder.get(c), lagging.get(c), c + ": a lagging watermark gave other records");
            assertEquals(inOrder.get(c), permutedAtTwo.get(c), c + ": at parallelism 2 an arrival order gave other records");
        }
    }

    interface Arrival {
        List<ShopperEvent> order(String customer, int segment, List<ShopperEvent> events);
    }

    /** Each shopper's records, every field but emitted_at; and the state check at the end. */
    private static Map<String, List<String>> run(Story story, List<String> customers, Arrival arrival, boolean watermarkEachSegment,
                                                 int parallelism) throws Exception {
        Map<String, List<String>> records = new LinkedHashMap<>();
        try (AbandonmentSubtasks h = new AbandonmentSubtasks(parallelism, story.flags())) {
            Map<String, List<Segment>> segments = new LinkedHashMap<>();
            for (String c : customers) {
                segments.put(c, story.segments().apply(c));
            }
            int n = segments.get(customers.get(0)).size();
            long watermark = Long.MIN_VALUE;
            for (int seg = 0; seg < n; seg++) {
                for (String c : customers) {
                    for (ShopperEvent e : arrival.order(c, seg, segments.get(c).get(seg).events())) {
                        assertTrue(e.eventTime > watermark, "a story must not contain late events: " + e);
                        h.send(e);
                    }
                }
                long w = segments.get(customers.get(0)).get(seg).watermarkAfter();
                if (watermarkEachSegment || seg == n - 1) {
                    h.processWatermark(w);
                    watermark = w;
                }
            }
            for (AbandonmentMessage m : h.extractOutputValues()) {
                records.computeIfAbsent(m.customerId, x -> new ArrayList<>()).add(describe(m));
            }
            if (customers.size() > 1) {
                assertEquals(parallelism, h.subtasksWithEvents(), "the shoppers are spread over every subtask");
            }
            assertEquals(0, h.numEventTimeTimers(), "timers left");
            assertEquals(story.stateLeft() * customers.size(), h.stateEntries(), "state entries left");
        }
        return records;
    }

    private static List<String> summaries(Story story, String customer) throws Exception {
        List<String> out = new ArrayList<>();
        try (AbandonmentHarness h = AbandonmentHarness.open(story.flags())) {
            for (Segment s : story.segments().apply(customer)) {
                h.send(sorted(s.events()));
                h.processWatermark(s.watermarkAfter());
            }
            for (AbandonmentMessage m : h.extractOutputValues()) {
                out.add(summary(m));
            }
        }
        return out;
    }

    private static String summary(AbandonmentMessage m) {
        if (m.type.equals(AbandonmentMessage.RECOVERED)) {
            return m.type + ":" + m.stage + " order=" + m.orderId;
        }
        return m.type + ":" + m.stage + " " + List.of(m.productIds) + "x" + Arrays.toString(m.quantities)
                + " due=" + (m.dueAt - T) / MIN + " fired=" + (m.firedAt - T) / MIN + " armed=" + m.armedByEventId
                + " step=" + m.furthestStep + " " + m.customerType;
    }

    private static String describe(AbandonmentMessage m) {
        return String.join(" | ", m.type, m.triggerId, String.valueOf(m.stage), String.valueOf(m.stageDelayMs), m.channel,
                m.productIds == null ? "-" : List.of(m.productIds).toString(), Arrays.toString(m.quantities),
                Arrays.toString(m.unitPrices), m.categories == null ? "-" : List.of(m.categories).toString(),
                String.valueOf(m.cartValue), m.currency, String.valueOf(m.lastActivityAt), String.valueOf(m.idleMs),
                m.furthestStep, m.customerType, String.valueOf(m.lifetimeOrders), String.valueOf(m.lifetimeRevenue),
                m.armedByEventId, String.valueOf(m.dueAt), String.valueOf(m.firedAt), m.orderId,
                String.valueOf(m.recoveredValue), m.causeEventId, m.causeEventType, String.valueOf(m.causeEventTime));
    }

    /** The in-order delivery: by event time, then funnel step, then event id. */
    private static List<ShopperEvent> sorted(List<ShopperEvent> events) {
        List<ShopperEvent> s = new ArrayList<>(events);
        s.sort(Comparator.comparingLong((ShopperEvent e) -> e.eventTime).thenComparingInt(e -> funnelRank(e.eventType))
                .thenComparing(e -> e.eventId));
        return s;
    }

    private static int funnelRank(EventType t) {
        switch (t) {
            case ADD_TO_CART: return 1;
            case REMOVE_FROM_CART: return 2;
            case VIEW_CART: return 3;
            case BEGIN_CHECKOUT: return 4;
            case PURCHASE: return 5;
            default: return 0;
        }
    }

    static List<List<Integer>> permutations(int n) {
        List<List<Integer>> all = new ArrayList<>();
        permute(new ArrayList<>(), new boolean[n], all);
        return all;
    }

    private static void permute(List<Integer> prefix, boolean[] used, List<List<Integer>> all) {
        if (prefix.size() == used.length) {
            all.add(List.copyOf(prefix));
            return;
        }
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                used[i] = true;
                prefix.add(i);
                permute(prefix, used, all);
                prefix.remove(prefix.size() - 1);
                used[i] = false;
            }
        }
    }

    @Test
    void permutationsAreAllOrders() {
        assertEquals(List.of(List.of()), permutations(0));
        assertEquals(6, permutations(3).size());
        assertEquals(120, permutations(5).stream().distinct().count());
    }

    // ---- events; times in minutes after T ----

    private static ShopperEvent at(ShopperEvent e) {
        e.consentMarketing = true;
        return e;
    }

    static ShopperEvent add(String c, String id, long minute, String product, int quantity) {
        ShopperEvent e = at(Events.of(EventType.ADD_TO_CART, c, id, T + minute * MIN, product, "shoes"));
        e.price = 50;
        e.quantity = quantity;
        return e;
    }

    static ShopperEvent remove(String c, String id, long minute, String product, int quantity) {
        ShopperEvent e = at(Events.of(EventType.REMOVE_FROM_CART, c, id, T + minute * MIN, product, "shoes"));
        e.quantity = quantity;
        return e;
    }

    static ShopperEvent remove(String c, String id, long minute, String product) {
        return remove(c, id, minute, product, 0);
    }

    static ShopperEvent view(String c, String id, long minute) {
        return at(Events.of(EventType.VIEW_ITEM, c, id, T + minute * MIN, "X", "shoes"));
    }

    static ShopperEvent search(String c, String id, long minute) {
        ShopperEvent e = at(Events.of(EventType.SEARCH, c, id, T + minute * MIN, null, null));
        e.searchTerm = "boots";
        return e;
    }

    static ShopperEvent cartView(EventType type, String c, String id, long minute, LineItem... items) {
        ShopperEvent e = at(Events.of(type, c, id, T + minute * MIN, null, null));
        e.items = items;
        e.currency = "USD";
        return e;
    }

    static LineItem line(String product, int quantity) {
        return new LineItem(product, "shoes", 50, quantity);
    }

    static ShopperEvent purchase(String c, String id, long minute, String... products) {
        return at(Events.purchase(c, id, T + minute * MIN, "shoes", products));
    }

    private static List<Segment> berlin(List<Segment> segments) {
        for (Segment s : segments) {
            for (ShopperEvent e : s.events()) {
                e.timeZone = "Europe/Berlin";
            }
        }
        return segments;
    }
}
