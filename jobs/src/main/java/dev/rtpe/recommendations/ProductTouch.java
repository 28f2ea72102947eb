package dev.rtpe.recommendations;

import dev.rtpe.common.EventType;

/**
 * A product's news for the product stage: which products it was just seen with (and how strongly),
 * and, when it is the product of a shopper's event, that event's step to forward with the
 * product's neighbours attached. A Flink POJO.
 */
public class ProductTouch {
    public String productId;
    public String category;
    public long eventTime;
    public String causeEventId;
    public EventType causeEventType;

    /** Products it co-occurred with; {@code coBought}: both were carted or bought. */
    public String[] coProducts;
    public String[] coCategories;
    public double[] coWeights;
    public boolean[] coBought;

    /** The shopper's event, to return with neighbours; null for a pair update only. */
    public CustomerStep step;
    /** Its place among stage 1's outputs, for equal event times. */
    public Emission emission;

    /** In event-time order, a product's touches of equal time apply as stage 1 made them. */
    static final KeyedEventTimeOrder.Tiebreak<ProductTouch> ORDER = (a, b) -> Emission.compare(a.emission, b.emission);

    public ProductTouch() {}
}
