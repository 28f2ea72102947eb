package dev.rtpe.common;

import static dev.rtpe.common.JsonWriting.optionalString;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.JsonGenerator;

/** Writes a {@link DeadLetter} as a {@code dead-letter} message (see schemas/dead-letter.schema.json). */
public final class DeadLetterWriter {
    public static final int SCHEMA_VERSION = 1;

    private final JsonWriting json = new JsonWriting();

    public byte[] write(DeadLetter d) {
        return json.object(g -> fields(g, d));
    }

    private static void fields(JsonGenerator g, DeadLetter d) throws IOException {
        g.writeNumberField("schema_version", SCHEMA_VERSION);
        g.writeStringField("producer", d.producer);
        g.writeStringField("reason", d.reason);
        optionalString(g, "field", d.field);
        g.writeStringField("detail", d.detail);
        optionalString(g, "event_id", d.eventId);
        g.writeObjectFieldStart("source");
        g.writeStringField("topic", d.sourceTopic);
        g.writeNumberField("partition", d.sourcePartition);
        g.writeNumberField("offset", d.sourceOffset);
        if (d.sourceTimestamp >= 0) {
            g.writeNumberField("timestamp", d.sourceTimestamp);
        }
        if (d.sourceKey != null) {
            bytes(g, "key", d.sourceKey, false);
        }
        g.writeEndObject();
        bytes(g, "payload", d.payload == null ? new byte[0] : d.payload, d.payloadTruncated());
        g.writeNumberField("payload_bytes", d.payloadBytes);
        g.writeBooleanField("payload_truncated", d.payloadTruncated());
        g.writeNumberField("rejected_at", d.rejectedAt);
    }

    /** Text stays readable; anything that is not whole UTF-8 (or was cut mid-character) goes as base64. */
    private static void bytes(JsonGenerator g, String name, byte[] value, boolean truncated) throws IOException {
        String text = truncated ? null : utf8OrNull(value);
        if (text != null) {
            g.writeStringField(name, text);
            g.writeStringField(name + "_encoding", "utf8");
        } else {
            g.writeStringField(name, Base64.getEncoder().encodeToString(value));
            g.writeStringField(name + "_encoding", "base64");
        }
    }

    static String utf8OrNull(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
