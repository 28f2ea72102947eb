package dev.rtpe.abandonment;

import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;
import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/**
 * What the abandonment job knows about one shopper: the cart and where its message sequence
 * stands, the events still ahead of the watermark, plus what outlives a cart (the last trigger, for
 * recoveries and the frequency cap, and lifetime orders). One compact RocksDB value per shopper.
 */
public class CartState {
    /** 2: lines with change times, removals, pending events; no held stage. Format 1 is still read. */
    static final int FORMAT = 2;

    /** Furthest funnel step of the current cart: 0 none, then add_to_cart, view_cart, begin_checkout. */
    static final int STEP_NONE = 0;
    static final int STEP_ADD_TO_CART = 1;
    static final int STEP_VIEW_CART = 2;
    static final int STEP_BEGIN_CHECKOUT = 3;

    // The cart.
    CartLines lines = new CartLines();
    public String currency;
    /** Event time of the add that started this cart; part of the trigger ids. Meaningful while the cart is not empty. */
    public long cartStartedAt;
    public int furthestStep;
    /** Bit k set: stage k+1 of this cart has fired (or was suppressed). */
    public int doneStages;
    /** Event time of the registered timer, or Long.MIN_VALUE. */
    public long timerAt = Long.MIN_VALUE;

    /** Events ahead of the watermark, not applied yet. */
    PendingEvents pending = new PendingEvents();

    // The shopper's latest activity.
    public long lastActivityAt = Long.MIN_VALUE;
    public String lastActivityEventId;
    public String lastActivityEventType;
    public String channel;
    /** Of the cart's latest event that has one. */
    public String timeZone;
    public boolean marketingConsent;

    // What outlives a cart.
    public String lastTriggerId;
    public int lastTriggerStage;
    public long lastTriggerAt = Long.MIN_VALUE;
    public boolean lastTriggerRecovered;
    public long lifetimeOrders;
    public double lifetimeRevenue;

    public CartState() {}

    boolean cartEmpty() {
        return lines.isEmpty();
    }

    /** A new cart: its own start, stages, steps, currency and time zone. */
    void startCart(long at) {
        cartStartedAt = at;
        doneStages = 0;
        furthestStep = STEP_NONE;
        currency = null;
        timeZone = null;
    }

    /** The cart is gone (bought or emptied): its sequence ends. Its removals stay, for late events. */
    void endCart() {
        currency = null;
        furthestStep = STEP_NONE;
        doneStages = 0;
    }

    void forgetLastTrigger() {
        lastTriggerId = null;
        lastTriggerStage = 0;
        lastTriggerAt = Long.MIN_VALUE;
        lastTriggerRecovered = false;
    }

    /** Nothing here is needed any more: the shopper's state can go. */
    boolean holdsNothing() {
        return lifetimeOrders == 0 && holdsOnlyLifetime();
    }

    /** No cart, no pending events, no removals, no trigger: only the lifetime orders and revenue matter. */
    boolean holdsOnlyLifetime() {
        return lines.isEmpty() && !lines.hasRemovals() && pending.isEmpty() && lastTriggerId == null;
    }

    /** A state with the lifetime orders and revenue of this one, and nothing else. */
    CartState lifetimeOnly() {
        CartState kept = new CartState();
        kept.lifetimeOrders = lifetimeOrders;
        kept.lifetimeRevenue = lifetimeRevenue;
        return kept;
    }

