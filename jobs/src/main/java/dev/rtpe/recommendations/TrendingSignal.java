package dev.rtpe.recommendations;

/** A product was touched: popularity for the trending stage, keyed by category. A Flink POJO. */
public class TrendingSignal {
    /**
     * The trending key of products without a category: they trend together, for the overall list
     * only. Empty, which no real category can be (ingest rejects blank text), and never shown:
     * their list items name no category ({@link ContextUpdate#itemCategory()}).
     */
    public static final String UNCATEGORIZED = "";

    public String category;
    public String productId;
    public double weight;
    public long eventTime;

    public TrendingSignal() {}

    public TrendingSignal(String category, String productId, double weight, long eventTime) {
        this.category = category;
        this.productId = productId;
        this.weight = weight;
        this.eventTime = eventTime;
    }
}
