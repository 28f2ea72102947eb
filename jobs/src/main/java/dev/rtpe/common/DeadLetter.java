package dev.rtpe.common;

import java.util.Arrays;

/**
 * A record that broke the contract, with where it came from and its raw bytes, for {@code dead-letter}.
 * A Flink POJO. The payload is capped so one huge record cannot bloat the dead-letter topic.
 */
public class DeadLetter {
    public static final int MAX_KEPT_PAYLOAD_BYTES = 64 * 1024;

    public String producer;
    public String reason;
    public String field;
    public String detail;
    public String eventId;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** Kafka record timestamp of the source record, epoch ms; -1 when unknown. */
    public long sourceTimestamp = -1;
    public byte[] sourceKey;
    /** The first {@link #MAX_KEPT_PAYLOAD_BYTES} bytes of the source record's value. */
    public byte[] payload;
    /** Size of the whole source value. */
    public int payloadBytes;
    public long rejectedAt;

    public DeadLetter() {}

    public static DeadLetter of(String producer, Rejection rejection, String topic, int partition, long offset,
                                long timestamp, byte[] key, byte[] value, long now) {
        DeadLetter d = new DeadLetter();
        d.producer = producer;
        d.reason = rejection.reason().wireName;
        d.field = rejection.field();
        d.detail = rejection.detail();
        d.eventId = rejection.eventId();
        d.sourceTopic = topic;
        d.sourcePartition = partition;
        d.sourceOffset = offset;
        d.sourceTimestamp = timestamp;
        d.sourceKey = key;
        d.payloadBytes = value == null ? 0 : value.length;
        d.payload = value == null || value.length <= MAX_KEPT_PAYLOAD_BYTES ? value : Arrays.copyOf(value, MAX_KEPT_PAYLOAD_BYTES);
        d.rejectedAt = now;
        return d;
    }

    public boolean payloadTruncated() {
        return payload != null && payload.length < payloadBytes;
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + (field != null ? " " + field : "") + " " + sourceTopic + "/" + sourcePartition
                + "@" + sourceOffset + ": " + detail + "}";
    }
}
