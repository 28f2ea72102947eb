package dev.rtpe.recommendations;

/**
 * What every customer-stage instance must know: a category's trending products, or a product's
 * stock. Broadcast, so exactly one of the two parts is set. A Flink POJO.
 */
public class ContextUpdate {
    /** Trending: the category and its products, best first, with scores as of {@code asOf}. */
    public String category;
    public String[] trendingProducts;
    public double[] trendingScores;
    /** Each product's own category (null: none); null on lists from before it was kept. */
    public String[] trendingItemCategories;
    public long asOf;
    /**
     * From when the customer stage may use the list, in event time: never before the trending
     * stage's watermark, so the list is never late there, and a shopper's list sees the same
     * trending lists however fast each path runs ({@link TrendingVersions}).
     */
    public long effectiveAt;

    /** Stock: a product and whether it can be bought. */
    public String stockProductId;
    public boolean inStock;

    public ContextUpdate() {}

    public static ContextUpdate trending(String category, String[] products, double[] scores, long asOf) {
        return trending(category, products, scores, null, asOf, asOf);
    }

    public static ContextUpdate trending(String category, String[] products, double[] scores, String[] itemCategories, long asOf,
                                         long effectiveAt) {
        ContextUpdate u = new ContextUpdate();
        u.category = category;
        u.trendingProducts = products;
        u.trendingScores = scores;
        u.trendingItemCategories = itemCategories;
        u.asOf = asOf;
        u.effectiveAt = effectiveAt;
        return u;
    }

    public static ContextUpdate stock(String productId, boolean inStock) {
        ContextUpdate u = new ContextUpdate();
        u.stockProductId = productId;
        u.inStock = inStock;
        return u;
    }

    /** The category the list item of trending product {@code i} carries: its own, never a trending key. */
    public String itemCategory(int i) {
        if (trendingItemCategories != null) {
            return trendingItemCategories[i];
        }
        return TrendingSignal.UNCATEGORIZED.equals(category) || TrendingSignal.OVERALL.equals(category) ? null : category;
    }

    public boolean isTrending() {
        return category != null;
    }
}
