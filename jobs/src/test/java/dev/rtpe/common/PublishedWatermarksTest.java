package dev.rtpe.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

/** A downstream job's watermark of one shopper-events partition, from ingest's watermark records. */
class PublishedWatermarksTest {
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
            emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            throw new AssertionError("a shopper-events partition is never idle: ingest writes into it while it runs");
        }

        @Override
        public void markActive() {}
    };
    private final PublishedWatermarks<ParsedRecord> generator = new PublishedWatermarks<>(r -> r.watermark);

    private void receive(long watermark, int subtask, int subtasks) {
        generator.onEvent(ParsedRecord.watermark(new WatermarkRecord(watermark, subtask, subtasks, 0, 0)), Long.MIN_VALUE, output);
    }

    @Test
    void thePartitionWaitsForEveryIngestInstanceAndTakesTheLowest() {
        receive(100, 0, 2);
        assertEquals(List.of(), emitted, "instance 1 has said nothing yet");
        receive(80, 1, 2);
        receive(150, 0, 2);
        receive(120, 1, 2);
        assertEquals(List.of(80L, 120L), emitted);
    }

    @Test
    void eventsMoveNothing() {
        ShopperEvent e = new ShopperEvent();
        e.eventTime = 1_000_000;
        generator.onEvent(ParsedRecord.accepted(e), e.eventTime, output);
        generator.onPeriodicEmit(output);
        assertEquals(List.of(), emitted);
    }

    @Test
    void aRescaledIngestIsWaitedForAndTheWatermarkNeverGoesBack() {
        receive(100, 0, 1);
        receive(90, 0, 2);
        receive(200, 1, 2);
        receive(210, 0, 2);
        assertEquals(List.of(100L, 200L), emitted);
    }
}
