package dev.rtpe.abandonment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;

/** The per-line rules by event time (README, "The abandonment job", late events). */
class CartLinesTest {
    private static final long T = 1_795_000_000_000L;
    private static final long MIN = 60_000;

    private static long at(long minute, EventType type) {
        return EventOrder.key(T + minute * MIN, type);
    }

    private static long add(long minute) {
        return at(minute, EventType.ADD_TO_CART);
    }

    private static long removal(long minute) {
        return at(minute, EventType.REMOVE_FROM_CART);
    }

    private static long view(long minute) {
        return at(minute, EventType.VIEW_CART);
    }

    private static long purchase(long minute) {
        return at(minute, EventType.PURCHASE);
    }

    /** "A×2@50 B×1@10", in cart order. */
    private static String cart(CartLines c) {
        return c.lines().stream().map(l -> l.product + "×" + l.quantity + "@" + (long) l.unitPrice).collect(Collectors.joining(" "));
    }

    private static LineItem item(String product, int quantity, double price) {
        return new LineItem(product, "shoes", price, quantity);
    }

    @Test
    void addsAddUnitsAndTheLatestAddSetsThePrice() {
        CartLines c = new CartLines();
        c.add("A", 1, 50, "shoes", add(0));
        c.add("A", 2, 40, "shoes", add(5));
        c.add("A", 1, 30, "shoes", add(2)); // late: its units count, its price is not the latest
        assertEquals("A×4@40", cart(c));
    }

    @Test
    void aLateAddOlderThanAPurchaseOrRemovalOfItsProductIsIgnored() {
        CartLines c = new CartLines();
        c.buy("P", purchase(5));
        c.remove("R", 0, removal(5)); // a removal of a product not in the cart
        c.remove("S", 1, removal(5));
        assertFalse(c.add("P", 1, 50, null, add(0)));
        assertFalse(c.add("R", 1, 50, null, add(0)));
        assertFalse(c.add("S", 1, 50, null, add(0)));
        assertTrue(c.add("P", 1, 50, null, add(6)), "bought again after the purchase");
        assertEquals("P×1@50", cart(c));
        assertFalse(c.add("P", 1, 50, null, add(1)), "the purchase still settles what came before it");
        assertEquals("P×1@50", cart(c));
    }

    @Test
    void aPurchaseRemovesTheWholeLineHoweverManyUnitsWereBought() {
        CartLines c = new CartLines();
        c.add("P", 3, 50, null, add(0));
        c.add("Q", 1, 10, null, add(1));
        c.buy("P", purchase(2));
        assertEquals("Q×1@10", cart(c));
    }

    @Test
    void aLateAbsoluteChangeOlderThanALinesLastChangeLeavesTheLine() {
        CartLines c = new CartLines();
        c.add("A", 1, 50, null, add(0));
        c.add("B", 1, 50, null, add(0));
        c.add("A", 1, 50, null, add(10));
        c.add("B", 1, 50, null, add(10));
        c.buy("A", purchase(5)); // re-added after the purchase
        c.remove("B", 0, removal(5));
        assertEquals("A×2@50 B×2@50", cart(c));
        assertFalse(c.add("A", 1, 50, null, add(3)), "the purchase settled the units before it");
        c.remove("A", 1, removal(3));
        assertEquals("A×2@50 B×2@50", cart(c));
    }

    @Test
    void lateAdditiveChangesApplyUnlessAnAbsoluteChangeOfTheLineIsNewer() {
        CartLines c = new CartLines();
        c.add("A", 3, 50, null, add(0));
        c.remove("A", 1, removal(2)); // late relative to nothing: plain
        assertEquals("A×2@50", cart(c));
        c.add("A", 1, 50, null, add(1)); // late, but additive: commutes
        assertEquals("A×3@50", cart(c));
        c.replaceWith(new LineItem[] {item("A", 1, 50)}, view(5));
        c.add("A", 1, 50, null, add(4));
        c.remove("A", 1, removal(4));
        assertEquals("A×1@50", cart(c), "the snapshot at 5 settled the line");
        c.remove("A", 1, removal(6));
        assertEquals("", cart(c), "the last unit: the line goes");
        assertFalse(c.add("A", 1, 50, null, add(5)), "and stays gone for what came before");
    }

    @Test
    void aLateSnapshotOnlyChangesLinesOlderThanIt() {
        CartLines c = new CartLines();
        c.add("A", 1, 50, null, add(0));
        c.add("B", 1, 50, null, add(10));
        c.add("D", 1, 50, null, add(1));
        c.buy("E", purchase(8));
        assertTrue(c.replaceWith(new LineItem[] {item("A", 3, 45), item("C", 1, 20), item("E", 1, 5)}, view(5)));
        assertEquals("A×3@45 B×1@50 C×1@20", cart(c),
                "A set, B changed after the snapshot stays, D not listed goes, C comes in, E bought after it stays out");
        assertFalse(c.add("D", 1, 50, null, add(4)), "the snapshot removed D");
    }

    @Test
    void anEmptySnapshotEmptiesTheLinesOlderThanIt() {
        CartLines c = new CartLines();
        c.add("A", 1, 50, null, add(0));
        c.add("B", 1, 50, null, add(10));
        assertFalse(c.replaceWith(new LineItem[0], view(5)));
        assertEquals("B×1@50", cart(c));
    }

