package dev.rtpe.abandonment;

import java.util.Arrays;

import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;

/**
 * What the abandonment job knows about one shopper: the cart and where its message sequence
 * stands, plus what outlives a cart (the last trigger, for recoveries and the frequency cap, and
 * lifetime orders). One compact RocksDB value per shopper.
 */
public class CartState {
    static final int FORMAT = 1;

    /** Furthest funnel step of the current cart: 0 none, then add_to_cart, view_cart, begin_checkout. */
    static final int STEP_NONE = 0;
    static final int STEP_ADD_TO_CART = 1;
    static final int STEP_VIEW_CART = 2;
    static final int STEP_BEGIN_CHECKOUT = 3;

    // The cart: parallel arrays, one entry per product line.
    public String[] products = new String[0];
    public int[] quantities = new int[0];
    public double[] unitPrices = new double[0];
    public String[] categories = new String[0];
    public String currency;
    /** Event time of the add that started this cart; part of the trigger ids. Meaningful while the cart is not empty. */
    public long cartStartedAt;
    public int furthestStep;
    /** Bit k set: stage k+1 of this cart has fired (or was suppressed). */
    public int doneStages;
    /** Event time of the pending timer, or Long.MIN_VALUE. */
    public long timerAt = Long.MIN_VALUE;
    /** The stage held back by quiet hours until {@link #timerAt}, or -1. */
    public int heldStage = -1;

    // The shopper's latest activity.
    public long lastActivityAt = Long.MIN_VALUE;
    public String lastActivityEventId;
    public String lastActivityEventType;
    public String channel;
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
        return products.length == 0;
    }

    double cartValue() {
        double v = 0;
        for (int i = 0; i < products.length; i++) {
            v += quantities[i] * unitPrices[i];
        }
        return Math.round(v * 100) / 100.0;
    }

    void add(String product, int quantity, double unitPrice, String category) {
        int i = Arrays.asList(products).indexOf(product);
        if (i >= 0) {
            quantities[i] += quantity;
            unitPrices[i] = unitPrice;
            return;
        }
        products = Arrays.copyOf(products, products.length + 1);
        quantities = Arrays.copyOf(quantities, quantities.length + 1);
        unitPrices = Arrays.copyOf(unitPrices, unitPrices.length + 1);
        categories = Arrays.copyOf(categories, categories.length + 1);
        int last = products.length - 1;
        products[last] = product;
        quantities[last] = quantity;
        unitPrices[last] = unitPrice;
        categories[last] = category;
    }

    /** Removes {@code quantity} units, or the whole line when {@code quantity} is 0 or more than there are. */
    void remove(String product, int quantity) {
        int i = Arrays.asList(products).indexOf(product);
        if (i < 0) {
            return;
        }
        if (quantity > 0 && quantity < quantities[i]) {
            quantities[i] -= quantity;
            return;
        }
        int last = products.length - 1;
        products[i] = products[last];
        quantities[i] = quantities[last];
        unitPrices[i] = unitPrices[last];
        categories[i] = categories[last];
        products = Arrays.copyOf(products, last);
        quantities = Arrays.copyOf(quantities, last);
        unitPrices = Arrays.copyOf(unitPrices, last);
        categories = Arrays.copyOf(categories, last);
    }

    /** The cart is gone (bought or emptied): its sequence ends. */
    void endCart() {
        products = new String[0];
        quantities = new int[0];
        unitPrices = new double[0];
        categories = new String[0];
        currency = null;
        furthestStep = STEP_NONE;
        doneStages = 0;
        heldStage = -1;
    }

    static final CompactValueState.Codec<CartState> CODEC = new CompactValueState.Codec<>() {
        @Override
        public void write(CartState s, CompactState.Writer w) {
            w.putByte(FORMAT).putStrings(s.products).putVarInt(s.quantities.length);
            for (int q : s.quantities) {
                w.putVarInt(q);
            }
            w.putDoubles(s.unitPrices).putStrings(s.categories).putString(s.currency).putLong(s.cartStartedAt)
                    .putVarInt(s.furthestStep).putVarInt(s.doneStages).putLong(s.timerAt).putVarInt(s.heldStage + 1)
                    .putLong(s.lastActivityAt).putString(s.lastActivityEventId).putString(s.lastActivityEventType)
                    .putString(s.channel).putString(s.timeZone).putBoolean(s.marketingConsent)
                    .putString(s.lastTriggerId).putVarInt(s.lastTriggerStage).putLong(s.lastTriggerAt)
                    .putBoolean(s.lastTriggerRecovered).putLong(s.lifetimeOrders).putDouble(s.lifetimeRevenue);
        }

        @Override
        public CartState read(CompactState.Reader r) {
            r.expectVersion(FORMAT, "cart");
            CartState s = new CartState();
            s.products = r.getStrings();
            s.quantities = new int[r.getVarInt()];
            for (int i = 0; i < s.quantities.length; i++) {
                s.quantities[i] = r.getVarInt();
            }
            s.unitPrices = r.getDoubles();
            s.categories = r.getStrings();
            s.currency = r.getString();
            s.cartStartedAt = r.getLong();
            s.furthestStep = r.getVarInt();
            s.doneStages = r.getVarInt();
            s.timerAt = r.getLong();
            s.heldStage = r.getVarInt() - 1;
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
            return s;
        }
    };
}