    static final CompactValueState.Codec<CartState> CODEC = new CompactValueState.Codec<>() {
        @Override
        public void write(CartState s, CompactState.Writer w) {
            w.putByte(FORMAT).putVarInt(s.lines.size());
            for (CartLines.Line l : s.lines.lines()) {
                w.putString(l.product).putVarInt(l.quantity).putDouble(l.unitPrice).putString(l.category)
                        .putLong(l.changedAt).putLong(l.settledAt);
            }
            w.putVarInt(s.lines.removals().size());
            s.lines.removals().forEach((product, at) -> w.putString(product).putLong(at));
            w.putString(s.currency).putLong(s.cartStartedAt).putVarInt(s.furthestStep).putVarInt(s.doneStages)
                    .putLong(s.timerAt)
                    .putLong(s.lastActivityAt).putString(s.lastActivityEventId).putString(s.lastActivityEventType)
                    .putString(s.channel).putString(s.timeZone).putBoolean(s.marketingConsent)
                    .putString(s.lastTriggerId).putVarInt(s.lastTriggerStage).putLong(s.lastTriggerAt)
                    .putBoolean(s.lastTriggerRecovered).putLong(s.lifetimeOrders).putDouble(s.lifetimeRevenue)
                    .putVarInt(s.pending.size());
            for (ShopperEvent e : s.pending.events()) {
                PendingEvents.write(e, w);
            }
        }

        @Override
        public CartState read(CompactState.Reader r) {
            int format = r.getByte();
            if (format == 1) {
                return readFormat1(r);
            }
            if (format != FORMAT) {
                throw new IllegalStateException("cart state has format " + format + "; this version reads 1 and " + FORMAT);
            }
            CartState s = new CartState();
            int lines = r.getVarInt();
            for (int i = 0; i < lines; i++) {
                s.lines.restoreLine(new CartLines.Line(r.getString(), r.getVarInt(), r.getDouble(), r.getString(), r.getLong(), r.getLong()));
            }
            int removals = r.getVarInt();
            for (int i = 0; i < removals; i++) {
                s.lines.restoreRemoval(r.getString(), r.getLong());
            }
            s.currency = r.getString();
            s.cartStartedAt = r.getLong();
            s.furthestStep = r.getVarInt();
            s.doneStages = r.getVarInt();
            s.timerAt = r.getLong();
            readActivityTriggerAndLifetime(r, s);
            int pending = r.getVarInt();
            for (int i = 0; i < pending; i++) {
                s.pending.add(PendingEvents.read(r));
            }
            return s;
        }
    };

    /** The fields both formats hold in the same layout: the latest activity, the last trigger, lifetime orders. */
    private static void readActivityTriggerAndLifetime(CompactState.Reader r, CartState s) {
        s.lastActivityAt = r.getLong();
        s.lastActivityEventId = r.getString();
        s.lastActivityEventType = r.getString();
        s.channel = r.getString();
        s.timeZone = r.getString();
        s.marketingConsent = r.getBoolean();
        s.lastTriggerId = r.getString();
        s.lastTriggerStage = r.getVarInt();
        s.lastTriggerAt = r.getLong();
        s.lastTriggerRecovered = r.getBoolean();
        s.lifetimeOrders = r.getLong();
        s.lifetimeRevenue = r.getDouble();
    }

    /**
     * Format 1 (before event-time order): lines without change times. They count as changed at the
     * shopper's last activity, the latest they can have changed. A stage held for quiet hours needs
     * no field now: its timer still fires at the release time, when the stage is due.
     */
    static CartState readFormat1(CompactState.Reader r) {
        CartState s = new CartState();
        String[] products = r.getStrings();
        int[] quantities = new int[r.getVarInt()];
        for (int i = 0; i < quantities.length; i++) {
            quantities[i] = r.getVarInt();
        }
        double[] unitPrices = r.getDoubles();
        String[] categories = r.getStrings();
        s.currency = r.getString();
        s.cartStartedAt = r.getLong();
        s.furthestStep = r.getVarInt();
        s.doneStages = r.getVarInt();
        s.timerAt = r.getLong();
        r.getVarInt(); // held stage
        readActivityTriggerAndLifetime(r, s);
        long changedAt = s.lastActivityAt == Long.MIN_VALUE ? Long.MIN_VALUE : EventOrder.key(s.lastActivityAt, EventType.VIEW_ITEM);
        for (int i = 0; i < products.length; i++) {
            s.lines.restoreLine(new CartLines.Line(products[i], quantities[i], unitPrices[i], categories[i], changedAt, Long.MIN_VALUE));
        }
        return s;
    }
}
