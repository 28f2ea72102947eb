package dev.rtpe.common;

import static dev.rtpe.testing.GoldenFiles.assertSameFlinkValue;
import static dev.rtpe.testing.GoldenFiles.committed;
import static dev.rtpe.testing.GoldenFiles.flinkDecode;
import static dev.rtpe.testing.GoldenFiles.flinkEncode;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.junit.jupiter.api.Test;

/**
 * The shared state: the ids {@link DropRepeatedEvents} has seen (Flink-serialized, through its
 * descriptor's serializers), and the {@link CompactState} primitives every compact codec is made
 * of. See {@code src/test/resources/golden/README.md}.
 */
class StateCodecGoldenTest {
    private static MapSerializer<String, Boolean> seenIdsSerializer() {
        MapStateDescriptor<String, Boolean> d = DropRepeatedEvents.seenIds(Duration.ofHours(24));
        assertThat(d.getName()).isEqualTo("seen-event-ids"); // the name is part of the savepoint too
        assertThat(d.getTtlConfig().isEnabled()).isTrue();
        d.initializeSerializerUnlessSet(new ExecutionConfig());
        return new MapSerializer<>(d.getKeySerializer(), d.getValueSerializer());
    }

    static Map<String, Boolean> seenIds() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        seen.put("0f8e2c1a-5b7d-4e3f-9a61-2d4c8b0e7f13", true);
        seen.put("évènement-🛒-2", true);
        seen.put("", true);
        return seen;
    }

    @Test
    void seenEventIdsRoundTrip() throws Exception {
        MapSerializer<String, Boolean> serializer = seenIdsSerializer();
        assertThat(flinkDecode(serializer, flinkEncode(serializer, seenIds()))).isEqualTo(seenIds());
    }

    @Test
    void seenEventIdsFormat1IsReadAndStillWritten() throws Exception {
        MapSerializer<String, Boolean> serializer = seenIdsSerializer();
        String file = "seen-event-ids-v1.bin";
        byte[] golden = committed(file, flinkEncode(serializer, seenIds()));
        assertThat(flinkDecode(serializer, golden)).containsOnly(Map.entry("0f8e2c1a-5b7d-4e3f-9a61-2d4c8b0e7f13", true),
                Map.entry("évènement-🛒-2", true), Map.entry("", true));
        assertSameFlinkValue(file, golden, flinkEncode(serializer, seenIds()));
    }

    /** The primitives at their edges: what each codec relies on. */
    @Test
    void compactStatePrimitivesRoundTrip() {
        CompactState.Writer w = new CompactState.Writer().reset();
        w.putByte(0xFF).putVarInt(0).putVarInt(127).putVarInt(128).putVarInt(Integer.MAX_VALUE).putVarInt(-1)
                .putLong(Long.MIN_VALUE).putLong(-2).putDouble(Double.NaN).putDouble(-0.0).putDouble(Double.NEGATIVE_INFINITY)
                .putBoolean(true).putBoolean(false)
                .putString(null).putString("").putString("zażółć 🛒 日本")
                .putBytes(new byte[] {0, -1, 127}).putStrings(new String[] {null, "", "x"})
                .putDoubles(new double[] {1.5, -1e300}).putLongs(new long[] {Long.MAX_VALUE, 0}).putBooleans(new boolean[] {false, true});
        // Beyond the writer's initial 1 KiB buffer.
        String big = "ß".repeat(3_000);
        w.putString(big);
        CompactState.Reader r = new CompactState.Reader(w.toBytes());
        assertThat(r.getByte()).isEqualTo(-1); // a byte comes back signed
        assertThat(r.getVarInt()).isZero();
        assertThat(r.getVarInt()).isEqualTo(127);
        assertThat(r.getVarInt()).isEqualTo(128);
        assertThat(r.getVarInt()).isEqualTo(Integer.MAX_VALUE);
        assertThat(r.getVarInt()).isEqualTo(-1);
        assertThat(r.getLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(r.getLong()).isEqualTo(-2);
        assertThat(r.getDouble()).isNaN();
        assertThat(Double.doubleToRawLongBits(r.getDouble())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(r.getDouble()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(r.getBoolean()).isTrue();
        assertThat(r.getBoolean()).isFalse();
        assertThat(r.getString()).isNull();
        assertThat(r.getString()).isEmpty();
        assertThat(r.getString()).isEqualTo("zażółć 🛒 日本");
        assertThat(r.getBytes()).containsExactly(0, -1, 127);
        assertThat(r.getStrings()).containsExactly(null, "", "x");
        assertThat(r.getDoubles()).containsExactly(1.5, -1e300);
        assertThat(r.getLongs()).containsExactly(Long.MAX_VALUE, 0);
        assertThat(r.getBooleans()).containsExactly(false, true);
        assertThat(r.getString()).isEqualTo(big);
        assertThat(r.remaining()).isZero();
    }

    /** The primitives' layout, byte for byte: every golden file depends on it. */
    @Test
    void compactStatePrimitivesHaveTheirLayout() {
        byte[] bytes = new CompactState.Writer().putVarInt(300).putLong(1).putString(null).putString("é").putBoolean(true).toBytes();
        assertThat(bytes).containsExactly(
                0xAC, 0x02, // 300 as a varint: low 7 bits first, high bit = more
                0, 0, 0, 0, 0, 0, 0, 1, // a long, big-endian
                0, // null
                3, 0xC3, 0xA9, // length + 1, then UTF-8
                1);
    }
}
