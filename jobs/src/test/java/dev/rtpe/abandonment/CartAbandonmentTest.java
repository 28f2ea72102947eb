package dev.rtpe.abandonment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.EventType;
import dev.rtpe.common.JsonWriting;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.Events;

/** One test per rule of the abandoned-cart semantics (README, "The abandonment job"). */
class CartAbandonmentTest {
    private static final long T = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final long HOUR = 60 * MIN;

    private static AbandonmentHarness harness(String... flags) throws Exception {
        return AbandonmentHarness.open(flags);
    }

    static ShopperEvent event(EventType type, String customer, String id, long time, String product) {
        ShopperEvent e = Events.of(type, customer, id, time, product, "shoes");
        e.consentMarketing = true;
        if (type == EventType.ADD_TO_CART) {
            e.price = 50;
        }
        return e;
    }

    static ShopperEvent add(String customer, String id, long time, String product) {
        return event(EventType.ADD_TO_CART, customer, id, time, product);
    }

    static ShopperEvent purchase(String customer, String id, long time, String... products) {
        ShopperEvent e = Events.purchase(customer, id, time, "shoes", products);
        e.consentMarketing = true;
        return e;
    }

    private static List<AbandonmentMessage> out(KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, AbandonmentMessage> h) {
        return h.extractOutputValues();
    }

    private static List<String> types(KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, AbandonmentMessage> h) {
        return out(h).stream().map(m -> m.type + ":" + m.stage).collect(Collectors.toList());
    }

    @Test
    void stagesFireAfterTheirInactivityDelays() throws Exception {
        try (var h = harness()) {
            h.processElement(add("c1", "e1", T, "A"), T);
            h.processWatermark(T + 30 * MIN - 1);
            assertEquals(List.of(), out(h));
            h.processWatermark(T + 30 * MIN);
            AbandonmentMessage first = out(h).get(0);
            assertEquals(AbandonmentMessage.ABANDONED, first.type);
            assertEquals(1, first.stage);
            assertEquals(T + 30 * MIN, first.dueAt);
            assertEquals(30 * MIN, first.idleMs);
            assertArrayEquals(new String[] {"A"}, first.productIds);
            assertEquals(50, first.cartValue);
            assertEquals("add_to_cart", first.furthestStep);
            assertEquals("e1", first.armedByEventId);
            assertEquals("first_time", first.customerType);
            h.processWatermark(T + 24 * HOUR);
            assertEquals(List.of("cart_abandoned:1", "cart_abandoned:2"), types(h));
            assertNotEquals(first.triggerId, out(h).get(1).triggerId);
            assertEquals(TriggerIds.of("c1", T, 1), first.triggerId, "derived from customer, cart and stage");
        }
    }

    @Test
    void anyActivityRestartsTheInactivityClock() throws Exception {
        try (var h = harness()) {
            h.processElement(add("c1", "e1", T, "A"), T);
            h.processElement(event(EventType.VIEW_ITEM, "c1", "e2", T + 20 * MIN, "B"), T + 20 * MIN);
            h.processWatermark(T + 49 * MIN);
            assertEquals(List.of(), out(h));
            h.processWatermark(T + 50 * MIN);
            assertEquals("e2", out(h).get(0).armedByEventId);
            assertEquals(30 * MIN, out(h).get(0).idleMs);
        }
    }

    @Test
    void aPartialPurchaseLeavesTheRestOfTheCartAndAFullOneEndsTheSequence() throws Exception {
        try (var h = harness()) {
            h.processElement(add("c1", "e1", T, "A"), T);
            h.processElement(add("c1", "e2", T + MIN, "B"), T + MIN);
            h.processElement(event(EventType.BEGIN_CHECKOUT, "c1", "e3", T + 2 * MIN, null), T + 2 * MIN);
            h.processElement(purchase("c1", "e4", T + 3 * MIN, "A"), T + 3 * MIN);
            h.processWatermark(T + 33 * MIN);
            AbandonmentMessage m = out(h).get(0);
            assertArrayEquals(new String[] {"B"}, m.productIds);
            assertEquals("begin_checkout", m.furthestStep);
            assertEquals("returning", m.customerType);
            assertEquals(1, m.lifetimeOrders);

            h.processElement(purchase("c1", "e5", T + 2 * HOUR, "B"), T + 2 * HOUR);
            h.processWatermark(T + 48 * HOUR);
            assertEquals(List.of("cart_abandoned:1", "cart_recovered:1"), types(h), "bought everything: no stage 2");
        }
    }

