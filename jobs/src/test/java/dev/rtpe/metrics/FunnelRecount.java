package dev.rtpe.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/**
 * The metric dictionary of the README, computed the plain way over a list: exact sets for the
 * distinct counts, every window summed from scratch. Shares no code with the job's counting.
 */
final class FunnelRecount {
    /** One expected record. */
    static final class Window {
        String kind;
        long start;
        long end;
        String dimension;
        String value;
        final Set<String> visitors = new HashSet<>();
        final Set<String> sessions = new HashSet<>();
        final Set<String> viewSessions = new HashSet<>();
        final Set<String> cartSessions = new HashSet<>();
        final Set<String> orderSessions = new HashSet<>();
        long sessionsStarted;
        long bounces;
        long views;
        long carts;
        long removes;
        long checkouts;
        long orders;
        long repeatOrders;
        long units;
        long recEvaluations;
        long recHits;
        final TreeMap<String, long[]> revenue = new TreeMap<>();

        String key() {
            return dimension + "|" + value + "|" + start + "|" + (end - start);
        }
    }

    /** A hit-rate evaluation as the test produced it. */
    record Evaluation(String customerKey, String eventId, long eventTime, String channel, String category, boolean hit) {}

    private final long slide;
    private final long slidingSize;
    private final long tumblingSize;
    private final long bounceWindow;
    private final Map<String, Window> windows = new HashMap<>();

    FunnelRecount(MetricsConfig c) {
        this.slide = c.slide.toMillis();
        this.slidingSize = c.slidingSize.toMillis();
        this.tumblingSize = c.tumblingSize.toMillis();
        this.bounceWindow = c.bounceWindow.toMillis();
    }

    /** Expected records by key, for windows ending at or before {@code cutoff}. */
    static Map<String, Window> of(List<ShopperEvent> input, List<Evaluation> evaluations, MetricsConfig config, long cutoff) {
        FunnelRecount r = new FunnelRecount(config);
        List<ShopperEvent> events = distinct(input);
        Set<String> repeats = repeatOrderEventIds(events);
        for (ShopperEvent e : events) {
            r.countEvent(e, repeats.contains(e.eventId));
        }
        r.countSessions(events);
        Set<String> seen = new HashSet<>();
        for (Evaluation h : evaluations) {
            if (seen.add(h.customerKey() + "|" + h.eventId())) {
                r.countEvaluation(h);
            }
        }
        Map<String, Window> out = new TreeMap<>();
        for (Window w : r.windows.values()) {
            if (w.end <= cutoff) {
                out.put(w.key(), w);
            }
        }
        return out;
    }

