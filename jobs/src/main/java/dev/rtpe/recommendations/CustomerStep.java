package dev.rtpe.recommendations;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;

/**
 * One shopper event on its way to the customer stage, numbered by the customer stage upstream
 * ({@code seq}) so the order survives the detour through the product stage. An event about several
 * products (a purchase) travels as {@code parts} parts, each with its product's neighbours. A Flink POJO.
 */
public class CustomerStep {
    public String customerKey;
    public long seq;
    public int part;
    public int parts;

    public String eventId;
    public EventType eventType;
    public long eventTime;
    public String customerId;
    public String anonymousId;
    public Channel channel;
    public boolean consentPersonalization;

    /** The product of this part; null for events without one (search, view_cart, ...). */
    public String productId;
    public String category;
    /** The whole cart, for view_cart and begin_checkout. */
    public String[] itemIds;

    /** The product's neighbours when this part passed the product stage, best first. */
    public String[] alsoViewed;
    public double[] alsoViewedScores;
    public String[] alsoViewedCategories;
    public String[] boughtTogether;
    public double[] boughtTogetherScores;
    public String[] boughtTogetherCategories;

    public CustomerStep() {}

    @Override
    public String toString() {
        return "CustomerStep{" + customerKey + " #" + seq + "." + part + "/" + parts + " " + eventType + " " + productId + "}";
    }
}
