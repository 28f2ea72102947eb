package dev.rtpe.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.ShopperEvent;

/**
 * The metrics job's keyed stages (customer funnel, panes, and optionally windows) in operator
 * harnesses on RocksDB, chained in one thread: each stage's output goes to the next at once, and a
 * watermark reaches a stage after everything the stage before sent ahead of it, as in the job.
 */
final class FunnelStages implements AutoCloseable {
    final CustomerFunnel funnel;
    final PaneAggregator panes;
    final KeyedOneInputStreamOperatorTestHarness<String, MetricsInput, PaneDelta> funnelHarness;
    final KeyedOneInputStreamOperatorTestHarness<String, PaneDelta, PaneSummary> paneHarness;
    /** Null without the window stage. */
    final KeyedOneInputStreamOperatorTestHarness<String, PaneSummary, WindowMetrics> windowHarness;
    private int deltasForwarded;
    private int summariesForwarded;

    FunnelStages(MetricsConfig config, boolean withWindows) throws Exception {
        funnel = new CustomerFunnel(config);
        panes = new PaneAggregator(config);
        funnelHarness = open(new KeyedOneInputStreamOperatorTestHarness<>(new CachingKeyedProcessOperator<>(funnel),
                new MetricsInput.ByCustomer(), Types.STRING));
        paneHarness = open(new KeyedOneInputStreamOperatorTestHarness<>(new CachingKeyedProcessOperator<>(panes),
                new MetricsPipeline.ByPane(), Types.STRING));
        windowHarness = withWindows
                ? open(new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new WindowAssembler(config)),
                        new MetricsPipeline.ByWindowKey(), Types.STRING))
                : null;
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> open(KeyedOneInputStreamOperatorTestHarness<String, I, O> h)
            throws Exception {
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        return h;
    }

    void event(ShopperEvent e) throws Exception {
        funnelHarness.processElement(MetricsInput.of(e), e.eventTime);
        forwardDeltas();
    }

    void watermark(long watermark) throws Exception {
        funnelHarness.processWatermark(watermark);
        forwardDeltas();
        paneHarness.processWatermark(watermark);
        forwardSummaries();
        if (windowHarness != null) {
            windowHarness.processWatermark(watermark);
        }
    }

    private void forwardDeltas() throws Exception {
        List<StreamRecord<? extends PaneDelta>> out = funnelHarness.extractOutputStreamRecords();
        for (StreamRecord<? extends PaneDelta> r : out.subList(deltasForwarded, out.size())) {
            paneHarness.processElement(r.getValue(), r.getTimestamp());
        }
        deltasForwarded = out.size();
    }

    private void forwardSummaries() throws Exception {
        List<PaneSummary> out = paneHarness.extractOutputValues();
        if (windowHarness != null) {
            for (PaneSummary s : out.subList(summariesForwarded, out.size())) {
                windowHarness.processElement(s, s.paneStart);
            }
        }
        summariesForwarded = out.size();
    }

    /** Every pane sent so far, in a form that does not depend on the order its deltas came in. */
    List<String> paneSummaries() {
        List<String> out = new ArrayList<>();
        for (PaneSummary s : paneHarness.extractOutputValues()) {
            out.add(s.windowKey + "|" + s.paneStart + " " + describe(PaneCounts.fromBytes(s.counts)));
        }
        return out;
    }

    /** The latest record of every window (records are upserts), by key. */
    Map<String, String> latestWindows() {
        Map<String, String> latest = new TreeMap<>();
        for (WindowMetrics m : windowHarness.extractOutputValues()) {
            latest.put(m.windowKind + " " + m.key(), describe(m));
        }
        return latest;
    }

    static String describe(PaneCounts c) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("views", c.views);
        f.put("carts", c.addToCarts);
        f.put("removes", c.removes);
        f.put("checkouts", c.checkouts);
        f.put("orders", c.orders);
        f.put("repeatOrders", c.repeatOrders);
        f.put("units", c.units);
        f.put("sessionsStarted", c.sessionsStarted);
        f.put("bounces", c.bounces);
        f.put("rec", c.recHits + "/" + c.recEvaluations);
        Map<String, String> revenue = new TreeMap<>();
        for (int i = 0; i < c.currencies.length; i++) {
            revenue.put(c.currencies[i], c.revenueMicros[i] + "/" + c.currencyOrders[i]);
        }
        f.put("revenue", revenue);
        String[] sketches = {"visitors", "sessions", "viewSessions", "cartSessions", "orderSessions"};
        for (int i = 0; i < PaneCounts.SKETCHES; i++) {
            f.put(sketches[i], c.sketches[i] == null ? 0 : Math.round(c.sketches[i].getEstimate()));
        }
        return f.toString();
    }

    static String describe(WindowMetrics m) {
        return "started=" + m.sessionsStarted + " bounces=" + m.bounces + " views=" + m.productViews + " carts=" + m.addToCarts
                + " orders=" + m.orders + " repeat=" + m.repeatOrders + " units=" + m.units + " visitors=" + m.visitors
                + " sessions=" + m.sessions + " withView=" + m.sessionsWithView + " withCart=" + m.sessionsWithCart
                + " withOrder=" + m.sessionsWithOrder + " revenue=" + java.util.Arrays.toString(m.revenueMicros);
    }

    @Override
    public void close() throws Exception {
        funnelHarness.close();
        paneHarness.close();
        if (windowHarness != null) {
            windowHarness.close();
        }
    }
}
