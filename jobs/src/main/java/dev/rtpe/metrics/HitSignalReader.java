package dev.rtpe.metrics;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.rtpe.common.Channel;
import dev.rtpe.common.Rejection;
import dev.rtpe.common.WatermarkRecord;

/**
 * Reads {@code rec-evaluations}: the recommendations job's hit-rate evaluations, and its watermark
 * records (marked by their header), streaming over the JSON without building a tree.
 *
 * <p>The topic is the engine's own output, so a record that cannot be read is a bug upstream, not
 * shopper input: it is counted ({@code unreadableEvaluations}) and logged, and the job goes on.
 */
public final class HitSignalReader implements KafkaRecordDeserializationSchema<HitRateInput> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HitSignalReader.class);
    private static final JsonFactory JSON = new JsonFactory();

    private transient Counter unreadable;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        unreadable = context.getMetricGroup().counter("unreadableEvaluations");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<HitRateInput> out) {
        try {
            out.collect(WatermarkRecord.isMarked(record.headers())
                    ? HitRateInput.of(WatermarkRecord.read(record.value(), record.partition()))
                    : HitRateInput.of(read(record.value())));
        } catch (IOException | Rejection | RuntimeException e) {
            if (unreadable != null) {
                unreadable.inc();
            }
            LOG.warn("Unreadable record in {} partition {} offset {}: {}", record.topic(), record.partition(), record.offset(), e.toString());
        }
    }

    /** One evaluation (schemas/rec-evaluations.schema.json). */
    static HitSignal read(byte[] json) throws IOException {
        expect(json != null, "no value");
        HitSignal s = new HitSignal();
        s.eventTime = Long.MIN_VALUE;
        Boolean hit = null;
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "customer_key":
                        s.customerKey = p.getValueAsString();
                        break;
                    case "event_id":
                        s.eventId = p.getValueAsString();
                        break;
                    case "event_time":
                        expect(value == JsonToken.VALUE_NUMBER_INT, "event_time is not an integer");
                        s.eventTime = p.getLongValue();
                        break;
                    case "channel":
                        s.channel = Channel.fromWireName(p.getValueAsString(""));
                        expect(s.channel != null, "unknown channel");
                        break;
                    case "category":
                        String path = p.getValueAsString();
                        s.category = path == null || path.isEmpty() ? null : Dimension.topLevelCategory(path);
                        break;
                    case "hit_at_10":
                        expect(value.isBoolean(), "hit_at_10 is not a boolean");
                        hit = value == JsonToken.VALUE_TRUE;
                        break;
                    default:
                        p.skipChildren();
                }
            }
        }
        expect(hit != null && s.customerKey != null && s.eventId != null && s.eventTime != Long.MIN_VALUE && s.channel != null,
                "customer_key, event_id, event_time, channel and hit_at_10 are required");
        s.hit = hit;
        return s;
    }

    private static void expect(boolean condition, String problem) throws IOException {
        if (!condition) {
            throw new IOException(problem);
        }
    }

    @Override
    public TypeInformation<HitRateInput> getProducedType() {
        return TypeInformation.of(HitRateInput.class);
    }
}
