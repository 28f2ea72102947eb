package dev.rtpe.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.rtpe.common.JsonWriting;

/** {@code conversion-metrics}: keyed by dimension|dimension_value|window_start|window_size_ms, so the latest record per key is the window's current value. */
public final class MetricsWriter implements KafkaRecordSerializationSchema<WindowMetrics> {
    private static final long serialVersionUID = 1L;
    public static final int SCHEMA_VERSION = 1;

    private final String topic;
    private transient JsonWriting json;

    public MetricsWriter(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = new JsonWriting();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(WindowMetrics m, KafkaSinkContext context, Long timestamp) {
        if (json == null) {
            json = new JsonWriting();
        }
        return new ProducerRecord<>(topic, null, null, m.key().getBytes(StandardCharsets.UTF_8), write(json, m));
    }

    public static byte[] write(JsonWriting json, WindowMetrics m) {
        return json.object(g -> {
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            g.writeStringField("producer", "metrics");
            g.writeStringField("window_kind", m.windowKind);
            g.writeNumberField("window_start", m.windowStart);
            g.writeNumberField("window_end", m.windowEnd);
            g.writeNumberField("window_size_ms", m.windowSizeMillis());
            g.writeStringField("dimension", m.dimension);
            g.writeStringField("dimension_value", m.dimensionValue);
            g.writeNumberField("visitors", m.visitors);
            g.writeNumberField("sessions", m.sessions);
            g.writeNumberField("sessions_with_view", m.sessionsWithView);
            g.writeNumberField("sessions_with_cart", m.sessionsWithCart);
            g.writeNumberField("sessions_with_order", m.sessionsWithOrder);
            g.writeNumberField("sessions_started", m.sessionsStarted);
            g.writeNumberField("bounces", m.bounces);
            g.writeNumberField("product_views", m.productViews);
            g.writeNumberField("add_to_carts", m.addToCarts);
            g.writeNumberField("removes", m.removes);
            g.writeNumberField("checkouts", m.checkouts);
            g.writeNumberField("orders", m.orders);
            g.writeNumberField("repeat_orders", m.repeatOrders);
            g.writeNumberField("units", m.units);
            g.writeArrayFieldStart("revenue");
            for (int i = 0; i < m.currencies.length; i++) {
                g.writeStartObject();
                g.writeStringField("currency", m.currencies[i]);
                g.writeNumberField("amount", m.revenueMicros[i] / 1_000_000d);
                g.writeNumberField("orders", m.currencyOrders[i]);
                rate(g, "aov", m.averageOrderValue(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("rec_evaluations", m.recEvaluations);
            g.writeNumberField("rec_hits", m.recHits);
            rate(g, "view_to_cart_rate", m.viewToCartRate());
            rate(g, "cart_to_purchase_rate", m.cartToPurchaseRate());
            rate(g, "conversion_rate", m.conversionRate());
            rate(g, "cart_abandonment_rate", m.cartAbandonmentRate());
            rate(g, "bounce_rate", m.bounceRate());
            rate(g, "repeat_purchase_share", m.repeatPurchaseShare());
            rate(g, "rec_hit_rate_at_10", m.recHitRateAt10());
            g.writeNumberField("emitted_at", m.emittedAt);
        });
    }

    /** null when the denominator is zero: "no data" is not "0 %". */
    private static void rate(JsonGenerator g, String name, Double value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }
}