    @Test
    void aPurchaseWithinTheAttributionWindowRecoversTheCart() throws Exception {
        try (var h = harness()) {
            h.processElement(add("c1", "e1", T, "A"), T);
            h.processWatermark(T + 24 * HOUR);
            h.processElement(purchase("c1", "e2", T + 2 * 24 * HOUR, "A"), T + 2 * 24 * HOUR);
            h.processWatermark(T + 2 * 24 * HOUR); // an event counts once event time has reached it
            AbandonmentMessage recovered = out(h).get(out(h).size() - 1);
            assertEquals(AbandonmentMessage.RECOVERED, recovered.type);
            assertEquals(out(h).get(1).triggerId, recovered.triggerId);
            assertEquals(2, recovered.stage, "stage 2 (24 h) preceded the purchase");
            assertEquals(10.0, recovered.recoveredValue);
            assertEquals("o-e2", recovered.orderId);
        }
    }

    @Test
    void aStageDueBeforeTheShoppersNextEventFiresFirstWhateverTheWatermark() throws Exception {
        try (var h = harness("--stages", "30min,1h")) {
            h.processElement(add("c1", "e1", T, "A"), T);
            // The purchase comes 70 min later, before any watermark: both stages were due first.
            h.processElement(purchase("c1", "e2", T + 70 * MIN, "A"), T + 70 * MIN);
            h.processWatermark(T + 48 * HOUR);
            assertEquals(List.of("cart_abandoned:1", "cart_recovered:1"), types(h),
                    "stage 2 fell in the frequency cap; the purchase recovers stage 1; nothing after the purchase");
        }
    }

    @Test
    void nothingIsSentAfterTheShopperBought() throws Exception {
        try (var h = harness()) {
            h.processElement(add("c1", "e1", T, "A"), T);
            h.processElement(purchase("c1", "e2", T + 20 * MIN, "A"), T + 20 * MIN);
            h.processWatermark(T + 72 * HOUR);
            assertEquals(List.of(), out(h));
        }
    }

    @Test
    void aPurchaseAfterTheAttributionWindowRecoversNothing() throws Exception {
        try (var h = harness("--stages", "30min")) {
            h.processElement(add("c1", "e1", T, "A"), T);
            h.processWatermark(T + 30 * MIN);
            h.processElement(purchase("c1", "e2", T + 8 * 24 * HOUR, "A"), T + 8 * 24 * HOUR);
            h.processWatermark(T + 8 * 24 * HOUR);
            assertEquals(List.of("cart_abandoned:1"), types(h));
        }
    }

    @Test
    void theFrequencyCapAllowsOneTriggerPerWindow() throws Exception {
        try (var h = harness("--stages", "30min,2h")) {
            h.processElement(add("c1", "e1", T, "A"), T);
            h.processWatermark(T + 3 * HOUR);
            assertEquals(List.of("cart_abandoned:1"), types(h), "stage 2 came 1.5 h after stage 1, inside the 16 h cap");
        }
    }

    @Test
    void noTriggersWithoutMarketingConsentOrForAnonymousShoppers() throws Exception {
        try (var h = harness()) {
            ShopperEvent noConsent = add("c1", "e1", T, "A");
            noConsent.consentMarketing = false;
            h.processElement(noConsent, T);
            ShopperEvent anonymous = add("x", "e2", T, "A");
            anonymous.customerId = null;
            anonymous.anonymousId = "anon-1";
            anonymous.customerKey = ShopperEvent.customerKeyOf(null, "anon-1");
            h.processElement(anonymous, T);
            h.processWatermark(T + 48 * HOUR);
            assertEquals(List.of(), out(h));
        }
    }

