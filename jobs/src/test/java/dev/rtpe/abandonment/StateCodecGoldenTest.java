package dev.rtpe.abandonment;

import static dev.rtpe.testing.GoldenFiles.assertRoundTrip;
import static dev.rtpe.testing.GoldenFiles.assertSameBytes;
import static dev.rtpe.testing.GoldenFiles.committed;
import static dev.rtpe.testing.GoldenFiles.decode;
import static dev.rtpe.testing.GoldenFiles.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.Channel;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;
import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/**
 * The abandonment job's keyed state (the cart, its pending events, and the last trigger id, which
 * is its dedupe across replays): the codec round-trips, reads its committed golden files (today's
 * format 2 and the format 1 it still reads), and still writes exactly today's bytes. See
 * {@code src/test/resources/golden/README.md}.
 */
class StateCodecGoldenTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String TRIGGER_ID = TriggerIds.of("klient-Łódź", T0, 2);

    /** A purchase with lines (the fields {@link PendingEvents} keeps: nothing else is written). */
    static ShopperEvent pendingPurchase() {
        ShopperEvent e = new ShopperEvent();
        e.eventId = "evt-€-1";
        e.eventType = EventType.PURCHASE;
        e.eventTime = T0 + 5_000;
        e.customerId = "klient-Łódź";
        e.channel = Channel.APP;
        e.currency = "PLN";
        e.orderId = "order-7";
        e.value = 123.45;
        e.consentMarketing = true;
        e.timeZone = "Europe/Warsaw";
        e.items = new LineItem[] {new LineItem("p-1", "shoes", 99.99, 1), new LineItem("p-ß", null, Double.NaN, 1000)};
        return e;
    }

    /** An add without a channel, price given, no lines. */
    static ShopperEvent pendingAdd() {
        ShopperEvent e = new ShopperEvent();
        e.eventId = "evt-2";
        e.eventType = EventType.ADD_TO_CART;
        e.eventTime = T0 + 4_000;
        e.customerId = null;
        e.channel = null;
        e.productId = "p-🛒";
        e.category = "玩具";
        e.price = -0.5;
        e.quantity = 300;
        return e;
    }

    static CartState cart() {
        CartState s = new CartState();
        s.lines.restoreLine(new CartLines.Line("p-1", 2, 49.5, "shoes", EventOrder.key(T0 + 1_000, EventType.ADD_TO_CART), Long.MIN_VALUE));
        s.lines.restoreLine(new CartLines.Line("p-ß", CartLines.MAX_QUANTITY, 0.0, null, EventOrder.key(T0 + 2_000, EventType.VIEW_CART),
                EventOrder.key(T0 + 2_000, EventType.VIEW_CART)));
        s.lines.restoreRemoval("p-removed-ü", EventOrder.key(T0 + 1_500, EventType.REMOVE_FROM_CART));
        s.currency = "PLN";
        s.cartStartedAt = T0;
        s.furthestStep = CartState.STEP_BEGIN_CHECKOUT;
        s.doneStages = 0b101;
        s.timerAt = T0 + 3_600_000;
        s.pending.add(pendingPurchase());
        s.pending.add(pendingAdd());
        s.lastActivityAt = T0 + 3_000;
        s.lastActivityEventId = "evt-0";
        s.lastActivityEventType = "begin_checkout";
        s.channel = "mobile_web";
        s.timeZone = "Asia/Kolkata";
        s.marketingConsent = true;
        s.lastTriggerId = TRIGGER_ID;
        s.lastTriggerStage = 2;
        s.lastTriggerAt = T0 - 86_400_000L;
        s.lastTriggerRecovered = false;
        s.lifetimeOrders = 5_000_000_000L;
        s.lifetimeRevenue = 1234.5;
        return s;
    }

    private static final CompactValueState.Codec<ShopperEvent> PENDING_EVENT = new CompactValueState.Codec<>() {
        @Override
        public void write(ShopperEvent value, CompactState.Writer out) {
            PendingEvents.write(value, out);
        }

        @Override
        public ShopperEvent read(CompactState.Reader in) {
            return PendingEvents.read(in);
        }
    };

    @Test
    void pendingEventsRoundTrip() {
        assertRoundTrip(PENDING_EVENT, pendingPurchase());
        assertRoundTrip(PENDING_EVENT, pendingAdd());
    }

    @Test
    void pendingEventsKeepOnlyWhatTheJobReads() {
        ShopperEvent e = pendingAdd();
        e.customerKey = "a:anon-9";
        e.sessionId = "sess-1";
        e.consentPersonalization = false;
        ShopperEvent read = decode(PENDING_EVENT, encode(PENDING_EVENT, e));
        assertThat(read.customerKey).isNull();
        assertThat(read.sessionId).isNull();
        assertThat(read.consentPersonalization).as("the default").isTrue();
        assertThat(read.productId).isEqualTo("p-🛒");
    }

    @Test
    void cartStateRoundTrips() {
        CartState read = assertRoundTrip(CartState.CODEC, cart());
        assertThat(read.pending.events()).extracting(ev -> ev.eventId).containsExactly("evt-2", "evt-€-1"); // in event-time order
        assertRoundTrip(CartState.CODEC, new CartState());
        assertRoundTrip(CartState.CODEC, cart().lifetimeOnly());
    }

    private static void assertGoldenActivityTriggerAndLifetime(CartState s) {
        assertThat(s.lastActivityAt).isEqualTo(1_767_225_603_000L);
        assertThat(s.lastActivityEventId).isEqualTo("evt-0");
        assertThat(s.lastActivityEventType).isEqualTo("begin_checkout");
        assertThat(s.channel).isEqualTo("mobile_web");
        assertThat(s.timeZone).isEqualTo("Asia/Kolkata");
        assertThat(s.marketingConsent).isTrue();
        assertThat(s.lastTriggerId).isEqualTo(TRIGGER_ID).hasSize(32);
        assertThat(s.lastTriggerStage).isEqualTo(2);
        assertThat(s.lastTriggerAt).isEqualTo(1_767_139_200_000L);
        assertThat(s.lastTriggerRecovered).isFalse();
        assertThat(s.lifetimeOrders).isEqualTo(5_000_000_000L);
        assertThat(s.lifetimeRevenue).isEqualTo(1234.5);
    }

    @Test
    void cartStateFormat2IsReadAndStillWritten() throws Exception {
        String file = "cart-state-v2.bin";
        byte[] golden = committed(file, encode(CartState.CODEC, cart()));
        assertThat(golden[0]).isEqualTo((byte) 2);
        CartState s = decode(CartState.CODEC, golden);
        List<CartLines.Line> lines = s.lines.lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).product).isEqualTo("p-1");
        assertThat(lines.get(0).quantity).isEqualTo(2);
        assertThat(lines.get(0).unitPrice).isEqualTo(49.5);
        assertThat(lines.get(0).category).isEqualTo("shoes");
        assertThat(lines.get(0).changedAt).isEqualTo(EventOrder.key(1_767_225_601_000L, EventType.ADD_TO_CART));
        assertThat(lines.get(0).settledAt).isEqualTo(Long.MIN_VALUE);
        assertThat(lines.get(1).product).isEqualTo("p-ß");
        assertThat(lines.get(1).quantity).isEqualTo(1000);
        assertThat(lines.get(1).unitPrice).isEqualTo(0.0);
        assertThat(lines.get(1).category).isNull();
        assertThat(lines.get(1).changedAt).isEqualTo(EventOrder.key(1_767_225_602_000L, EventType.VIEW_CART));
        assertThat(lines.get(1).settledAt).isEqualTo(EventOrder.key(1_767_225_602_000L, EventType.VIEW_CART));
        assertThat(s.lines.removals()).containsOnlyKeys("p-removed-ü")
                .containsEntry("p-removed-ü", EventOrder.key(1_767_225_601_500L, EventType.REMOVE_FROM_CART));
        assertThat(s.currency).isEqualTo("PLN");
        assertThat(s.cartStartedAt).isEqualTo(1_767_225_600_000L);
        assertThat(s.furthestStep).isEqualTo(CartState.STEP_BEGIN_CHECKOUT);
        assertThat(s.doneStages).isEqualTo(0b101);
        assertThat(s.timerAt).isEqualTo(1_767_229_200_000L);
        assertGoldenActivityTriggerAndLifetime(s);

        List<ShopperEvent> pending = s.pending.events();
        assertThat(pending).hasSize(2);
        ShopperEvent add = pending.get(0);
        assertThat(add.eventId).isEqualTo("evt-2");
        assertThat(add.eventType).isEqualTo(EventType.ADD_TO_CART);
        assertThat(add.eventTime).isEqualTo(1_767_225_604_000L);
        assertThat(add.customerId).isNull();
        assertThat(add.channel).isNull();
        assertThat(add.productId).isEqualTo("p-🛒");
        assertThat(add.category).isEqualTo("玩具");
        assertThat(add.price).isEqualTo(-0.5);
        assertThat(add.quantity).isEqualTo(300);
        assertThat(add.value).isNaN();
        assertThat(add.items).isNull();
        ShopperEvent purchase = pending.get(1);
        assertThat(purchase.eventId).isEqualTo("evt-€-1");
        assertThat(purchase.eventType).isEqualTo(EventType.PURCHASE);
        assertThat(purchase.eventTime).isEqualTo(1_767_225_605_000L);
        assertThat(purchase.customerId).isEqualTo("klient-Łódź");
        assertThat(purchase.channel).isEqualTo(Channel.APP);
        assertThat(purchase.price).isNaN();
        assertThat(purchase.currency).isEqualTo("PLN");
        assertThat(purchase.orderId).isEqualTo("order-7");
        assertThat(purchase.value).isEqualTo(123.45);
        assertThat(purchase.consentMarketing).isTrue();
        assertThat(purchase.timeZone).isEqualTo("Europe/Warsaw");
        assertThat(purchase.items).containsExactly(new LineItem("p-1", "shoes", 99.99, 1), new LineItem("p-ß", null, Double.NaN, 1000));

        assertSameBytes(file, golden, encode(CartState.CODEC, cart()));
    }

    /**
     * Format 1 as the code before event-time order wrote it (commit 954db5d's parent): parallel
     * arrays of lines without times, a held stage (+1), no removals, no pending events. Only
     * generates the golden file once; today's code writes format 2.
     */
    static byte[] cartFormat1() {
        CartState s = cart();
        CompactState.Writer w = new CompactState.Writer();
        w.putByte(1).putStrings(new String[] {"p-1", "p-ß"}).putVarInt(2).putVarInt(2).putVarInt(1000)
                .putDoubles(new double[] {49.5, 0.0}).putStrings(new String[] {"shoes", null})
                .putString(s.currency).putLong(s.cartStartedAt).putVarInt(s.furthestStep).putVarInt(s.doneStages).putLong(s.timerAt)
                .putVarInt(2 + 1) // held stage 2, for quiet hours
                .putLong(s.lastActivityAt).putString(s.lastActivityEventId).putString(s.lastActivityEventType)
                .putString(s.channel).putString(s.timeZone).putBoolean(s.marketingConsent)
                .putString(s.lastTriggerId).putVarInt(s.lastTriggerStage).putLong(s.lastTriggerAt)
                .putBoolean(s.lastTriggerRecovered).putLong(s.lifetimeOrders).putDouble(s.lifetimeRevenue);
        return w.toBytes();
    }

    @Test
    void cartStateFormat1IsStillRead() throws Exception {
        byte[] golden = committed("cart-state-v1.bin", cartFormat1());
        assertThat(golden[0]).isEqualTo((byte) 1);
        CartState s = decode(CartState.CODEC, golden);
        long changedAtLastActivity = EventOrder.key(1_767_225_603_000L, EventType.VIEW_ITEM);
        List<CartLines.Line> lines = s.lines.lines();
        assertThat(lines).extracting(l -> l.product, l -> l.quantity, l -> l.unitPrice, l -> l.category, l -> l.changedAt, l -> l.settledAt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("p-1", 2, 49.5, "shoes", changedAtLastActivity, Long.MIN_VALUE),
                        org.assertj.core.groups.Tuple.tuple("p-ß", 1000, 0.0, null, changedAtLastActivity, Long.MIN_VALUE));
        assertThat(s.lines.hasRemovals()).isFalse();
        assertThat(s.currency).isEqualTo("PLN");
        assertThat(s.cartStartedAt).isEqualTo(1_767_225_600_000L);
        assertThat(s.furthestStep).isEqualTo(CartState.STEP_BEGIN_CHECKOUT);
        assertThat(s.doneStages).isEqualTo(0b101);
        assertThat(s.timerAt).isEqualTo(1_767_229_200_000L);
        assertGoldenActivityTriggerAndLifetime(s);
        assertThat(s.pending.isEmpty()).isTrue();
        assertThat(encode(CartState.CODEC, s)[0]).isEqualTo((byte) 2);
    }
}
