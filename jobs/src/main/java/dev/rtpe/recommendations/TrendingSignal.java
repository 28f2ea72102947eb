package dev.rtpe.recommendations;

/** A product was touched: popularity for the trending stage, keyed by category. A Flink POJO. */
public class TrendingSignal {
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
