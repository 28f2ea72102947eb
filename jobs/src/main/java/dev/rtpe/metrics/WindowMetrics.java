package dev.rtpe.metrics;

/**
 * The funnel of one window of one dimension value: one {@code conversion-metrics} record. Rates
 * are derived from the counts here, so a consumer can check every one of them. A Flink POJO.
 */
public class WindowMetrics {
    public static final String TUMBLING = "tumbling";
    public static final String SLIDING = "sliding";

    public String windowKind;
    public long windowStart;
    public long windowEnd;
    public String dimension;
    public String dimensionValue;

    /** Sketch estimates, rounded. */
    public long visitors;
    public long sessions;
    public long sessionsWithView;
    public long sessionsWithCart;
    public long sessionsWithOrder;

    public long sessionsStarted;
    public long bounces;
    public long productViews;
    public long addToCarts;
    public long removes;
    public long checkouts;
    public long orders;
    public long repeatOrders;
    public long units;
    /** Per currency, sorted by currency code. */
    public String[] currencies;
    public long[] revenueMicros;
    public long[] currencyOrders;
    public long recEvaluations;
    public long recHits;
    public long emittedAt;

    public WindowMetrics() {}

    public long windowSizeMillis() {
        return windowEnd - windowStart;
    }

    /** The Kafka key: dimension|dimension_value|window_start|window_size_ms. */
    public String key() {
        return dimension + '|' + dimensionValue + '|' + windowStart + '|' + windowSizeMillis();
    }

    /** Sessions with an add to cart ÷ sessions with a product view. */
    public Double viewToCartRate() {
        return ratio(sessionsWithCart, sessionsWithView);
    }

    /** Sessions with an order ÷ sessions with an add to cart. */
    public Double cartToPurchaseRate() {
        return ratio(sessionsWithOrder, sessionsWithCart);
    }

    /** Sessions with an order ÷ sessions. */
    public Double conversionRate() {
        return ratio(sessionsWithOrder, sessions);
    }

    /** 1 − orders ÷ sessions with an add to cart. */
    public Double cartAbandonmentRate() {
        Double purchased = ratio(orders, sessionsWithCart);
        return purchased == null ? null : 1 - purchased;
    }

    /** Bounced sessions ÷ sessions started (both by the session's first event). */
    public Double bounceRate() {
        return ratio(bounces, sessionsStarted);
    }

    /** Orders by customers who had ordered before ÷ orders. */
    public Double repeatPurchaseShare() {
        return ratio(repeatOrders, orders);
    }

    /** Evaluations whose product was in the shown top 10 ÷ evaluations. */
    public Double recHitRateAt10() {
        return ratio(recHits, recEvaluations);
    }

    /** Revenue of currency i ÷ orders in it. */
    public Double averageOrderValue(int i) {
        return currencyOrders[i] == 0 ? null : revenueMicros[i] / 1_000_000d / currencyOrders[i];
    }

    public static Double ratio(long numerator, long denominator) {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    @Override
    public String toString() {
        return "WindowMetrics{" + key() + " " + windowKind + " sessions=" + sessions + " views=" + productViews + " orders=" + orders + "}";
    }
}
