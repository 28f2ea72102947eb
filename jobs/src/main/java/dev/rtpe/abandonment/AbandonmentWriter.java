package dev.rtpe.abandonment;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.rtpe.common.JsonWriting;

/**
 * {@code cart-abandonment-triggers} records (schemas/cart-abandonment-triggers.schema.json), keyed by
 * customer id. Names its topic, which the sink's pooled transactional ids need.
 */
public final class AbandonmentWriter implements KafkaRecordSerializationSchema<AbandonmentMessage>, KafkaDatasetFacetProvider {
    private static final long serialVersionUID = 1L;
    public static final int SCHEMA_VERSION = 1;

    private final String topic;
    private transient JsonWriting json;

    public AbandonmentWriter(String topic) {
        this.topic = topic;
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        json = new JsonWriting();
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AbandonmentMessage m, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(topic, null, null, m.customerId.getBytes(StandardCharsets.UTF_8), write(json, m));
    }

    public static byte[] write(JsonWriting json, AbandonmentMessage m) {
        return json.object(g -> {
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            g.writeStringField("producer", "abandonment");
            g.writeStringField("type", m.type);
            g.writeStringField("trigger_id", m.triggerId);
            g.writeNumberField("stage", m.stage);
            g.writeStringField("customer_id", m.customerId);
            if (AbandonmentMessage.ABANDONED.equals(m.type)) {
                g.writeNumberField("stage_delay_ms", m.stageDelayMs);
                g.writeStringField("channel", m.channel);
                g.writeArrayFieldStart("items");
                for (int i = 0; i < m.productIds.length; i++) {
                    g.writeStartObject();
                    g.writeStringField("product_id", m.productIds[i]);
                    g.writeNumberField("quantity", m.quantities[i]);
                    g.writeNumberField("unit_price", m.unitPrices[i]);
                    JsonWriting.optionalString(g, "category", m.categories[i]);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeNumberField("cart_value", m.cartValue);
                g.writeNumberField("last_activity_at", m.lastActivityAt);
                g.writeNumberField("idle_ms", m.idleMs);
                g.writeStringField("furthest_step", m.furthestStep);
                g.writeStringField("customer_type", m.customerType);
                g.writeNumberField("lifetime_orders", m.lifetimeOrders);
                g.writeNumberField("lifetime_revenue", m.lifetimeRevenue);
                g.writeStringField("armed_by_event_id", m.armedByEventId);
                g.writeNumberField("due_at", m.dueAt);
                g.writeNumberField("fired_at", m.firedAt);
            } else {
                g.writeStringField("order_id", m.orderId);
                g.writeNumberField("recovered_value", m.recoveredValue);
            }
            g.writeStringField("currency", m.currency);
            g.writeObjectFieldStart("cause");
            g.writeStringField("event_id", m.causeEventId);
            g.writeStringField("event_type", m.causeEventType);
            g.writeNumberField("event_time", m.causeEventTime);
            g.writeEndObject();
            g.writeNumberField("emitted_at", m.emittedAt);
        });
    }
}
