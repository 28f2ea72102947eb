package dev.rtpe.abandonment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.Channel;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/** The shopper's state survives its compact codec, and state written by the previous format is still read. */
class CartStateTest {
    private static final long T = 1_795_000_000_000L;

    private static CartState roundTrip(CartState s) {
        CompactState.Writer w = new CompactState.Writer();
        CartState.CODEC.write(s, w);
        return CartState.CODEC.read(new CompactState.Reader(w.toBytes()));
    }

    private static String lines(CartState s) {
        return s.lines.lines().stream()
                .map(l -> l.product + "×" + l.quantity + "@" + l.unitPrice + "/" + l.category + "/" + l.changedAt + "/" + l.settledAt)
                .collect(Collectors.joining(" "));
    }

    private static String describe(ShopperEvent e) {
        return String.join(" ", e.eventId, e.eventType.name(), String.valueOf(e.eventTime), e.customerId, String.valueOf(e.channel),
                e.productId, e.category, String.valueOf(e.price), e.currency, String.valueOf(e.quantity), e.orderId,
                String.valueOf(e.value), String.valueOf(e.consentMarketing), e.timeZone,
                e.items == null ? "no items" : java.util.Arrays.toString(e.items));
    }

    @Test
    void everyFieldSurvivesTheCodec() {
        CartState s = new CartState();
        s.lines.add("A", 2, 49.5, "shoes", EventOrder.key(T, EventType.ADD_TO_CART));
        s.lines.add("B", 1, 10, null, EventOrder.key(T + 1, EventType.ADD_TO_CART));
        s.lines.replaceWith(new LineItem[] {new LineItem("A", "shoes", 45, 3), new LineItem("B", null, Double.NaN, 1)},
                EventOrder.key(T + 2, EventType.VIEW_CART));
        s.lines.buy("C", EventOrder.key(T + 3, EventType.PURCHASE));
        s.currency = "EUR";
        s.cartStartedAt = T;
        s.furthestStep = CartState.STEP_VIEW_CART;
        s.doneStages = 0b10;
        s.timerAt = T + 30 * 60_000;
        s.lastActivityAt = T + 3;
        s.lastActivityEventId = "e3";
        s.lastActivityEventType = "purchase";
        s.channel = "app";
        s.timeZone = "Europe/Berlin";
        s.marketingConsent = true;
        s.lastTriggerId = "0123456789abcdef0123456789abcdef";
        s.lastTriggerStage = 2;
        s.lastTriggerAt = T - 5;
        s.lastTriggerRecovered = true;
        s.lifetimeOrders = 4;
        s.lifetimeRevenue = 123.45;
        ShopperEvent view = new ShopperEvent();
        view.eventId = "e5";
        view.eventType = EventType.VIEW_CART;
        view.eventTime = T + 5;
        view.customerId = "c1";
        view.channel = Channel.MOBILE_WEB;
        view.items = new LineItem[] {new LineItem("A", "shoes", 45, 3), new LineItem("D", null, Double.NaN, 0)};
        view.currency = "EUR";
        view.timeZone = "Europe/Berlin";
        ShopperEvent add = new ShopperEvent();
        add.eventId = "e4";
        add.eventType = EventType.ADD_TO_CART;
        add.eventTime = T + 4;
        add.productId = "E";
        add.price = 5;
        add.quantity = 2;
        add.consentMarketing = true;
        ShopperEvent emptyView = new ShopperEvent();
        emptyView.eventId = "e6";
        emptyView.eventType = EventType.VIEW_CART;
        emptyView.eventTime = T + 6;
        emptyView.items = new LineItem[0];
        s.pending.add(view);
        s.pending.add(add);
        s.pending.add(emptyView);

        CartState r = roundTrip(s);
        assertEquals(lines(s), lines(r));
        assertEquals("A×3@45.0/shoes/" + EventOrder.key(T + 2, EventType.VIEW_CART) + "/" + EventOrder.key(T + 2, EventType.VIEW_CART)
                + " B×1@10.0/null/" + EventOrder.key(T + 2, EventType.VIEW_CART) + "/" + EventOrder.key(T + 2, EventType.VIEW_CART), lines(r));
        assertEquals(s.lines.removals(), r.lines.removals());
        assertEquals(List.of("e4", "e5", "e6"), r.pending.events().stream().map(e -> e.eventId).collect(Collectors.toList()), "in event order");
        for (int i = 0; i < 3; i++) {
            assertEquals(describe(s.pending.events().get(i)), describe(r.pending.events().get(i)));
        }
        assertNull(r.pending.events().get(0).items, "absent items stay absent");
        assertEquals(0, r.pending.events().get(2).items.length, "an empty list stays empty");
        assertEquals(List.of(s.currency, s.cartStartedAt, s.furthestStep, s.doneStages, s.timerAt, s.lastActivityAt,
                        s.lastActivityEventId, s.lastActivityEventType, s.channel, s.timeZone, s.marketingConsent, s.lastTriggerId,
                        s.lastTriggerStage, s.lastTriggerAt, s.lastTriggerRecovered, s.lifetimeOrders, s.lifetimeRevenue),
                List.of(r.currency, r.cartStartedAt, r.furthestStep, r.doneStages, r.timerAt, r.lastActivityAt,
                        r.lastActivityEventId, r.lastActivityEventType, r.channel, r.timeZone, r.marketingConsent, r.lastTriggerId,
                        r.lastTriggerStage, r.lastTriggerAt, r.lastTriggerRecovered, r.lifetimeOrders, r.lifetimeRevenue));
    }

