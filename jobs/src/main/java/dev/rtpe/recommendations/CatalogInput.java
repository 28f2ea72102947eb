package dev.rtpe.recommendations;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import dev.rtpe.common.EventTime;
import dev.rtpe.common.DeadLetter;
import dev.rtpe.common.RejectReason;
import dev.rtpe.common.Rejection;

/**
 * The optional {@code catalog} topic (compacted, key product id): only whether a product is in
 * stock matters here. Low volume, so a JSON tree is fine. Bad records go to dead-letter.
 */
final class CatalogInput {
    private static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("catalog-dead-letters", TypeInformation.of(DeadLetter.class));

    private CatalogInput() {}

    /** A catalog record read: exactly one part is set. A Flink POJO. */
    public static class Entry {
        public ContextUpdate stock;
        public DeadLetter deadLetter;

        public Entry() {}
    }

    static DataStream<ContextUpdate> read(StreamExecutionEnvironment env, RecommendationsConfig config, Sink<DeadLetter> deadLetters) {
        KafkaSource<Entry> source = KafkaSource.<Entry>builder()
                .setBootstrapServers(config.job.bootstrapServers)
                .setTopics(config.catalogTopic)
                .setGroupId(config.groupId + "-catalog")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new Deserializer())
                .build();
        SingleOutputStreamOperator<ContextUpdate> stock = env
                .fromSource(source, EventTime.notInEventTime(), config.catalogTopic)
                .uid("rec-catalog-source")
                .process(new ProcessFunction<Entry, ContextUpdate>() {
                    @Override
                    public void processElement(Entry e, Context ctx, Collector<ContextUpdate> out) {
                        if (e.stock != null) {
                            out.collect(e.stock);
                        } else {
                            ctx.output(DEAD_LETTERS, e.deadLetter);
                        }
                    }
                })
                .uid("rec-catalog-split")
                .name("Stock changes");
        stock.getSideOutput(DEAD_LETTERS).sinkTo(deadLetters).uid("rec-catalog-dead-letter-sink").name("dead-letter (catalog)");
        return stock;
    }

    /** {@code {"product_id": "...", "in_stock": true, ...}} to a stock change (see schemas/catalog.schema.json). */
    static ContextUpdate parse(byte[] value) throws Rejection {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new Rejection(RejectReason.MALFORMED_JSON, null, "catalog record is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new Rejection(RejectReason.NOT_A_JSON_OBJECT, null, "catalog record is not a JSON object");
        }
        JsonNode id = node.get("product_id");
        JsonNode inStock = node.get("in_stock");
        if (id == null || id.isNull()) {
            throw new Rejection(RejectReason.MISSING_FIELD, "product_id", "product_id is required");
        }
        if (inStock == null || inStock.isNull()) {
            throw new Rejection(RejectReason.MISSING_FIELD, "in_stock", "in_stock is required");
        }
        if (!id.isTextual() || id.asText().isBlank()) {
            throw new Rejection(RejectReason.WRONG_TYPE, "product_id", "product_id must be a non-blank string");
        }
        if (!inStock.isBoolean()) {
            throw new Rejection(RejectReason.WRONG_TYPE, "in_stock", "in_stock must be true or false");
        }
        return ContextUpdate.stock(id.asText(), inStock.asBoolean());
    }

    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    static final class Deserializer implements KafkaRecordDeserializationSchema<Entry> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Entry> out) {
            Entry e = new Entry();
            try {
                if (r.value() == null) {
                    throw new Rejection(RejectReason.EMPTY_PAYLOAD, null, "catalog tombstones are not supported; send in_stock false");
                }
                e.stock = parse(r.value());
            } catch (Rejection rejection) {
                e.deadLetter = DeadLetter.of(RecommendationWriters.PRODUCER, rejection, r.topic(), r.partition(), r.offset(),
                        r.timestamp(), r.key(), r.value(), System.currentTimeMillis());
            }
            out.collect(e);
        }

        @Override
        public TypeInformation<Entry> getProducedType() {
            return TypeInformation.of(Entry.class);
        }
    }
}
