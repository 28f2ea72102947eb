package dev.rtpe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.CachingKeyedProcessOperator;

/**
 * Panes and windows under late data: a late event within the allowed lateness re-emits the
 * corrected window under the same key; a later delta is dropped and counted. (Shopper events that
 * late are already dropped by the customer funnel: CustomerFunnelTest.)
 */
class LatenessTest {
    private static final long T = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;

    private final MetricsConfig config = MetricsConfig.fromArgs("--allowed-lateness", "5min");
    private final PaneAggregator panes = new PaneAggregator(config);

    @Test
    void aLateEventWithinTheLatenessCorrectsTheWindowUnderTheSameKey() throws Exception {
        try (var paneHarness = paneHarness(); var windowHarness = windowHarness()) {
            paneHarness.processElement(view(T + 10_000), T + 10_000);
            advance(paneHarness, windowHarness, T + MIN + 5_000);
            WindowMetrics first = tumbling(windowHarness, T).get(0);
            assertEquals(1, first.productViews);

            paneHarness.processElement(view(T + 20_000), T + 20_000);
            advance(paneHarness, windowHarness, T + 2 * MIN);

            List<WindowMetrics> records = tumbling(windowHarness, T);
            assertEquals(2, records.size(), "the first record and its correction");
            assertEquals(first.key(), records.get(1).key());
            assertEquals(2, records.get(1).productViews);
            assertEquals(0, panes.lateCorrectionsDropped());
        }
    }

    @Test
    void aDeltaLaterThanTheLatenessIsDroppedAndCounted() throws Exception {
        try (var paneHarness = paneHarness(); var windowHarness = windowHarness()) {
            paneHarness.processElement(view(T + 10_000), T + 10_000);
            advance(paneHarness, windowHarness, T + MIN - 1 + 5 * MIN);

            paneHarness.processElement(view(T + 20_000), T + 20_000);
            advance(paneHarness, windowHarness, T + 7 * MIN);

            List<WindowMetrics> records = tumbling(windowHarness, T);
            assertEquals(1, records.size(), "no correction after the lateness: " + records);
            assertEquals(1, records.get(0).productViews);
            assertEquals(1, panes.lateCorrectionsDropped());
        }
    }

    /**
     * A restored job knows no watermark until the next one comes, so "already sent" must be in the
     * pane's state, not read from the watermark. Found by scripts/chaos.sh: after a savepoint
     * restart, the bounce decisions of the input's last minutes (corrections to panes sent before
     * the savepoint) were never sent, and 276 windows lost session starts and bounces.
     */
    @Test
    void aCorrectionToAPaneSentBeforeARestoreIsSentAfterIt() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var paneHarness = paneHarness(); var windowHarness = windowHarness()) {
            paneHarness.processElement(view(T + 10_000), T + 10_000);
            advance(paneHarness, windowHarness, T + MIN + 5_000);
            assertEquals(1, paneHarness.extractOutputValues().size(), "the pane is sent once its minute is over");
            paneHarness.prepareSnapshotPreBarrier(1); // as a checkpoint does: the write-back cache goes to RocksDB
            snapshot = paneHarness.snapshot(1, T + 2 * MIN);
        }
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<String, PaneDelta, PaneSummary>(
                new CachingKeyedProcessOperator<>(new PaneAggregator(config)), new MetricsPipeline.ByPane(), Types.STRING);
             var windowHarness = windowHarness()) {
            restored.setStateBackend(new EmbeddedRocksDBStateBackend());
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(view(T + 20_000), T + 20_000); // before any watermark of the restored job
            advance(restored, windowHarness, T + 7 * MIN);
            List<WindowMetrics> records = tumbling(windowHarness, T);
            assertEquals(1, records.size(), "the corrected pane is sent again: " + records);
            assertEquals(2, records.get(0).productViews);
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<String, PaneDelta, PaneSummary> paneHarness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, PaneDelta, PaneSummary>(
                new CachingKeyedProcessOperator<>(panes), new MetricsPipeline.ByPane(), Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        return h;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, PaneSummary, WindowMetrics> windowHarness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, PaneSummary, WindowMetrics>(
                new KeyedProcessOperator<>(new WindowAssembler(config)),
                new MetricsPipeline.ByWindowKey(), Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        return h;
    }

    /** Moves both stages to the watermark, passing the panes sent on to the window stage. */
    private static void advance(KeyedOneInputStreamOperatorTestHarness<String, PaneDelta, PaneSummary> paneHarness,
                                KeyedOneInputStreamOperatorTestHarness<String, PaneSummary, WindowMetrics> windowHarness,
                                long watermark) throws Exception {
        int before = paneHarness.extractOutputValues().size();
        paneHarness.processWatermark(watermark);
        List<PaneSummary> sent = paneHarness.extractOutputValues();
        for (PaneSummary s : sent.subList(before, sent.size())) {
            windowHarness.processElement(s, s.paneStart);
        }
        windowHarness.processWatermark(watermark);
    }

    private static List<WindowMetrics> tumbling(KeyedOneInputStreamOperatorTestHarness<String, PaneSummary, WindowMetrics> h,
                                                long start) {
        return h.extractOutputValues().stream()
                .filter(m -> m.windowKind.equals("tumbling") && m.windowStart == start)
                .collect(Collectors.toList());
    }

    private static PaneDelta view(long time) {
        PaneDelta d = new PaneDelta(Dimension.ALL, "all", time - time % MIN);
        d.views = 1;
        return d;
    }
}
