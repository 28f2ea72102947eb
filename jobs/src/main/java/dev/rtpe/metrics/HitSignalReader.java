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

/**
 * Reads the hit-rate signal out of {@code recommendations} records, streaming over the JSON
 * without building a tree. Lists that were not evaluated (no {@code hit_at_10}) yield nothing.
 *
 * <p>The topic is the engine's own output, so a record that cannot be read is a bug upstream, not
 * shopper input: it is counted ({@code unreadableRecommendations}) and logged, and the job goes on.
 */
public final class HitSignalReader implements KafkaRecordDeserializationSchema<HitSignal> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HitSignalReader.class);
    private static final JsonFactory JSON = new JsonFactory();

    private transient Counter unreadable;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        unreadable = context.getMetricGroup().counter("unreadableRecommendations");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<HitSignal> out) {
        if (record.value() == null) {
            return; // a tombstone of the compacted topic
        }
        HitSignal signal;
        try {
            signal = read(record.value());
        } catch (IOException | RuntimeException e) {
            if (unreadable != null) {
                unreadable.inc();
            }
            LOG.warn("Unreadable record in {} partition {} offset {}: {}", record.topic(), record.partition(), record.offset(), e.toString());
            return;
        }
        if (signal != null) {
            out.collect(signal);
        }
    }

    /** The signal of one record; null when the record carries no evaluation. */
    static HitSignal read(byte[] json) throws IOException {
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
                    case "hit_at_10":
                        expect(value.isBoolean(), "hit_at_10 is not a boolean");
                        hit = value == JsonToken.VALUE_TRUE;
                        break;
                    case "cause":
                        expect(value == JsonToken.START_OBJECT, "cause is not an object");
                        readCause(p, s);
                        break;
                    default:
                        p.skipChildren();
                }
            }
        }
        if (hit == null) {
            return null;
        }
        s.hit = hit;
        expect(s.customerKey != null && s.eventId != null && s.eventTime != Long.MIN_VALUE && s.channel != null,
                "customer_key, cause.event_id, cause.event_time and cause.channel are required");
        return s;
    }

    private static void readCause(JsonParser p, HitSignal s) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "event_id":
                    s.eventId = p.getValueAsString();
                    break;
                case "event_time":
                    expect(value == JsonToken.VALUE_NUMBER_INT, "cause.event_time is not an integer");
                    s.eventTime = p.getLongValue();
                    break;
                case "channel":
                    s.channel = Channel.fromWireName(p.getValueAsString(""));
                    expect(s.channel != null, "unknown cause.channel");
                    break;
                case "category":
                    String path = p.getValueAsString();
                    s.category = path == null || path.isEmpty() ? null : Dimension.topLevelCategory(path);
                    break;
                default:
                    p.skipChildren();
            }
        }
    }

    private static void expect(boolean condition, String problem) throws IOException {
        if (!condition) {
            throw new IOException(problem);
        }
    }

    @Override
    public TypeInformation<HitSignal> getProducedType() {
        return TypeInformation.of(HitSignal.class);
    }
}
