package dev.rtpe.recommendations;

/** A shopper's list as written to {@code recommendations}. A Flink POJO. */
public class Recommendation {
    public String customerKey;
    public String customerId;
    public String anonymousId;
    public boolean personalized;
    public String[] productIds;
    public double[] scores;
    public String[] reasons;
    public String[] categories;

    public String causeEventId;
    public String causeEventType;
    public long causeEventTime;
    public String causeProductId;
    public String causeChannel;
    public String causeCategory;

    /** Whether the cause's product was in the list shown before it; meaningful only if {@code evaluated}. */
    public boolean evaluated;
    public boolean hit;
    public long generatedAt;

    public Recommendation() {}
}
