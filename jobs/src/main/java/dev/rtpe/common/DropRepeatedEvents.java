package dev.rtpe.common;

import java.time.Duration;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops events whose {@code event_id} this customer already sent within the horizon. Producers retry
 * and {@code shopper-events} is written at-least-once, so every job that counts or triggers
 * puts this in front of its own logic ({@link #apply}).
 *
 * <p>State: one RocksDB map entry per (customer, event_id), expired by processing-time TTL after
 * {@code horizon}; a repeat later than that is let through. The horizon is how long a producer
 * retry or a job recovery can take to replay an event, not how long a shopper's history lasts.
 */
public class DropRepeatedEvents<T> extends KeyedProcessFunction<String, T, T> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_HORIZON = Duration.ofHours(24);

    /** The id that makes a record a repeat of another of the same customer. */
    @FunctionalInterface
    public interface IdOf<T> extends java.io.Serializable {
        String idOf(T record);
    }

    private final Duration horizon;
    private final IdOf<T> idOf;
    private transient MapState<String, Boolean> seen;
    private transient Counter duplicates;

    public DropRepeatedEvents(Duration horizon, IdOf<T> idOf) {
        this.horizon = horizon;
        this.idOf = idOf;
    }

    /** Shopper events, by {@code event_id}. */
    public static DropRepeatedEvents<ShopperEvent> ofShopperEvents(Duration horizon) {
        return new DropRepeatedEvents<>(horizon, e -> e.eventId);
    }

    /**
     * Keys {@code events} by customer and drops repeats. The result is still keyed by customer
     * without a second shuffle, so the caller's keyed operator chains right behind this one.
     *
     * @param uid stable operator id, so savepoints keep the seen ids across upgrades
     */
    public static KeyedStream<ShopperEvent, String> apply(DataStream<ShopperEvent> events, Duration horizon, String uid) {
        return apply(events, new CustomerKey(), ofShopperEvents(horizon), uid);
    }

    /** The same for any record with a customer key and an id. */
    public static <T> KeyedStream<T, String> apply(DataStream<T> records, KeySelector<T, String> customerKey,
                                                   DropRepeatedEvents<T> dropRepeats, String uid) {
        DataStream<T> unique = records
                .keyBy(customerKey)
                .process(dropRepeats, records.getType())
                .uid(uid)
                .name("Drop repeated event_ids");
        return DataStreamUtils.reinterpretAsKeyedStream(unique, customerKey, Types.STRING);
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(seenIds(horizon));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    }

    /** The state: the event ids seen per customer, each expiring {@code horizon} after it was written. */
    static MapStateDescriptor<String, Boolean> seenIds(Duration horizon) {
        MapStateDescriptor<String, Boolean> descriptor = new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtl.refreshedOnWrite(horizon));
        return descriptor;
    }

    @Override
    public void processElement(T record, Context ctx, Collector<T> out) throws Exception {
        String id = idOf.idOf(record);
        if (seen.contains(id)) {
            duplicates.inc();
            return;
        }
        seen.put(id, Boolean.TRUE);
        out.collect(record);
    }
}
