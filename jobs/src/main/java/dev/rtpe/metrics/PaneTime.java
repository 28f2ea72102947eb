package dev.rtpe.metrics;

import java.io.Serializable;

/**
 * The panes of event time (a minute, by default) and when one is closed for good. The customer
 * funnel and the pane stage both decide lateness with this one rule, so an event the funnel lets
 * count always finds its pane still open.
 */
final class PaneTime implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long pane;
    private final long lateness;

    PaneTime(MetricsConfig config) {
        this.pane = config.paneMillis;
        this.lateness = config.allowedLateness.toMillis();
    }

    /** The start of the pane that holds {@code time}. */
    long paneOf(long time) {
        return time - Math.floorMod(time, pane);
    }

    /** The pane's last millisecond: when the watermark reaches it, the pane is sent. */
    long lastMilli(long paneStart) {
        return paneStart + pane - 1;
    }

    /** When the pane is sent for the last time and cleared. */
    long closedForGoodAt(long paneStart) {
        return lastMilli(paneStart) + lateness;
    }

    /**
     * Too late once the watermark has reached the pane's last millisecond plus the allowed
     * lateness: the pane has been sent for the last time and cleared, so nothing can change it.
     */
    boolean isTooLate(long paneStart, long watermark) {
        return watermark != Long.MIN_VALUE && watermark >= closedForGoodAt(paneStart);
    }
}
