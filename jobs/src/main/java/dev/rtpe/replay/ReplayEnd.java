package dev.rtpe.replay;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.rtpe.common.WatermarkRecord;

/**
 * How a replay knows the recommendations job is done: every event in {@code shopper-events} (not
 * ingest's watermark records) has a list on {@code recommendations} naming it as its cause. In
 * event-time order the job holds the last events until its input has been idle a while, after
 * their offsets are committed.
 */
public final class ReplayEnd {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayEnd() {}

    /** A {@code shopper-events} record's event id; null for a watermark record. */
    public static String eventId(ConsumerRecord<byte[], byte[]> r) {
        return WatermarkRecord.isMarked(r.headers()) ? null : field(r.value(), "event_id");
    }

    /** The event a {@code recommendations} record answers. */
    public static String causeEventId(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Evaluation.ListRecord.parse(r.value()).causeEventId();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String field(byte[] json, String name) {
        try {
            return JSON.readTree(json).path(name).asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
