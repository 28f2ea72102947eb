package dev.rtpe.metrics;

/** The counts of one pane of one dimension value, sent when the pane closes and again after each late correction. A Flink POJO. */
public class PaneSummary {
    /** dimension|value. */
    public String windowKey;
    public long paneStart;
    /** {@link PaneCounts} in its compact form. */
    public byte[] counts;

    public PaneSummary() {}

    PaneSummary(String windowKey, long paneStart, byte[] counts) {
        this.windowKey = windowKey;
        this.paneStart = paneStart;
        this.counts = counts;
    }
}
