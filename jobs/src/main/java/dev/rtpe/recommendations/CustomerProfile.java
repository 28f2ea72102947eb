package dev.rtpe.recommendations;

import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;

/**
 * What the customer stage knows about one shopper: one compact RocksDB value per shopper, expired
 * by TTL. Arrays are newest first.
 */
public class CustomerProfile {
    /** 2 added {@link #ownProducts}; 1 is still read (an empty pool). */
    static final int FORMAT = 2;
    /** Stage 1's epoch for this shopper; its sequence numbers count within it. */
    public long epoch;
    /** The last event applied, by the sequence numbers of stage 1. */
    public long lastSeq;
    /** Parts that arrived ahead of an earlier event still on its way. */
    public CustomerStep[] pending = new CustomerStep[0];

    /** Candidates from the neighbours of what the shopper touched, decayed in event time. */
    public DecayingTopK alsoViewed = new DecayingTopK();
    public DecayingTopK boughtTogether = new DecayingTopK();
    /** Interest per category, decayed like the candidates. */
    public DecayingTopK categories = new DecayingTopK();
    /**
     * The shopper's own products: each view, wish-list add, add to cart or order line adds its event
     * weight, decayed like the candidates. What the shopper keeps coming back to ranks first.
     */
    public DecayingTopK ownProducts = new DecayingTopK();

    public String[] recentlyViewed = new String[0];
    public String[] recentlyViewedCategories = new String[0];
    public String[] cart = new String[0];
    public String[] purchased = new String[0];
    public String[] purchasedCategories = new String[0];

    /** The list last sent to the shopper; null until the first one. */
    public String[] lastList;
    /** The product of the shopper's previous product event. */
    public String previousProduct;

    public CustomerProfile() {}

    static final CompactValueState.Codec<CustomerProfile> CODEC = new CompactValueState.Codec<>() {
        @Override
        public void write(CustomerProfile p, CompactState.Writer w) {
            w.putByte(FORMAT).putLong(p.epoch).putLong(p.lastSeq).putVarInt(p.pending.length);
            for (CustomerStep s : p.pending) {
                s.write(w);
            }
            p.alsoViewed.write(w);
            p.boughtTogether.write(w);
            p.categories.write(w);
            w.putStrings(p.recentlyViewed).putStrings(p.recentlyViewedCategories).putStrings(p.cart)
                    .putStrings(p.purchased).putStrings(p.purchasedCategories)
                    .putBoolean(p.lastList != null);
            if (p.lastList != null) {
                w.putStrings(p.lastList);
            }
            w.putString(p.previousProduct);
            p.ownProducts.write(w);
        }

        @Override
        public CustomerProfile read(CompactState.Reader r) {
            int format = r.version(1, FORMAT, "customer profile");
            CustomerProfile p = new CustomerProfile();
            p.epoch = r.getLong();
            p.lastSeq = r.getLong();
            p.pending = new CustomerStep[r.getVarInt()];
            for (int i = 0; i < p.pending.length; i++) {
                p.pending[i] = CustomerStep.read(r);
            }
            p.alsoViewed = DecayingTopK.read(r);
            p.boughtTogether = DecayingTopK.read(r);
            p.categories = DecayingTopK.read(r);
            p.recentlyViewed = r.getStrings();
            p.recentlyViewedCategories = r.getStrings();
            p.cart = r.getStrings();
            p.purchased = r.getStrings();
            p.purchasedCategories = r.getStrings();
            p.lastList = r.getBoolean() ? r.getStrings() : null;
            p.previousProduct = r.getString();
            if (format >= 2) {
                p.ownProducts = DecayingTopK.read(r);
            }
            return p;
        }
    };

    /** A shopper who withdrew consent keeps no behavioural profile. */
    void forgetBehaviour() {
        alsoViewed.clear();
        boughtTogether.clear();
        categories.clear();
        ownProducts.clear();
        recentlyViewed = new String[0];
        recentlyViewedCategories = new String[0];
        cart = new String[0];
        purchased = new String[0];
        purchasedCategories = new String[0];
    }
}