    @Test
    void aSnapshotListingAProductTwiceCountsBoth() {
        CartLines c = new CartLines();
        c.replaceWith(new LineItem[] {item("A", 1, 50), item("A", 2, 50)}, view(0));
        assertEquals("A×3@50", cart(c));
    }

    @Test
    void atTheSameMillisecondTheLaterFunnelStepWinsWhateverTheArrivalOrder() {
        CartLines addFirst = new CartLines();
        addFirst.add("P", 1, 50, null, add(0));
        addFirst.buy("P", purchase(0));
        CartLines purchaseFirst = new CartLines();
        purchaseFirst.buy("P", purchase(0));
        purchaseFirst.add("P", 1, 50, null, add(0));
        assertEquals("", cart(addFirst));
        assertEquals("", cart(purchaseFirst));
    }

    @Test
    void aLineNeverHoldsMoreThanTheSchemasLargestQuantity() {
        CartLines c = new CartLines();
        c.add("A", 999, 1, null, add(0));
        c.add("A", 999, 1, null, add(1));
        assertEquals(CartLines.MAX_QUANTITY, c.lines().get(0).quantity);
    }

    @Test
    void trimmingDropsTheLeastRecentlyChangedLinesAndKeepsWhatTheyBlock() {
        CartLines c = new CartLines();
        c.buy("A", purchase(0));
        c.add("A", 1, 50, null, add(1));
        c.add("B", 1, 50, null, add(2));
        c.add("C", 1, 50, null, add(3));
        c.add("B", 1, 50, null, add(4));
        assertEquals(1, c.trimTo(2));
        assertEquals("B×2@50 C×1@50", cart(c));
        assertFalse(c.add("A", 1, 50, null, add(0)), "A's purchase still blocks older adds of it");
        assertEquals(0, c.trimTo(2));
    }

    @Test
    void removalsAreBoundedAndForgottenOnceNoEventOldEnoughIsAccepted() {
        CartLines c = new CartLines();
        for (int i = 0; i < 10; i++) {
            c.remove("P" + i, 0, removal(i));
        }
        assertEquals(3, c.trimRemovalsTo(7));
        assertEquals(T + 3 * MIN, c.earliestRemovalTime());
        c.forgetRemovalsBefore(T + 9 * MIN);
        assertEquals(List.of("P9"), List.copyOf(c.removals().keySet()));
        c.forgetRemovalsBefore(T + 10 * MIN);
        assertFalse(c.hasRemovals());
        assertEquals(Long.MAX_VALUE, c.earliestRemovalTime());
    }

    /** In event-time order the rules are the plain ones: compared with a plain cart over random shopper sessions. */
    @Test
    void inOrderTheRulesAreThePlainOnes() {
        Random random = new Random(42);
        String[] products = {"A", "B", "C", "D"};
        EventType[] types = {EventType.ADD_TO_CART, EventType.ADD_TO_CART, EventType.REMOVE_FROM_CART, EventType.VIEW_CART,
                EventType.BEGIN_CHECKOUT, EventType.PURCHASE};
        for (int session = 0; session < 500; session++) {
            CartLines c = new CartLines();
            Map<String, int[]> plain = new LinkedHashMap<>(); // product → {quantity, price}
            List<long[]> events = new ArrayList<>(); // {minute, type, product, quantity, price}
            for (int i = 0; i < 12; i++) {
                events.add(new long[] {random.nextInt(6), random.nextInt(types.length), random.nextInt(products.length),
                        random.nextInt(3), 10 + random.nextInt(5)});
            }
            events.sort(Comparator.comparingLong((long[] e) -> EventOrder.key(T + e[0] * MIN, types[(int) e[1]])));
            for (long[] e : events) {
                EventType type = types[(int) e[1]];
                String p = products[(int) e[2]];
                int n = (int) e[3];
                long key = EventOrder.key(T + e[0] * MIN, type);
                switch (type) {
                    case ADD_TO_CART:
                        c.add(p, Math.max(1, n), e[4], null, key);
                        plain.merge(p, new int[] {Math.max(1, n), (int) e[4]}, (a, b) -> new int[] {a[0] + b[0], b[1]});
                        break;
                    case REMOVE_FROM_CART:
                        c.remove(p, n, key);
                        int[] line = plain.get(p);
                        if (line != null && n > 0 && n < line[0]) {
                            line[0] -= n;
                        } else {
                            plain.remove(p);
                        }
                        break;
                    case PURCHASE:
                        c.buy(p, key);
                        plain.remove(p);
                        break;
                    default: // a snapshot: the cart is what it lists
                        List<LineItem> listed = new ArrayList<>();
                        Map<String, int[]> next = new LinkedHashMap<>();
                        for (String q : products) {
                            if (random.nextBoolean()) {
                                int qty = 1 + random.nextInt(3);
                                listed.add(item(q, qty, e[4]));
                                next.put(q, new int[] {qty, (int) e[4]});
                            }
                        }
                        c.replaceWith(listed.toArray(new LineItem[0]), key);
                        plain = next;
                }
                Map<String, String> actual = new java.util.TreeMap<>();
                c.lines().forEach(l -> actual.put(l.product, l.quantity + "@" + (long) l.unitPrice));
                Map<String, String> expected = new java.util.TreeMap<>();
                plain.forEach((q, v) -> expected.put(q, v[0] + "@" + v[1]));
                assertEquals(expected, actual, "session " + session + " after " + type + " " + p);
            }
        }
    }
}
