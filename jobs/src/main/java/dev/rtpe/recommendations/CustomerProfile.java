package dev.rtpe.recommendations;

/**
 * What the customer stage knows about one shopper. A Flink POJO, one RocksDB value per shopper,
 * expired by TTL. Arrays are newest first.
 */
public class CustomerProfile {
    /** The last event applied, by the sequence numbers of stage 1. */
    public long lastSeq;
    /** Parts that arrived ahead of an earlier event still on its way. */
    public CustomerStep[] pending = new CustomerStep[0];

    /** Candidates from the neighbours of what the shopper touched, decayed in event time. */
    public DecayingTopK alsoViewed = new DecayingTopK();
    public DecayingTopK boughtTogether = new DecayingTopK();
    /** Interest per category, decayed like the candidates. */
    public DecayingTopK categories = new DecayingTopK();

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

    /** A shopper who withdrew consent keeps no behavioural profile. */
    void forgetBehaviour() {
        alsoViewed.clear();
        boughtTogether.clear();
        categories.clear();
        recentlyViewed = new String[0];
        recentlyViewedCategories = new String[0];
        cart = new String[0];
        purchased = new String[0];
        purchasedCategories = new String[0];
    }
}
