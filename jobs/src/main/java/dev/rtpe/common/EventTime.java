package dev.rtpe.common;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/** The engine's event-time rules, shared by every job so they agree on lateness and idleness. */
public final class EventTime {
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    private EventTime() {}

    /**
     * Bounded out-of-orderness on the event's own time. A partition that sends nothing for
     * {@code idleTimeout} stops holding event time back; when it sends again it rejoins.
     */
    public static <T> WatermarkStrategy<T> watermarks(Duration maxOutOfOrderness, Duration idleTimeout,
                                                      SerializableTimestampAssigner<T> eventTime) {
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner(eventTime)
                .withIdleness(idleTimeout);
    }
}
