package dev.rtpe.ingest;

import static dev.rtpe.testing.GoldenFiles.assertSameFlinkValue;
import static dev.rtpe.testing.GoldenFiles.committed;
import static dev.rtpe.testing.GoldenFiles.flinkDecode;
import static dev.rtpe.testing.GoldenFiles.flinkEncode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.PublishWatermarks;

/**
 * Ingest's operator state: the watermark each instance had reached (union list state, Flink-serialized
 * through its descriptor's serializer). See {@code src/test/resources/golden/README.md}.
 */
class StateCodecGoldenTest {
    private static ListSerializer<Long> serializer() {
        ListStateDescriptor<Long> d = PublishWatermarks.watermarkState(PublishWatermarks.INGEST);
        assertThat(d.getName()).isEqualTo("ingest-watermark");
        d.initializeSerializerUnlessSet(new ExecutionConfig());
        return new ListSerializer<>(d.getElementSerializer());
    }

    /** Two instances' watermarks: one well on, one that had not started. */
    static List<Long> watermarks() {
        return List.of(1_767_225_600_000L, Long.MIN_VALUE);
    }

    @Test
    void watermarksRoundTrip() throws Exception {
        assertThat(flinkDecode(serializer(), flinkEncode(serializer(), watermarks()))).isEqualTo(watermarks());
    }

    @Test
    void watermarksFormat1IsReadAndStillWritten() throws Exception {
        String file = "ingest-watermark-v1.bin";
        byte[] golden = committed(file, flinkEncode(serializer(), watermarks()));
        assertThat(flinkDecode(serializer(), golden)).containsExactly(1_767_225_600_000L, Long.MIN_VALUE);
        assertSameFlinkValue(file, golden, flinkEncode(serializer(), watermarks()));
    }
}
