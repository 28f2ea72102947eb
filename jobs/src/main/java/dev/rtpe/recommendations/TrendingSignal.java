package dev.rtpe.recommendations;

/** A product was touched: popularity for the trending stage, keyed by category. A Flink POJO. */
public class TrendingSignal {
    /**
     * The trending key of products without a category: they trend together, for the overall list
     * only. Empty, which no real category can be (ingest rejects blank text), and never shown:
     * their list items name no category ({@link ContextUpdate#itemCategory()}).
     */
    public static final String UNCATEGORIZED = "";
    /**
     * The trending key of every product: the overall list, kept like a category's, so that no list
     * needs a merge over all categories. A control character, which no real category can hold.
     */
    public static final String OVERALL = "\u0000overall";

    /** The trending key: the product's category, {@link #UNCATEGORIZED} or {@link #OVERALL}. */
    public String category;
    /** The product's own category, or null: what its list items name. */
    public String productCategory;
    public String productId;
    public double weight;
    public long eventTime;
    /** Its place among stage 1's outputs, for equal event times. */
    public Emission emission;

    /** In event-time order, a category's signals of equal time apply as stage 1 made them. */
    static final KeyedEventTimeOrder.Tiebreak<TrendingSignal> ORDER = (a, b) -> Emission.compare(a.emission, b.emission);

    public TrendingSignal() {}

    public TrendingSignal(String category, String productCategory, String productId, double weight, long eventTime) {
        this(category, productCategory, productId, weight, eventTime, null);
    }

    public TrendingSignal(String category, String productCategory, String productId, double weight, long eventTime,
                          Emission emission) {
        this.category = category;
        this.productCategory = productCategory;
        this.productId = productId;
        this.weight = weight;
        this.eventTime = eventTime;
        this.emission = emission;
    }
}
