package dev.rtpe.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Ingest's progress in event time, written into every partition of {@code shopper-events} by each
 * of ingest's parallel instances: "every event before this watermark that I will ever write to this
 * partition is already written". The downstream jobs take their event time from these records only,
 * so their clock follows what ingest has seen: an ingest outage stops it, a catch-up cannot make
 * events late, and one event's skewed clock cannot move it. A Flink POJO.
 *
 * <p>On the wire: no key, the Kafka header {@value #HEADER} = {@code watermark}, and a JSON value
 * (schemas/shopper-events.schema.json).
 */
public class WatermarkRecord {
    public static final String HEADER = "record_type";
    public static final String TYPE = "watermark";
    private static final byte[] TYPE_BYTES = TYPE.getBytes(StandardCharsets.UTF_8);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_SUBTASKS = 1 << 15;

    /** Event time, epoch ms: no later event of this ingest instance in this partition is earlier. */
    public long watermark;
    /** Which of ingest's parallel instances wrote it, and how many there are. */
    public int subtask;
    public int subtasks;
    /** The partition of {@code shopper-events} it is written to. */
    public int partition;
    /** Wall clock when it was written, epoch ms. */
    public long emittedAt;

    public WatermarkRecord() {}

    public WatermarkRecord(long watermark, int subtask, int subtasks, int partition, long emittedAt) {
        this.watermark = watermark;
        this.subtask = subtask;
        this.subtasks = subtasks;
        this.partition = partition;
        this.emittedAt = emittedAt;
    }

    /** Whether a Kafka record is one of these, by its header. */
    public static boolean isMarked(Headers headers) {
        Header h = headers.lastHeader(HEADER);
        return h != null && java.util.Arrays.equals(h.value(), TYPE_BYTES);
    }

    public static byte[] headerValue() {
        return TYPE_BYTES.clone();
    }

    /** As a Kafka record: unkeyed, into its own partition of {@code topic}, with the header that marks it. */
    public org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> toProducerRecord(String topic, JsonWriting json) {
        var record = new org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>(topic, partition, null, null, toJson(json));
        record.headers().add(HEADER, headerValue());
        return record;
    }

    public byte[] toJson(JsonWriting json) {
        return json.object(g -> {
            g.writeStringField("record_type", TYPE);
            g.writeNumberField("schema_version", ShopperEvent.SCHEMA_VERSION);
            g.writeNumberField("watermark", watermark);
            g.writeNumberField("ingest_subtask", subtask);
            g.writeNumberField("ingest_subtasks", subtasks);
            g.writeNumberField("emitted_at", emittedAt);
        });
    }

    /** Reads and checks one; {@code partition} is where it was read from. */
    public static WatermarkRecord read(byte[] value, int partition) throws Rejection {
        if (value == null || value.length == 0) {
            throw new Rejection(RejectReason.EMPTY_PAYLOAD, null, "watermark record has no value");
        }
        WatermarkRecord w = new WatermarkRecord();
        w.partition = partition;
        w.subtask = -1;
        String type = null;
        boolean sawWatermark = false;
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Rejection(RejectReason.NOT_A_JSON_OBJECT, null, "a watermark record is a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "record_type": type = p.getValueAsString(); break;
                    case "watermark": w.watermark = integer(p, t, name); sawWatermark = true; break;
                    case "ingest_subtask": w.subtask = (int) integer(p, t, name); break;
                    case "ingest_subtasks": w.subtasks = (int) integer(p, t, name); break;
                    case "emitted_at": w.emittedAt = integer(p, t, name); break;
                    default: p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new Rejection(RejectReason.MALFORMED_JSON, null, e.getMessage());
        }
        if (!TYPE.equals(type)) {
            throw new Rejection(RejectReason.MISSING_FIELD, "record_type", "a watermark record has record_type \"watermark\"");
        }
        if (!sawWatermark) {
            throw new Rejection(RejectReason.MISSING_FIELD, "watermark", "watermark is required");
        }
        if (w.subtasks < 1 || w.subtasks > MAX_SUBTASKS || w.subtask < 0 || w.subtask >= w.subtasks) {
            throw new Rejection(RejectReason.INVALID_IDENTIFIER, "ingest_subtask",
                    "ingest_subtask must be in [0, ingest_subtasks) and ingest_subtasks in [1, " + MAX_SUBTASKS + "]");
        }
        return w;
    }

    private static long integer(JsonParser p, JsonToken t, String field) throws IOException, Rejection {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new Rejection(RejectReason.WRONG_TYPE, field, field + " must be an integer");
        }
        return p.getLongValue();
    }

    @Override
    public String toString() {
        return "Watermark{" + watermark + " from " + subtask + "/" + subtasks + " in partition " + partition + "}";
    }
}
