package dev.rtpe.metrics;

/**
 * What one input adds to one pane (a minute, by default) of one dimension value: counter
 * increments and the visitor and session for the distinct counts. Corrections carry negative
 * counts. A Flink POJO, sent from the per-customer stage to the per-pane stage.
 */
public class PaneDelta {
    /** The visitor and the session were active. */
    public static final int ACTIVE = 1;
    /** The session viewed a product. */
    public static final int VIEWED = 2;
    /** The session added to cart. */
    public static final int CARTED = 4;
    /** The session ordered. */
    public static final int ORDERED = 8;

    public Dimension dimension;
    public String value;
    public long paneStart;
    /** dimension|value|paneStart: the per-pane stage's key, built once here. */
    public String paneKey;

    public int views;
    public int addToCarts;
    public int removes;
    public int checkouts;
    public int orders;
    public int repeatOrders;
    public int units;
    public int sessionsStarted;
    public int bounces;
    public int recEvaluations;
    public int recHits;
    /** Set with revenue: the currency of {@link #revenueMicros} and of the order. */
    public String currency;
    /** Revenue in millionths of the currency unit, so sums are exact whatever the order. */
    public long revenueMicros;

    /** Which of the distinct counts this input takes part in: a set of the flags above. */
    public int sessionFlags;
    public long visitorHash;
    public long sessionHash;

    public PaneDelta() {}

    public PaneDelta(Dimension dimension, String value, long paneStart) {
        this.dimension = dimension;
        this.value = value;
        this.paneStart = paneStart;
        this.paneKey = windowKey(dimension, value) + '|' + paneStart;
    }

    /** The key of a dimension value's windows: dimension|value. */
    public static String windowKey(Dimension dimension, String value) {
        return dimension.wireName + '|' + value;
    }

    /** Money as exact millionths: 12.99 becomes 12,990,000. */
    public static long micros(double amount) {
        return Math.round(amount * 1_000_000d);
    }

    @Override
    public String toString() {
        return "PaneDelta{" + paneKey + " views=" + views + " carts=" + addToCarts + " orders=" + orders + " repeat=" + repeatOrders
                + " started=" + sessionsStarted + " bounces=" + bounces + " rec=" + recHits + "/" + recEvaluations
                + " flags=" + sessionFlags + "}";
    }
}
