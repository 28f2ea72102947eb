package dev.rtpe.common;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The engine's event-time rules, in one place. Ingest is the one job that sees the raw inputs and
 * their lag, so it owns event time: it makes watermarks from the inputs
 * ({@link #ofInputs}) and publishes them into {@code shopper-events} (see
 * {@link PublishWatermarks}). The other jobs take their event time from those
 * records only ({@link #followingIngest}).
 */
public final class EventTime {
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How far ahead of the slowest partition another may be read during a catch-up. Alignment lets
     * event time advance by about this much per update interval, so it also caps how fast a
     * backlog is read: 2 min per 200 ms is ten minutes of event time per second.
     */
    public static final Duration DEFAULT_MAX_INPUT_DRIFT = Duration.ofMinutes(2);
    static final Duration ALIGNMENT_UPDATE_INTERVAL = Duration.ofMillis(200);

    private EventTime() {}

    /**
     * What ingest decides about an accepted event's time: when it was ingested, and the latest time
     * it can have happened. An event cannot happen after Kafka received it: its record timestamp
     * (or ingest's clock, when that is earlier or the timestamp unknown) bounds it. A time further
     * ahead than {@code maxClockLeadMillis} comes from a wrong device clock; the event keeps it in
     * {@code reported_event_time}, and its event time becomes that bound plus the lead, so one phone
     * cannot move event time for everyone, live or in a backlog read hours later.
     *
     * @param recordTimestamp the Kafka record's timestamp, epoch ms; 0 or less when unknown
     */
    public static void stampIngestion(ShopperEvent e, long now, long recordTimestamp, long maxClockLeadMillis) {
        e.ingestedAt = now;
        e.reportedEventTime = 0;
        long received = recordTimestamp > 0 ? Math.min(recordTimestamp, now) : now;
        long latest = received + maxClockLeadMillis;
        if (e.eventTime > latest) {
            e.reportedEventTime = e.eventTime;
            e.eventTime = latest;
        }
    }

    /**
     * Ingest's watermarks, per input partition: bounded out-of-orderness on the event's time. A
     * partition silent for {@code idleTimeout} while not back-pressured or paused (Flink's input
     * activity clock) is caught up and stops holding event time back. During a catch-up, a
     * partition more than {@code maxDrift} ahead of the slowest is paused (split-level watermark
     * alignment), so the inputs come out of ingest close to event-time order.
     */
    public static <T> WatermarkStrategy<T> ofInputs(Duration maxOutOfOrderness, Duration idleTimeout, Duration maxDrift,
                                                     SerializableTimestampAssigner<T> eventTime) {
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner(eventTime)
                .withIdleness(idleTimeout)
                .withWatermarkAlignment("ingest-inputs", maxDrift, ALIGNMENT_UPDATE_INTERVAL);
    }

    /**
     * A downstream job's watermarks on {@code shopper-events}: per partition, the lowest watermark
     * the ingest instances have written into it ({@link PublishedWatermarks}). No idleness: ingest
     * writes watermark records into every partition while it runs, and while it does not, event time
     * must stand still. Partitions more than {@code maxDrift} ahead of the slowest are paused.
     */
    public static WatermarkStrategy<ParsedRecord> followingIngest(Duration maxDrift) {
        return followingWriter((ParsedRecord r) -> r.watermark, (r, ts) -> r.eventTimeOrMin())
                .withWatermarkAlignment("shopper-events", maxDrift, ALIGNMENT_UPDATE_INTERVAL);
    }

    /**
     * A job's watermarks on another job's output that carries the writer's watermark records
     * ({@link PublishWatermarks}): per partition, the lowest the writer's instances have written.
     * No idleness, for the reason above: while the writer runs it writes them into every
     * partition, and while it does not, nothing can be known of what it will still write.
     */
    public static <T> WatermarkStrategy<T> followingWriter(PublishedWatermarks.WatermarkOf<T> watermarkOf,
                                                           SerializableTimestampAssigner<T> eventTime) {
        return WatermarkStrategy.<T>forGenerator(ctx -> new PublishedWatermarks<>(watermarkOf)).withTimestampAssigner(eventTime);
    }

    /**
     * For inputs that are not in event time (catalog stock changes): the watermark at the end of
     * time, so that the operators they join take their event time from the other inputs alone. No
     * watermark at all would hold those operators at the start of time.
     */
    public static <T> WatermarkStrategy<T> notInEventTime() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }

    /**
     * Bounded out-of-orderness with idleness, for inputs that carry no watermark records: the
     * hit-rate signal on {@code recommendations}, and tests that feed collections.
     */
    public static <T> WatermarkStrategy<T> boundedOutOfOrderness(Duration maxOutOfOrderness, Duration idleTimeout,
                                                                 SerializableTimestampAssigner<T> eventTime) {
        return WatermarkStrategy.<T>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner(eventTime)
                .withIdleness(idleTimeout);
    }
}
