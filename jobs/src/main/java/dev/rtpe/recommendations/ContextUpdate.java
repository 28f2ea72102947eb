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
    public long asOf;

    /** Stock: a product and whether it can be bought. */
    public String stockProductId;
    public boolean inStock;

    public ContextUpdate() {}

    public static ContextUpdate trending(String category, String[] products, double[] scores, long asOf) {
        ContextUpdate u = new ContextUpdate();
        u.category = category;
        u.trendingProducts = products;
        u.trendingScores = scores;
        u.asOf = asOf;
        return u;
    }

    public static ContextUpdate stock(String productId, boolean inStock) {
        ContextUpdate u = new ContextUpdate();
        u.stockProductId = productId;
        u.inStock = inStock;
        return u;
    }

    /** The category its trending products' list items carry: none for the uncategorised. */
    public String itemCategory() {
        return TrendingSignal.UNCATEGORIZED.equals(category) ? null : category;
    }

    public boolean isTrending() {
        return category != null;
    }
}