    @Test
    void anEmptyStateSurvivesTheCodec() {
        CartState r = roundTrip(new CartState());
        assertEquals(0, r.lines.size());
        assertEquals(0, r.pending.size());
        assertEquals(Long.MIN_VALUE, r.timerAt);
        assertEquals(Long.MIN_VALUE, r.lastActivityAt);
        assertNull(r.lastTriggerId);
    }

    /** Format 1, as the previous version wrote it: lines without times, and a held stage. */
    @Test
    void stateOfFormatOneIsStillRead() {
        CompactState.Writer w = new CompactState.Writer();
        w.putByte(1).putStrings(new String[] {"A", "B"}).putVarInt(2).putVarInt(2).putVarInt(1)
                .putDoubles(new double[] {50, 10}).putStrings(new String[] {"shoes", null}).putString("USD").putLong(T)
                .putVarInt(CartState.STEP_BEGIN_CHECKOUT).putVarInt(0b1).putLong(T + 99).putVarInt(2)
                .putLong(T + 7).putString("e7").putString("view_cart").putString("web").putString("Europe/Berlin").putBoolean(true)
                .putString("0123456789abcdef0123456789abcdef").putVarInt(1).putLong(T + 5).putBoolean(false).putLong(3).putDouble(99.5);
        CartState s = CartState.CODEC.read(new CompactState.Reader(w.toBytes()));
        long changed = EventOrder.key(T + 7, EventType.VIEW_ITEM);
        assertEquals("A×2@50.0/shoes/" + changed + "/" + Long.MIN_VALUE + " B×1@10.0/null/" + changed + "/" + Long.MIN_VALUE, lines(s),
                "the lines count as changed at the last activity");
        assertEquals(List.of("USD", T, CartState.STEP_BEGIN_CHECKOUT, 0b1, T + 99, T + 7, "e7", "view_cart", "web", "Europe/Berlin", true,
                        "0123456789abcdef0123456789abcdef", 1, T + 5, false, 3L, 99.5),
                List.of(s.currency, s.cartStartedAt, s.furthestStep, s.doneStages, s.timerAt, s.lastActivityAt, s.lastActivityEventId,
                        s.lastActivityEventType, s.channel, s.timeZone, s.marketingConsent, s.lastTriggerId, s.lastTriggerStage,
                        s.lastTriggerAt, s.lastTriggerRecovered, s.lifetimeOrders, s.lifetimeRevenue));
        assertEquals(0, s.pending.size());
    }

    @Test
    void aNewerFormatFailsPlainly() {
        byte[] bytes = {(byte) (CartState.FORMAT + 1)};
        assertThrows(IllegalStateException.class, () -> CartState.CODEC.read(new CompactState.Reader(bytes)));
    }
}
