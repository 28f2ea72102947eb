package dev.rtpe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;

/**
 * The committed bytes of each state format, under {@code src/test/resources/golden/} (see the
 * README there), and the checks the golden-bytes tests share.
 *
 * <p>A test asks for {@link #committed} with the bytes today's code writes. Normally this only
 * reads the committed file, and fails when there is none. Run with {@code -Dgolden.write=true}, a
 * missing file is first written from today's bytes into the source tree (commit it). A file that
 * exists is never overwritten, not even then: a format that changed gets a new version and a new
 * file, and the old one stays, to prove the old format is still read.
 */
public final class GoldenFiles {
    /** System property: write missing golden files (never overwrite existing ones). */
    public static final String WRITE = "golden.write";

    private static final Path SOURCE_DIR = Path.of(System.getProperty("rtpe.golden.dir", "src/test/resources/golden"));

    private GoldenFiles() {}

    /** The committed bytes of {@code golden/<file>}; with {@value #WRITE}, writes {@code today} first when the file is missing. */
    public static byte[] committed(String file, byte[] today) throws IOException {
        Path source = SOURCE_DIR.resolve(file);
        if (Boolean.getBoolean(WRITE) && !Files.exists(source)) {
            Files.createDirectories(SOURCE_DIR);
            Files.write(source, today);
        }
        try (InputStream in = GoldenFiles.class.getResourceAsStream("/golden/" + file)) {
            if (in != null) {
                return in.readAllBytes();
            }
        }
        if (Files.exists(source)) {
            return Files.readAllBytes(source); // written just now, not yet copied to the test classpath
        }
        throw new AssertionError("No golden file golden/" + file + ". A new format: run the test once with -D" + WRITE
                + "=true and commit the file it writes.");
    }

    /** Today's code must write exactly the committed bytes: an unnoticed change of format fails here. */
    public static void assertSameBytes(String file, byte[] committed, byte[] today) {
        if (Arrays.equals(committed, today)) {
            return;
        }
        int at = Arrays.mismatch(committed, today);
        throw new AssertionError("Today's code no longer writes the bytes of golden/" + file + " (first difference at byte " + at
                + ").\n  committed: " + HexFormat.of().formatHex(committed)
                + "\n  today:     " + HexFormat.of().formatHex(today)
                + "\nIf the format changed on purpose: bump its version (the version byte; for a Flink-serialized state, the "
                + "file's v<n>), keep reading the old version (a migration, tested by this file), and add a golden file for the "
                + "new version. Never regenerate an existing one (golden/README.md).");
    }

    // Compact state (CompactState.Writer / Reader).

    public static <T> byte[] encode(CompactValueState.Codec<T> codec, T value) {
        CompactState.Writer w = new CompactState.Writer();
        codec.write(value, w);
        return w.toBytes();
    }

    /** Decodes a whole value: bytes left over mean the reader and the writer disagree on the layout. */
    public static <T> T decode(CompactValueState.Codec<T> codec, byte[] bytes) {
        CompactState.Reader r = new CompactState.Reader(bytes);
        T value = codec.read(r);
        assertThat(r.remaining()).as("bytes left after reading the value").isZero();
        return value;
    }

    /**
     * Encodes and decodes {@code value}: the result has the same fields (recursively, doubles
     * exactly, except {@code ignoredFields}, which the caller compares itself), and encodes to the
     * same bytes.
     */
    public static <T> T assertRoundTrip(CompactValueState.Codec<T> codec, T value, String... ignoredFields) {
        byte[] bytes = encode(codec, value);
        T read = decode(codec, bytes);
        assertThat(read).usingRecursiveComparison().ignoringFields(ignoredFields)
                .withComparatorForType(Double::compare, Double.class) // exact: NaN equals NaN, -0.0 is not 0.0
                .isEqualTo(value);
        assertThat(encode(codec, read)).as("the decoded value encodes to the same bytes").isEqualTo(bytes);
        return read;
    }

    // Flink-serialized state (a state descriptor's TypeSerializer).

    /**
     * A value as Flink keeps it in a savepoint: the serializer's snapshot (what Flink stores with the
     * state to read it later), then the value's bytes.
     */
    public static <T> byte[] flinkEncode(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    /**
     * Reads what {@link #flinkEncode} wrote, the way a restore does: today's serializer must be
     * compatible with the stored snapshot (as is, or after migration), and the value is read with
     * the serializer the snapshot restores.
     */
    public static <T> T flinkDecode(TypeSerializer<T> current, byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot<T> stored = TypeSerializerSnapshot.readVersionedSnapshot(in, GoldenFiles.class.getClassLoader());
        TypeSerializerSchemaCompatibility<T> compatibility = current.snapshotConfiguration().resolveSchemaCompatibility(stored);
        assertThat(compatibility.isIncompatible()).as("today's serializer is incompatible with the stored one: %s", compatibility)
                .isFalse();
        T value = stored.restoreSerializer().deserialize(in);
        assertThat(in.available()).as("bytes left after reading the value").isZero();
        return value;
    }

    /**
     * Today's serializer must write the committed value bytes. Only the value is compared: the
     * snapshot before it is Flink's to evolve (a Flink upgrade, an enum constant appended), and the
     * restore in {@link #flinkDecode} checks it is still understood.
     */
    public static void assertSameFlinkValue(String file, byte[] committed, byte[] today) throws IOException {
        assertSameBytes(file, flinkValueBytes(committed), flinkValueBytes(today));
    }

    private static byte[] flinkValueBytes(byte[] bytes) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        TypeSerializerSnapshot.readVersionedSnapshot(in, GoldenFiles.class.getClassLoader());
        return Arrays.copyOfRange(bytes, bytes.length - in.available(), bytes.length);
    }
}
