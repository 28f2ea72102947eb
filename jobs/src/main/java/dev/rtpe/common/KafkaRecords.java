package dev.rtpe.common;

import java.nio.charset.StandardCharsets;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kafka sinks and record layouts shared by the jobs. */
public final class KafkaRecords {
    private KafkaRecords() {}

    /**
     * An at-least-once sink: records are visible as soon as they are written, and a recovery may
     * repeat some. Used for every topic whose consumers dedupe or upsert by key.
     */
    public static <T> KafkaSink<T> atLeastOnceSink(JobSettings settings, KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setKafkaProducerConfig(settings.producerProperties())
                .setRecordSerializer(serializer)
                .build();
    }

    /**
     * {@code shopper-events}: an event is keyed by its customer key, so one customer's events share a
     * partition and stay in order. A watermark record goes to the partition it names, without a
     * key, marked by its header.
     */
    public static final class ShopperEvents implements KafkaRecordSerializationSchema<CanonicalRecord> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private transient ShopperEventWriter writer;
        private transient JsonWriting json;

        public ShopperEvents(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            writer = new ShopperEventWriter();
            json = new JsonWriting();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(CanonicalRecord r, KafkaSinkContext context, Long timestamp) {
            // No record timestamp: the broker's append time keeps retention working for replayed old data.
            if (r.watermark != null) {
                return r.watermark.toProducerRecord(topic, json);
            }
            ShopperEvent e = r.event;
            return new ProducerRecord<>(topic, null, null, e.customerKey.getBytes(StandardCharsets.UTF_8), writer.write(e));
        }
    }

    /** {@code dead-letter}: unkeyed; the reason is also a header so consumers can route without parsing. */
    public static final class DeadLetters implements KafkaRecordSerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;
        public static final String REASON_HEADER = "dead-letter-reason";
        private final String topic;
        private transient DeadLetterWriter writer;

        public DeadLetters(String topic) {
            this.topic = topic;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            writer = new DeadLetterWriter();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null, null, writer.write(d));
            record.headers().add(REASON_HEADER, d.reason.getBytes(StandardCharsets.UTF_8));
            return record;
        }
    }
}
