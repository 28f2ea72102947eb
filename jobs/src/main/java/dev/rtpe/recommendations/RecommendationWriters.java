package dev.rtpe.recommendations;

import static dev.rtpe.common.JsonWriting.optionalString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.rtpe.common.JsonWriting;
import dev.rtpe.common.WatermarkRecord;

/**
 * The job's output records: {@code recommendations} keyed by customer key,
 * {@code product-recommendations} keyed by product id, and {@code rec-evaluations}, the hit-rate
 * evaluations with the job's watermarks (see their schemas in schemas/).
 */
public final class RecommendationWriters {
    public static final int SCHEMA_VERSION = 1;
    static final String PRODUCER = "recommendations";

    private RecommendationWriters() {}

    public static byte[] write(JsonWriting json, Recommendation r) {
        return json.object(g -> {
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            g.writeStringField("producer", PRODUCER);
            g.writeStringField("customer_key", r.customerKey);
            optionalString(g, "customer_id", r.customerId);
            optionalString(g, "anonymous_id", r.anonymousId);
            g.writeBooleanField("personalized", r.personalized);
            g.writeArrayFieldStart("items");
            for (int i = 0; i < r.productIds.length; i++) {
                g.writeStartObject();
                g.writeStringField("product_id", r.productIds[i]);
                g.writeNumberField("score", r.scores[i]);
                g.writeStringField("reason", r.reasons[i]);
                optionalString(g, "category", r.categories[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("cause");
            g.writeStringField("event_id", r.causeEventId);
            g.writeStringField("event_type", r.causeEventType);
            g.writeNumberField("event_time", r.causeEventTime);
            optionalString(g, "product_id", r.causeProductId);
            g.writeStringField("channel", r.causeChannel);
            optionalString(g, "category", r.causeCategory);
            g.writeEndObject();
            if (r.evaluated) {
                g.writeBooleanField("hit_at_10", r.hit);
            }
            g.writeNumberField("generated_at", r.generatedAt);
        });
    }

    public static byte[] write(JsonWriting json, ProductRecommendation r) {
        return json.object(g -> {
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            g.writeStringField("producer", PRODUCER);
            g.writeStringField("product_id", r.productId);
            neighbours(g, "also_viewed", r.alsoViewed, r.alsoViewedScores, r.alsoViewedCategories);
            neighbours(g, "bought_together", r.boughtTogether, r.boughtTogetherScores, r.boughtTogetherCategories);
            g.writeObjectFieldStart("cause");
            g.writeStringField("event_id", r.causeEventId);
            g.writeStringField("event_type", r.causeEventType);
            g.writeNumberField("event_time", r.causeEventTime);
            g.writeEndObject();
            g.writeNumberField("generated_at", r.generatedAt);
        });
    }

    /** One evaluation of hit rate @10, as the evaluations topic carries it (schemas/rec-evaluations.schema.json). */
    public static byte[] writeEvaluation(JsonWriting json, Evaluation e) {
        return json.object(g -> {
            g.writeStringField("record_type", "evaluation");
            g.writeNumberField("schema_version", SCHEMA_VERSION);
            g.writeStringField("producer", PRODUCER);
            g.writeStringField("customer_key", e.customerKey);
            g.writeStringField("event_id", e.eventId);
            g.writeNumberField("event_time", e.eventTime);
            g.writeStringField("channel", e.channel);
            optionalString(g, "category", e.category);
            g.writeBooleanField("hit_at_10", e.hit);
            g.writeNumberField("generated_at", e.generatedAt);
        });
    }

    private static void neighbours(JsonGenerator g, String name, String[] ids, double[] scores, String[] categories) throws IOException {
        g.writeArrayFieldStart(name);
        for (int i = 0; i < ids.length; i++) {
            g.writeStartObject();
            g.writeStringField("product_id", ids[i]);
            g.writeNumberField("score", Math.round(scores[i] * 10_000) / 10_000.0);
            optionalString(g, "category", categories[i]);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code recommendations}: the customer key is the Kafka key, so compaction keeps each shopper's latest list. */
    public static final class Recommendations implements KafkaRecordSerializationSchema<Recommendation> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private transient JsonWriting json;

        public Recommendations(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            json = new JsonWriting();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Recommendation r, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, null, r.customerKey.getBytes(StandardCharsets.UTF_8), write(json, r));
        }
    }

    /**
     * {@code rec-evaluations}: evaluations keyed by customer key, and the job's watermark records,
     * unkeyed, one into each partition, with the header that marks them.
     */
    public static final class Evaluations implements KafkaRecordSerializationSchema<HitRateRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private transient JsonWriting json;

        public Evaluations(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            json = new JsonWriting();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(HitRateRecord r, KafkaSinkContext context, Long timestamp) {
            if (r.watermark != null) {
                return r.watermark.toProducerRecord(topic, json);
            }
            return new ProducerRecord<>(topic, null, null, r.evaluation.customerKey.getBytes(StandardCharsets.UTF_8),
                    writeEvaluation(json, r.evaluation));
        }
    }

    /** {@code product-recommendations}: keyed by product id, compacted. */
    public static final class ProductRecommendations implements KafkaRecordSerializationSchema<ProductRecommendation> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private transient JsonWriting json;

        public ProductRecommendations(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            json = new JsonWriting();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(ProductRecommendation r, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, null, r.productId.getBytes(StandardCharsets.UTF_8), write(json, r));
        }
    }
}
