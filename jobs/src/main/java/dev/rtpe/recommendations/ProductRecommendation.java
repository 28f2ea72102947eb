package dev.rtpe.recommendations;

/** A product's related lists as written to {@code product-recommendations}. A Flink POJO. */
public class ProductRecommendation {
    public String productId;
    public String[] alsoViewed;
    public double[] alsoViewedScores;
    public String[] alsoViewedCategories;
    public String[] boughtTogether;
    public double[] boughtTogetherScores;
    public String[] boughtTogetherCategories;
    public String causeEventId;
    public String causeEventType;
    public long causeEventTime;
    public long generatedAt;

    public ProductRecommendation() {}
}
