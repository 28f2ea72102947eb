package dev.rtpe.abandonment;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.ShopperEvent;

/**
 * The abandonment dataflow between its input and sink:
 * events ─► drop repeated event_ids ─► cart abandonment (by customer, event-time timers) ─► sink.
 */
public final class AbandonmentPipeline {
    private AbandonmentPipeline() {}

    public static void attach(DataStream<ShopperEvent> events, Sink<AbandonmentMessage> triggers, AbandonmentConfig config) {
        DropRepeatedEvents.apply(events, config.dedupeHorizon, "abandonment-drop-repeated-events")
                .transform("Cart abandonment", TypeInformation.of(AbandonmentMessage.class),
                        new CachingKeyedProcessOperator<>(new CartAbandonment(config)))
                .uid("abandonment-carts")
                .sinkTo(triggers)
                .uid("abandonment-triggers-sink")
                .name("cart-abandonment-triggers");
    }
}