    /** The first of each (customer, event_id). */
    static List<ShopperEvent> distinct(List<ShopperEvent> events) {
        Set<String> seen = new HashSet<>();
        List<ShopperEvent> out = new ArrayList<>();
        for (ShopperEvent e : events) {
            if (seen.add(e.customerKey + "|" + e.eventId)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The longest time between two consecutive events of one session. */
    static long longestPauseWithinASession(List<ShopperEvent> events) {
        Map<String, List<Long>> times = new HashMap<>();
        for (ShopperEvent e : distinct(events)) {
            times.computeIfAbsent(e.customerKey + "|" + e.sessionId, k -> new ArrayList<>()).add(e.eventTime);
        }
        long longest = 0;
        for (List<Long> t : times.values()) {
            t.sort(null);
            for (int i = 1; i < t.size(); i++) {
                longest = Math.max(longest, t.get(i) - t.get(i - 1));
            }
        }
        return longest;
    }

    /** Every order of a customer but the earliest (by time, then order id) is a repeat. */
    private static Set<String> repeatOrderEventIds(List<ShopperEvent> events) {
        Map<String, List<ShopperEvent>> byCustomer = new HashMap<>();
        for (ShopperEvent e : events) {
            if (e.eventType == EventType.PURCHASE) {
                byCustomer.computeIfAbsent(e.customerKey, k -> new ArrayList<>()).add(e);
            }
        }
        Set<String> repeats = new HashSet<>();
        for (List<ShopperEvent> orders : byCustomer.values()) {
            orders.sort(Comparator.<ShopperEvent>comparingLong(o -> o.eventTime).thenComparing(o -> o.orderId));
            for (int i = 1; i < orders.size(); i++) {
                if (!orders.get(i).orderId.equals(orders.get(0).orderId)) {
                    repeats.add(orders.get(i).eventId);
                }
            }
        }
        return repeats;
    }

    private void countEvent(ShopperEvent e, boolean repeat) {
        for (Window w : windowsOf(e.eventTime, "all", "all")) {
            addEvent(w, e, null, repeat);
        }
        for (Window w : windowsOf(e.eventTime, "channel", e.channel.wireName)) {
            addEvent(w, e, null, repeat);
        }
        for (String category : categories(e)) {
            for (Window w : windowsOf(e.eventTime, "category", category)) {
                addEvent(w, e, category, repeat);
            }
        }
    }

    private static void addEvent(Window w, ShopperEvent e, String category, boolean repeat) {
        w.visitors.add(e.customerKey);
        w.sessions.add(e.sessionId);
        switch (e.eventType) {
            case VIEW_ITEM -> {
                w.views++;
                w.viewSessions.add(e.sessionId);
            }
            case ADD_TO_CART -> {
                w.carts++;
                w.cartSessions.add(e.sessionId);
            }
            case REMOVE_FROM_CART -> w.removes++;
            case BEGIN_CHECKOUT -> w.checkouts++;
            case PURCHASE -> {
                w.orders++;
                w.repeatOrders += repeat ? 1 : 0;
                w.orderSessions.add(e.sessionId);
                long[] money = w.revenue.computeIfAbsent(e.currency, c -> new long[2]);
                money[1]++;
                for (LineItem item : e.items) {
                    if (category == null) {
                        w.units += item.quantity;
                    } else if (item.category != null && top(item.category).equals(category)) {
                        w.units += item.quantity;
                        money[0] += Math.round(item.price * 1e6) * item.quantity;
                    }
                }
                if (category == null) {
                    money[0] += Math.round(e.value * 1e6);
                }
            }
            default -> { }
        }
    }

    /**
     * A session (customer, session id) starts at its earliest event and bounced when no other of
     * its events falls within the bounce window after that.
     */
    private void countSessions(List<ShopperEvent> events) {
        Map<String, List<ShopperEvent>> sessions = new HashMap<>();
        for (ShopperEvent e : events) {
            sessions.computeIfAbsent(e.customerKey + "|" + e.sessionId, k -> new ArrayList<>()).add(e);
        }
        for (List<ShopperEvent> s : sessions.values()) {
            s.sort(Comparator.comparingLong(e -> e.eventTime));
            ShopperEvent first = s.get(0);
            boolean bounce = s.size() == 1 || s.get(1).eventTime - first.eventTime > bounceWindow;
            for (Window w : concat(windowsOf(first.eventTime, "all", "all"), windowsOf(first.eventTime, "channel", first.channel.wireName))) {
                w.sessionsStarted++;
                w.bounces += bounce ? 1 : 0;
            }
        }
    }

    private void countEvaluation(Evaluation h) {
        List<Window> rows = concat(windowsOf(h.eventTime(), "all", "all"), windowsOf(h.eventTime(), "channel", h.channel()));
        if (h.category() != null) {
            rows = concat(rows, windowsOf(h.eventTime(), "category", top(h.category())));
        }
        for (Window w : rows) {
            w.recEvaluations++;
            w.recHits += h.hit() ? 1 : 0;
        }
    }

    /** The tumbling window and every sliding window that contain {@code time}. */
    private List<Window> windowsOf(long time, String dimension, String value) {
        List<Window> out = new ArrayList<>();
        long tumblingStart = Math.floorDiv(time, tumblingSize) * tumblingSize;
        out.add(window("tumbling", tumblingStart, tumblingStart + tumblingSize, dimension, value));
        for (long start = Math.floorDiv(time, slide) * slide; start > time - slidingSize; start -= slide) {
            out.add(window("sliding", start, start + slidingSize, dimension, value));
        }
        return out;
    }

    private Window window(String kind, long start, long end, String dimension, String value) {
        String key = dimension + "|" + value + "|" + start + "|" + (end - start);
        return windows.computeIfAbsent(key, k -> {
            Window w = new Window();
            w.kind = kind;
            w.start = start;
            w.end = end;
            w.dimension = dimension;
            w.value = value;
            return w;
        });
    }

    private static Set<String> categories(ShopperEvent e) {
        Set<String> out = new LinkedHashSet<>();
        if (e.category != null) {
            out.add(top(e.category));
        }
        if (e.items != null) {
            for (LineItem item : e.items) {
                if (item.category != null) {
                    out.add(top(item.category));
                }
            }
        }
        return out;
    }

    private static String top(String path) {
        return path.split("\\.", 2)[0];
    }

    private static List<Window> concat(List<Window> a, List<Window> b) {
        List<Window> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    // ---- comparison -----------------------------------------------------------------------

    /** Relative standard error of the HyperLogLog estimates at this precision. */
    static double standardError(int lgK) {
        return 1.04 / Math.sqrt(1 << lgK);
    }

    /** Differences between an emitted record and the expected window; sketch counts within {@code sigmas} standard errors. */
    static List<String> differences(Window w, JsonNode r, int lgK, double sigmas) {
        List<String> d = new ArrayList<>();
        exact(d, "window_kind", w.kind, r.get("window_kind").asText());
        exact(d, "window_end", w.end, r.get("window_end").asLong());
        exact(d, "sessions_started", w.sessionsStarted, r.get("sessions_started").asLong());
        exact(d, "bounces", w.bounces, r.get("bounces").asLong());
        exact(d, "product_views", w.views, r.get("product_views").asLong());
        exact(d, "add_to_carts", w.carts, r.get("add_to_carts").asLong());
        exact(d, "removes", w.removes, r.get("removes").asLong());
        exact(d, "checkouts", w.checkouts, r.get("checkouts").asLong());
        exact(d, "orders", w.orders, r.get("orders").asLong());
        exact(d, "repeat_orders", w.repeatOrders, r.get("repeat_orders").asLong());
        exact(d, "units", w.units, r.get("units").asLong());
        exact(d, "rec_evaluations", w.recEvaluations, r.get("rec_evaluations").asLong());
        exact(d, "rec_hits", w.recHits, r.get("rec_hits").asLong());
        List<String> revenue = new ArrayList<>();
        w.revenue.forEach((currency, money) -> revenue.add(currency + "=" + money[0] / 1e6 + "/" + money[1]));
        List<String> actualRevenue = new ArrayList<>();
        r.get("revenue").forEach(c -> actualRevenue.add(c.get("currency").asText() + "=" + c.get("amount").asDouble() + "/" + c.get("orders").asLong()));
        exact(d, "revenue", revenue, actualRevenue);
        double tolerance = sigmas * standardError(lgK);
        estimate(d, "visitors", w.visitors.size(), r.get("visitors").asLong(), tolerance);
        estimate(d, "sessions", w.sessions.size(), r.get("sessions").asLong(), tolerance);
        estimate(d, "sessions_with_view", w.viewSessions.size(), r.get("sessions_with_view").asLong(), tolerance);
        estimate(d, "sessions_with_cart", w.cartSessions.size(), r.get("sessions_with_cart").asLong(), tolerance);
        estimate(d, "sessions_with_order", w.orderSessions.size(), r.get("sessions_with_order").asLong(), tolerance);
        return d;
    }

    private static void exact(List<String> d, String field, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            d.add(field + ": expected " + expected + ", got " + actual);
        }
    }

    /** Within the relative tolerance, or off by one at most (rounding of small counts). */
    private static void estimate(List<String> d, String field, long exact, long estimate, double tolerance) {
        if (Math.abs(estimate - exact) > Math.max(1, tolerance * exact)) {
            d.add(field + ": exact " + exact + ", estimate " + estimate + " beyond ±" + Math.round(tolerance * 1000) / 10.0 + "%");
        }
    }

    /** Relative error of each sketch count of a record that has a non-zero exact count. */
    static List<Double> relativeErrors(Window w, JsonNode r) {
        List<Double> out = new ArrayList<>();
        long[][] pairs = {
            {w.visitors.size(), r.get("visitors").asLong()},
            {w.sessions.size(), r.get("sessions").asLong()},
            {w.viewSessions.size(), r.get("sessions_with_view").asLong()},
            {w.cartSessions.size(), r.get("sessions_with_cart").asLong()},
            {w.orderSessions.size(), r.get("sessions_with_order").asLong()},
        };
        for (long[] p : pairs) {
            if (p[0] > 0) {
                out.add(Math.abs(p[1] - p[0]) / (double) p[0]);
            }
        }
        return out;
    }
}
