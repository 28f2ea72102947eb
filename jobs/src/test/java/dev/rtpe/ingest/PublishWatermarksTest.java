package dev.rtpe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.PublishWatermarks;
import dev.rtpe.common.CanonicalRecord;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.WatermarkRecord;
import dev.rtpe.testing.Events;

/** Ingest's event time as it publishes it into shopper-events. */
class PublishWatermarksTest {
    private static final int PARTITIONS = 3;
    private static final long OOO = 5_000;
    private static final long T = 1_795_420_800_000L;

    private static OneInputStreamOperatorTestHarness<ShopperEvent, CanonicalRecord> harness(boolean quietClock) throws Exception {
        // Instance 1 of 2, so the records say who wrote them.
        return new OneInputStreamOperatorTestHarness<>(PublishWatermarks.ofShopperEvents(() -> PARTITIONS, Duration.ofMillis(OOO), quietClock), 128, 2, 1);
    }

    private static List<WatermarkRecord> watermarks(OneInputStreamOperatorTestHarness<ShopperEvent, CanonicalRecord> h) {
        return h.extractOutputValues().stream().filter(r -> r.watermark != null).map(r -> r.watermark).collect(Collectors.toList());
    }

    private static List<Long> publishedValues(OneInputStreamOperatorTestHarness<ShopperEvent, CanonicalRecord> h) {
        return watermarks(h).stream().map(w -> w.watermark).distinct().collect(Collectors.toList());
    }

    @Test
    void eventsPassAndEachWatermarkGoesToEveryPartitionAfterThem() throws Exception {
        try (var h = harness(true)) {
            h.open();
            h.setProcessingTime(1_000);
            h.processElement(Events.view("c1", "e1", T, "p1"), T);
            h.processWatermark(new Watermark(T - OOO));
            List<CanonicalRecord> out = h.extractOutputValues();
            assertEquals("e1", out.get(0).event.eventId, "the event first");
            List<WatermarkRecord> w = watermarks(h);
            assertEquals(List.of(0, 1, 2), w.stream().map(x -> x.partition).collect(Collectors.toList()));
            assertTrue(w.stream().allMatch(x -> x.watermark == T - OOO && x.subtask == 1 && x.subtasks == 2));
        }
    }

    @Test
    void nothingIsPublishedBeforeTheFirstEventEvenWhenTheInputIsIdleForLong() throws Exception {
        try (var h = harness(true)) {
            h.open();
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            for (long t = 0; t <= 60_000; t += 200) {
                h.setProcessingTime(t);
            }
            assertEquals(List.of(), watermarks(h), "an engine that has seen nothing waits for its data");
        }
    }

    @Test
    void whenEveryInputIsIdleEventTimeFollowsTheClockMinusTheOutOfOrderness() throws Exception {
        try (var h = harness(true)) {
            h.open();
            h.setProcessingTime(T);
            h.processWatermark(new Watermark(T - 10_000));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            h.setProcessingTime(T + 60_000);
            assertEquals(T + 60_000 - OOO, watermarks(h).get(watermarks(h).size() - 1).watermark);
        }
    }

    @Test
    void withoutTheQuietClockEventTimeComesOnlyFromTheData() throws Exception {
        try (var h = harness(false)) {
            h.open();
            h.setProcessingTime(T);
            h.processWatermark(new Watermark(T - 10_000));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            h.setProcessingTime(T + 60_000);
            assertEquals(List.of(T - 10_000), publishedValues(h));
        }
    }

    @Test
    void whileTheInputIsActiveOnlyItsWatermarkCounts() throws Exception {
        try (var h = harness(true)) {
            h.open();
            h.setProcessingTime(T + 3_600_000);
            h.processWatermark(new Watermark(T)); // a backlog an hour behind the clock
            h.setProcessingTime(T + 3_700_000);
            assertEquals(List.of(T), publishedValues(h), "re-sent as a heartbeat, never moved by the clock");
        }
    }

    @Test
    void itNeverGoesBack() throws Exception {
        try (var h = harness(true)) {
            h.open();
            h.setProcessingTime(T);
            h.processWatermark(new Watermark(T - 1_000));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            h.setProcessingTime(T + 30_000);
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.processWatermark(new Watermark(T + 2_000)); // the inputs resume behind the quiet clock
            h.setProcessingTime(T + 32_000);
            List<Long> values = publishedValues(h);
            for (int i = 1; i < values.size(); i++) {
                assertTrue(values.get(i) > values.get(i - 1), values.toString());
            }
        }
    }

    /**
     * A restart from a checkpoint into a world without input: the clock starts again from where it
     * was, so triggers that are due still fire on a quiet night.
     */
    @Test
    void afterARestoreWithIdleInputsTheClockGoesOnFromTheCheckpoint() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(true)) {
            h.open();
            h.setProcessingTime(T);
            h.processWatermark(new Watermark(T - OOO));
            snapshot = h.snapshot(1, T);
        }
        try (var h = harness(true)) {
            h.initializeState(snapshot);
            h.open();
            h.processWatermarkStatus(WatermarkStatus.IDLE); // restored, and nothing arrives at all
            h.setProcessingTime(T + 120_000);
            List<Long> values = publishedValues(h);
            assertEquals(T + 120_000 - OOO, values.get(values.size() - 1));
        }
    }
}
