package dev.rtpe.metrics;

import java.io.Serializable;
import java.time.Duration;

import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.Flags;
import dev.rtpe.common.JobSettings;

/** Everything the metrics job can be told; the README lists each flag and default. */
public final class MetricsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final JobSettings job;
    public final String eventsTopic;
    /** The recommendations job's hit-rate evaluations, with its watermarks; empty: no hit rates. */
    public final String evaluationsTopic;
    public final String metricsTopic;
    public final String deadLetterTopic;
    public final String groupId;
    /** Watermark alignment of the shopper-events partitions during a catch-up. */
    public final Duration maxInputDrift;
    public final Duration dedupeHorizon;

    public final Duration slidingSize;
    public final Duration slide;
    public final Duration tumblingSize;
    /** Windows are built from panes of this size: the greatest common divisor of the three above. */
    public final long paneMillis;
    /** A pane takes late events until the watermark is this far past its end. */
    public final Duration allowedLateness;
    /** A session whose first event is not followed by another within this time is a bounce. */
    public final Duration bounceWindow;
    /** Session state is dropped after this long without an event of the session. */
    public final Duration sessionTimeout;
    /** How long a customer's first order is remembered for telling repeat orders. */
    public final Duration customerTtl;
    /** HyperLogLog precision: 2^lgK registers; relative standard error 1.04 / sqrt(2^lgK). */
    public final int sketchLgK;
    public final int stateCacheEntries;

    private MetricsConfig(Flags f) {
        job = JobSettings.from(f);
        eventsTopic = f.string("events-topic", "shopper-events");
        evaluationsTopic = f.string("evaluations-topic", "rec-evaluations");
        metricsTopic = f.string("metrics-topic", "conversion-metrics");
        deadLetterTopic = f.string("dead-letter-topic", "dead-letter");
        groupId = f.string("group-id", "rtpe-metrics");
        maxInputDrift = f.duration("max-input-drift", EventTime.DEFAULT_MAX_INPUT_DRIFT);
        dedupeHorizon = f.duration("dedupe-horizon", DropRepeatedEvents.DEFAULT_HORIZON);
        slidingSize = f.duration("sliding-window", Duration.ofHours(1));
        slide = f.duration("slide", Duration.ofMinutes(1));
        tumblingSize = f.duration("tumbling-window", Duration.ofMinutes(1));
        allowedLateness = f.duration("allowed-lateness", Duration.ofMinutes(5));
        bounceWindow = f.duration("bounce-window", Duration.ofMinutes(5));
        sessionTimeout = f.duration("session-timeout", Duration.ofMinutes(30));
        customerTtl = f.duration("customer-ttl", Duration.ofDays(365));
        sketchLgK = f.integer("sketch-lg-k", 12);
        stateCacheEntries = f.integer("state-cache-entries", 20_000);
        f.rejectUnknown();
        paneMillis = paneSize(slidingSize, slide, tumblingSize);
        requirePositive("allowed-lateness", allowedLateness, true);
        requirePositive("bounce-window", bounceWindow, false);
        if (bounceWindow.compareTo(allowedLateness) > 0) {
            throw new IllegalArgumentException("--bounce-window must not exceed --allowed-lateness: a bounce is"
                    + " decided that long after the session started, and must still reach its minute");
        }
        if (sessionTimeout.compareTo(bounceWindow) < 0) {
            throw new IllegalArgumentException("--session-timeout must be at least --bounce-window");
        }
        if (sketchLgK < 4 || sketchLgK > 21) {
            throw new IllegalArgumentException("--sketch-lg-k must be between 4 and 21, got " + sketchLgK);
        }
    }

    public static MetricsConfig fromArgs(String... args) {
        return new MetricsConfig(Flags.parse(args));
    }

    /**
     * The pane every window is a whole number of. Slide and sizes must divide evenly, so that a
     * sliding window is exactly a run of panes.
     */
    static long paneSize(Duration slidingSize, Duration slide, Duration tumblingSize) {
        requirePositive("sliding-window", slidingSize, false);
        requirePositive("slide", slide, false);
        requirePositive("tumbling-window", tumblingSize, false);
        if (slidingSize.toMillis() % slide.toMillis() != 0) {
            throw new IllegalArgumentException("--sliding-window must be a multiple of --slide, got "
                    + slidingSize + " and " + slide);
        }
        long pane = gcd(gcd(slidingSize.toMillis(), slide.toMillis()), tumblingSize.toMillis());
        if (pane < 1000) {
            throw new IllegalArgumentException("windows and slide must share a divisor of at least 1 s, got a pane of " + pane + " ms");
        }
        if (slidingSize.toMillis() / pane > 1440) {
            throw new IllegalArgumentException("--sliding-window spans " + slidingSize.toMillis() / pane
                    + " panes; at most 1440 (make --slide and --tumbling-window coarser)");
        }
        return pane;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static void requirePositive(String flag, Duration d, boolean zeroAllowed) {
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException("--" + flag + " must be " + (zeroAllowed ? "zero or more" : "positive") + ", got " + d);
        }
    }
}
