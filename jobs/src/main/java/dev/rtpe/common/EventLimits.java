package dev.rtpe.common;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/** Configurable bounds on incoming records, beyond what the schema fixes. */
public final class EventLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final Instant DEFAULT_MIN_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);

    /** Larger records are rejected before parsing. */
    public final int maxPayloadBytes;
    /** Earlier event times are absurd (a zeroed or mis-scaled clock). */
    public final long minEventTimeMillis;
    /** How far ahead of the wall clock an event time may be (device clocks drift). */
    public final long maxFutureSkewMillis;

    public EventLimits(int maxPayloadBytes, Instant minEventTime, Duration maxFutureSkew) {
        if (maxPayloadBytes < 1024) {
            throw new IllegalArgumentException("max payload must be at least 1024 bytes, got " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.minEventTimeMillis = minEventTime.toEpochMilli();
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    }

    public static EventLimits defaults() {
        return new EventLimits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MIN_EVENT_TIME, DEFAULT_MAX_FUTURE_SKEW);
    }
}
