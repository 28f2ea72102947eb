package dev.rtpe.common;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * Streams one JSON object into a reused buffer: the writers of every output topic share it, so the
 * per-record cost is the generator and the final byte array, with no tree in between.
 */
public final class JsonWriting {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(512);

    /** Writes the fields of one object. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    public byte[] object(Body body) {
        buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return buffer.toByteArray();
    }

    public static void optionalString(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    public static void optionalNumber(JsonGenerator g, String name, double value) throws IOException {
        if (!Double.isNaN(value)) {
            g.writeNumberField(name, value);
        }
    }
}
