package dev.rtpe.common;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * Ingest's admission rules for raw input, beyond what the schema fixes. They are applied once, by
 * ingest: the other jobs trust what ingest wrote to {@code shopper-events} and check only its
 * structure, so an ingest run with relaxed limits is never undone downstream.
 */
public final class EventLimits implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;
    public static final Instant DEFAULT_MIN_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);
    public static final Duration DEFAULT_MAX_CLOCK_LEAD = Duration.ofSeconds(5);
    /** What a canonical record may weigh: Kafka's default message limit. */
    static final int CANONICAL_MAX_PAYLOAD_BYTES = 1024 * 1024;

    /** Larger records are rejected before parsing. */
    public final int maxPayloadBytes;
    /** Earlier event times are absurd (a zeroed or mis-scaled clock). */
    public final long minEventTimeMillis;
    /** How far ahead of the wall clock an event time may be before it is rejected (seconds sent as milliseconds). */
    public final long maxFutureSkewMillis;
    /**
     * How far ahead of ingest's clock an accepted event's time may stay. A later time comes from a
     * wrong device clock: the event is taken to have happened at ingest's clock plus this lead, so
     * that it cannot move event time ahead for everyone.
     */
    public final long maxClockLeadMillis;

    public EventLimits(int maxPayloadBytes, Instant minEventTime, Duration maxFutureSkew, Duration maxClockLead) {
        if (maxPayloadBytes < 1024) {
            throw new IllegalArgumentException("max payload must be at least 1024 bytes, got " + maxPayloadBytes);
        }
        if (maxClockLead.isNegative() || maxClockLead.compareTo(maxFutureSkew) > 0) {
            throw new IllegalArgumentException("--max-clock-lead must be between 0 and --max-future-skew, got " + maxClockLead);
        }
        this.maxPayloadBytes = maxPayloadBytes;
        this.minEventTimeMillis = minEventTime.toEpochMilli();
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
        this.maxClockLeadMillis = maxClockLead.toMillis();
    }

    public static EventLimits defaults() {
        return new EventLimits(DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MIN_EVENT_TIME, DEFAULT_MAX_FUTURE_SKEW, DEFAULT_MAX_CLOCK_LEAD);
    }

    /** Ingest's flags for these limits; the one place they are read. */
    public static EventLimits from(Flags f) {
        return new EventLimits(
                f.integer("max-payload-bytes", DEFAULT_MAX_PAYLOAD_BYTES),
                f.instant("min-event-time", DEFAULT_MIN_EVENT_TIME),
                f.duration("max-future-skew", DEFAULT_MAX_FUTURE_SKEW),
                f.duration("max-clock-lead", DEFAULT_MAX_CLOCK_LEAD));
    }
}
