package dev.rtpe.metrics;

import org.apache.flink.api.java.functions.KeySelector;

import dev.rtpe.common.ShopperEvent;

/** The two inputs of the job in one stream, so one keyed operator sees both in event-time order. A Flink POJO. */
public class MetricsInput {
    /** Set for a shopper event. */
    public ShopperEvent event;
    /** Set for a recommendation hit-rate evaluation. */
    public HitSignal hit;

    public MetricsInput() {}

    public static MetricsInput of(ShopperEvent event) {
        MetricsInput in = new MetricsInput();
        in.event = event;
        return in;
    }

    public static MetricsInput of(HitSignal hit) {
        MetricsInput in = new MetricsInput();
        in.hit = hit;
        return in;
    }

    public String customerKey() {
        return event != null ? event.customerKey : hit.customerKey;
    }

    public long eventTime() {
        return event != null ? event.eventTime : hit.eventTime;
    }

    /**
     * Repeats are dropped by this id. An evaluation shares its event's id, so it gets its own
     * namespace: the event and its evaluation are different inputs.
     */
    public String dedupeId() {
        return event != null ? event.eventId : "hit:" + hit.eventId;
    }

    /** Keys both inputs by customer. */
    public static final class ByCustomer implements KeySelector<MetricsInput, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(MetricsInput in) {
            return in.customerKey();
        }
    }

    @Override
    public String toString() {
        return event != null ? event.toString() : String.valueOf(hit);
    }
}
