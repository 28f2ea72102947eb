package dev.rtpe.abandonment;

/** One record for {@code cart-abandonment-triggers}: a trigger, or a recovery. A Flink POJO. */
public class AbandonmentMessage {
    public static final String ABANDONED = "cart_abandoned";
    public static final String RECOVERED = "cart_recovered";

    public String type;
    public String triggerId;
    public int stage;
    public String customerId;
    public String currency;

    // cart_abandoned
    public long stageDelayMs;
    public String channel;
    public String[] productIds;
    public int[] quantities;
    public double[] unitPrices;
    public String[] categories;
    public double cartValue;
    public long lastActivityAt;
    public long idleMs;
    public String furthestStep;
    public String customerType;
    public long lifetimeOrders;
    public double lifetimeRevenue;
    public String armedByEventId;
    public long dueAt;
    public long firedAt;

    // cart_recovered
    public String orderId;
    public double recoveredValue;

    public String causeEventId;
    public String causeEventType;
    public long causeEventTime;
    public long emittedAt;

    public AbandonmentMessage() {}

    @Override
    public String toString() {
        return type + "{" + triggerId + " stage " + stage + " " + customerId + "}";
    }
}