    @Test
    void aStageDueInQuietHoursWaitsForTheirEndInTheShoppersTimeZone() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long evening = ZonedDateTime.of(2026, 11, 23, 20, 45, 0, 0, berlin).toInstant().toEpochMilli();
        long nineNextMorning = ZonedDateTime.of(2026, 11, 24, 9, 0, 0, 0, berlin).toInstant().toEpochMilli();
        try (var h = harness("--quiet-hours", "21:00-09:00", "--stages", "30min")) {
            ShopperEvent e = add("c1", "e1", evening, "A");
            e.timeZone = "Europe/Berlin";
            h.processElement(e, evening);
            h.processWatermark(nineNextMorning - 1);
            assertEquals(List.of(), out(h), "held, not dropped");
            h.processWatermark(nineNextMorning);
            assertEquals(nineNextMorning, out(h).get(0).firedAt);
            assertEquals(evening + 30 * MIN, out(h).get(0).dueAt);
        }
    }

    @Test
    void aLateEventStillCountsAndAStageAlreadyDueFiresAtOnce() throws Exception {
        try (var h = harness()) {
            h.processWatermark(T + 2 * HOUR);
            h.processElement(add("c1", "e1", T, "A"), T); // an offline app delivering 2 h late
            assertEquals(List.of("cart_abandoned:1"), types(h));
            assertEquals(T + 30 * MIN, out(h).get(0).firedAt);
        }
    }

    @Test
    void eventsLaterThanTheMaximumLatenessAreRefused() throws Exception {
        try (var h = harness()) {
            h.processWatermark(T + 25 * HOUR);
            h.processElement(add("c1", "e1", T, "A"), T);
            h.processWatermark(T + 72 * HOUR);
            assertEquals(List.of(), out(h));
        }
    }

    @Test
    void outOfOrderEventsWithinTheLatenessGiveTheSameTriggers() throws Exception {
        List<ShopperEvent> inOrder = List.of(add("c1", "e1", T, "A"), add("c1", "e2", T + MIN, "B"),
                event(EventType.REMOVE_FROM_CART, "c1", "e3", T + 2 * MIN, "A"));
        List<String> expected = run(inOrder);
        List<String> shuffled = run(List.of(inOrder.get(1), inOrder.get(0), inOrder.get(2)));
        assertEquals(expected, shuffled);
        assertTrue(expected.get(0).contains("[B]"), expected.toString());
    }

    private static List<String> run(List<ShopperEvent> events) throws Exception {
        try (var h = harness("--stages", "30min")) {
            for (ShopperEvent e : events) {
                h.processElement(e, e.eventTime);
            }
            h.processWatermark(T + 2 * HOUR);
            return out(h).stream().map(m -> m.triggerId + " " + List.of(m.productIds) + " " + m.dueAt).collect(Collectors.toList());
        }
    }


    @Test
    void aCartViewListsTheWholeCart() throws Exception {
        try (var h = harness("--stages", "30min")) {
            h.processElement(add("c1", "e1", T, "A"), T);
            ShopperEvent view = event(EventType.VIEW_CART, "c1", "e2", T + MIN, null);
            view.items = new LineItem[] {new LineItem("A", "shoes", 50, 2), new LineItem("C", "toys", 10, 1)};
            view.currency = "EUR";
            h.processElement(view, T + MIN);
            h.processWatermark(T + 31 * MIN);
            AbandonmentMessage m = out(h).get(0);
            assertEquals(List.of("A", "C"), List.of(m.productIds));
            assertEquals(110, m.cartValue);
            assertEquals("view_cart", m.furthestStep);
            assertEquals("EUR", m.currency);
        }
    }

    // ---- The cart is the result of its events in event-time order (README, "The abandonment job") ----

    static ShopperEvent add(String customer, String id, long time, String product, int quantity) {
        ShopperEvent e = add(customer, id, time, product);
        e.quantity = quantity;
        return e;
    }

    static ShopperEvent remove(String customer, String id, long time, String product) {
        return event(EventType.REMOVE_FROM_CART, customer, id, time, product);
    }

    static ShopperEvent cartView(EventType type, String customer, String id, long time, LineItem... items) {
        ShopperEvent e = event(type, customer, id, time, null);
        e.items = items;
        if (items != null) {
            e.currency = "USD";
        }
        return e;
    }

    static LineItem line(String product, int quantity) {
        return new LineItem(product, "shoes", 50, quantity);
    }

    private static List<String> itemsOfTriggers(List<AbandonmentMessage> out) {
        return out.stream().filter(m -> m.type.equals(AbandonmentMessage.ABANDONED))
                .map(m -> m.stage + ":" + List.of(m.productIds) + "x" + java.util.Arrays.toString(m.quantities))
                .collect(Collectors.toList());
    }

    @Test
    void aPurchaseProcessedBeforeItsOlderAddLeavesNothingToRemind() throws Exception {
        try (var h = harness()) {
            h.send(purchase("c1", "e2", T + 5 * MIN, "P")); // its partition was faster
            h.send(add("c1", "e1", T, "P"));
            h.processWatermark(T + 72 * HOUR);
            assertEquals(List.of(), types(h), "the add came first in event time: the purchase bought it");
        }
    }

    @Test
    void aRemovalProcessedBeforeItsOlderAddLeavesNothingToRemind() throws Exception {
        try (var h = harness()) {
            h.send(remove("c1", "e2", T + 5 * MIN, "P"));
            h.send(add("c1", "e1", T, "P"));
            h.processWatermark(T + 72 * HOUR);
            assertEquals(List.of(), types(h));
        }
    }

    @Test
    void aStaleCartViewAfterThePurchaseDoesNotBringTheProductBack() throws Exception {
        try (var h = harness()) {
            // c1: within the out-of-orderness bound, the view (10:01) is processed after the purchase (10:05).
            h.send(add("c1", "e1", T, "P"));
            h.send(purchase("c1", "e3", T + 5 * MIN, "P"));
            h.send(cartView(EventType.VIEW_CART, "c1", "e2", T + MIN, line("P", 1)));
            // c2: the same view arrives after the watermark passed the purchase.
            h.send(add("c2", "e4", T, "P"));
            h.send(purchase("c2", "e6", T + 5 * MIN, "P"));
            h.processWatermark(T + 10 * MIN);
            h.send(cartView(EventType.VIEW_CART, "c2", "e5", T + MIN, line("P", 1)));
            h.processWatermark(T + 72 * HOUR);
            assertEquals(List.of(), types(h));
        }
    }

    @Test
    void aPurchaseOfFewerUnitsThanInTheCartRemovesTheWholeLine() throws Exception {
        try (var h = harness("--stages", "30min")) {
            h.send(add("c1", "e1", T, "P", 3));
            h.send(add("c1", "e2", T + MIN, "Q"));
            h.send(purchase("c1", "e3", T + 2 * MIN, "P")); // one unit of P
            h.processWatermark(T + 40 * MIN);
            assertEquals(List.of("1:[Q]x[1]"), itemsOfTriggers(out(h)), "the shopper bought P: no reminder of it");
        }
    }

    @Test
    void aCartViewWithNoItemsEmptiesTheCartAndOneWithoutItemsOnlyCountsAsActivity() throws Exception {
        try (var h = harness("--stages", "30min")) {
            h.send(add("c1", "e1", T, "P"));
            h.send(cartView(EventType.VIEW_CART, "c1", "e2", T + MIN)); // items: []
            h.send(add("c2", "e3", T, "P"));
            h.send(cartView(EventType.VIEW_CART, "c2", "e4", T + MIN, (LineItem[]) null)); // items absent
            h.processWatermark(T + 72 * HOUR);
            List<AbandonmentMessage> sent = out(h);
            assertEquals(List.of("c2"), sent.stream().map(m -> m.customerId).collect(Collectors.toList()), "c1's cart is empty");
            assertEquals(List.of("P"), List.of(sent.get(0).productIds));
            assertEquals("view_cart", sent.get(0).furthestStep);
            assertEquals("e4", sent.get(0).armedByEventId);
            assertEquals(T + 31 * MIN, sent.get(0).dueAt);
        }
    }

    @Test
    void aLateAddOlderThanAPurchaseOfTheSameProductIsIgnoredAndOtherLateAddsStillCount() throws Exception {
        try (var h = harness("--stages", "30min")) {
            h.send(purchase("c1", "e3", T + 5 * MIN, "P"));
            h.processWatermark(T + 2 * HOUR);
            h.send(add("c1", "e1", T, "P")); // an offline app delivers the add two hours late
            assertEquals(List.of(), out(h));
            h.send(add("c1", "e2", T + MIN, "R"));
            assertEquals(List.of("1:[R]x[1]"), itemsOfTriggers(out(h)));
            AbandonmentMessage m = out(h).get(0);
            assertEquals(T + 35 * MIN, m.dueAt, "the purchase is the shopper's latest activity");
            assertEquals(T + 35 * MIN, m.firedAt, "already due when armed: fires at once");
        }
    }

    @Test
    void aLateAddOlderThanARemovalOfTheSameProductIsIgnored() throws Exception {
        try (var h = harness()) {
            h.send(remove("c1", "e2", T + 5 * MIN, "P"));
            h.processWatermark(T + 2 * HOUR);
            h.send(add("c1", "e1", T, "P"));
            h.processWatermark(T + 72 * HOUR);
            assertEquals(List.of(), out(h));
        }
    }

    @Test
    void aCartKeepsItsMostRecentlyChangedLinesSoATriggerStaysSmall() throws Exception {
        String category = "garden." + "x".repeat(200);
        try (var h = harness("--stages", "30min")) {
            for (int i = 0; i < 3000; i++) {
                ShopperEvent e = add("c1", "e" + i, T + i * 1000L, String.format("product-%05d-", i) + "p".repeat(80));
                e.category = category;
                h.send(e); // no watermark in between: far more events than the pending list holds
            }
            h.processWatermark(T + 3000 * 1000L + 30 * MIN);
            assertEquals(List.of("cart_abandoned:1"), types(h));
            AbandonmentMessage m = out(h).get(0);
            assertEquals(100, m.productIds.length, "--max-cart-lines defaults to 100");
            assertTrue(m.productIds[0].startsWith("product-02900-") && m.productIds[99].startsWith("product-02999-"),
                    "the least recently changed lines went first: " + m.productIds[0]);
            assertEquals(5000, m.cartValue);
            byte[] json = AbandonmentWriter.write(new JsonWriting(), m);
            assertTrue(json.length < 100_000, "trigger of " + json.length + " bytes");
            assertEquals(List.of(), Contracts.violations("cart-abandonment-triggers", json));
            assertEquals(2900, h.counter("cartLinesDropped"));
            assertEquals(3000 - 256, h.counter("pendingOverflow"), "the pending list holds 256 events; the earliest beyond go in at once");
        }
    }

    @Test
    void maxCartLinesIsConfigurableUpToTheSchemasBound() throws Exception {
        try (var h = harness("--stages", "30min", "--max-cart-lines", "2")) {
            h.send(add("c1", "e1", T, "A"));
            h.send(add("c1", "e2", T + MIN, "B"));
            h.send(add("c1", "e3", T + 2 * MIN, "C"));
            h.send(add("c1", "e4", T + 3 * MIN, "A"));
            h.processWatermark(T + HOUR);
            assertEquals(List.of("1:[C, A]x[1, 1]"), itemsOfTriggers(out(h)), "B was the least recently changed");
            assertEquals(2, h.counter("cartLinesDropped"), "A went first, came back, then B went");
        }
        assertThrows(IllegalArgumentException.class, () -> AbandonmentConfig.fromArgs("--max-cart-lines", "201"));
        assertThrows(IllegalArgumentException.class, () -> AbandonmentConfig.fromArgs("--max-cart-lines", "0"));
    }

    // ---- Nothing leaks ----

    @Test
    void aBrowseOnlyVisitorLeavesNoStateOnceItsEventsAreApplied() throws Exception {
        try (var h = harness()) {
            h.send(event(EventType.VIEW_ITEM, "c1", "e1", T, "A"));
            h.send(event(EventType.SEARCH, "c1", "e2", T + MIN, null));
            ShopperEvent anonymous = event(EventType.VIEW_ITEM, "x", "e3", T, "A");
            anonymous.customerId = null;
            anonymous.anonymousId = "anon-1";
            anonymous.customerKey = ShopperEvent.customerKeyOf(null, "anon-1");
            h.send(anonymous);
            h.processWatermark(T + 5 * MIN);
            assertEquals(0, h.numEventTimeTimers());
            assertEquals(0, h.stateEntries());
        }
    }

    @Test
    void anEmptiedCartLeavesNoStateOnceTheLateEventHorizonHasPassed() throws Exception {
        try (var h = harness()) {
            h.send(add("c1", "e1", T, "P"));
            h.send(remove("c1", "e2", T + 5 * MIN, "P"));
            h.processWatermark(T + HOUR);
            assertEquals(1, h.numEventTimeTimers(), "the removal is kept for events up to --max-lateness late");
            h.send(add("c1", "e0", T - MIN, "P")); // late, and older than the removal
            h.processWatermark(T + 5 * MIN + 24 * HOUR + 1);
            assertEquals(List.of(), out(h));
            assertEquals(0, h.numEventTimeTimers());
            assertEquals(0, h.stateEntries());
        }
    }

    @Test
    void aBoughtCartKeepsOnlyTheLifetimeOrdersOnceTheLateEventHorizonHasPassed() throws Exception {
        try (var h = harness("--stages", "30min")) {
            h.send(add("c1", "e1", T, "P"));
            h.send(purchase("c1", "e2", T + 5 * MIN, "P"));
            h.processWatermark(T + HOUR);
            h.send(add("c1", "e0", T + MIN, "P")); // late, and older than the purchase
            assertEquals(List.of(), out(h));
            assertEquals(1, h.numEventTimeTimers());
            h.processWatermark(T + 5 * MIN + 24 * HOUR + 1);
            assertEquals(0, h.numEventTimeTimers());
            assertEquals(1, h.stateEntries(), "lifetime orders and revenue, under --customer-ttl");

            h.send(add("c1", "e3", T + 25 * HOUR, "P"));
            h.processWatermark(T + 26 * HOUR);
            AbandonmentMessage m = out(h).get(0);
            assertEquals("returning", m.customerType);
            assertEquals(1, m.lifetimeOrders);
        }
    }
}
