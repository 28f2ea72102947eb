package dev.rtpe.common;

import java.time.Duration;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
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
public class DropRepeatedEvents extends KeyedProcessFunction<String, ShopperEvent, ShopperEvent> {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_HORIZON = Duration.ofHours(24);

    private final Duration horizon;
    private transient MapState<String, Boolean> seen;
    private transient Counter duplicates;

    public DropRepeatedEvents(Duration horizon) {
        this.horizon = horizon;
    }

    /**
     * Keys {@code events} by customer and drops repeats. The result is still keyed by customer
     * without a second shuffle, so the caller's keyed operator chains right behind this one.
     *
     * @param uid stable operator id, so savepoints keep the seen ids across upgrades
     */
    public static KeyedStream<ShopperEvent, String> apply(DataStream<ShopperEvent> events, Duration horizon, String uid) {
        DataStream<ShopperEvent> unique = events
                .keyBy(new CustomerKey())
                .process(new DropRepeatedEvents(horizon))
                .uid(uid)
                .name("Drop repeated event_ids");
        return DataStreamUtils.reinterpretAsKeyedStream(unique, new CustomerKey(), Types.STRING);
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, Boolean> descriptor = new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtl.refreshedOnWrite(horizon));
        seen = getRuntimeContext().getMapState(descriptor);
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicateEvents");
    }

    @Override
    public void processElement(ShopperEvent event, Context ctx, Collector<ShopperEvent> out) throws Exception {
        if (seen.contains(event.eventId)) {
            duplicates.inc();
            return;
        }
        seen.put(event.eventId, Boolean.TRUE);
        out.collect(event);
    }
}
