package dev.rtpe.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.KeyedStateEntries;

/**
 * The metrics job's keyed stages (customer funnel, panes, and optionally windows) in operator
 * harnesses on RocksDB, chained in one thread: each stage's output goes to the next at once, and a
 * watermark reaches a stage after everything the stage before sent ahead of it, as in the job. At
 * a parallelism above 1 each stage has that many subtasks, every record goes to the subtask that
 * owns its key group, and every watermark to every subtask, as the job's keyed exchanges do.
 */
final class FunnelStages implements AutoCloseable {
    private static final int MAX_PARALLELISM = 128; // Flink's default for small parallelism
    /** Subtask 0's functions and harnesses: at parallelism 1, the stages. */
    final CustomerFunnel funnel;
    final PaneAggregator panes;
    final KeyedOneInputStreamOperatorTestHarness<String, MetricsInput, PaneDelta> funnelHarness;
    final KeyedOneInputStreamOperatorTestHarness<String, PaneDelta, PaneSummary> paneHarness;
    /** Null without the window stage. */
    final KeyedOneInputStreamOperatorTestHarness<String, PaneSummary, WindowMetrics> windowHarness;
    private final List<KeyedOneInputStreamOperatorTestHarness<String, MetricsInput, PaneDelta>> funnelSubtasks = new ArrayList<>();
    private final List<KeyedOneInputStreamOperatorTestHarness<String, PaneDelta, PaneSummary>> paneSubtasks = new ArrayList<>();
    private final List<KeyedOneInputStreamOperatorTestHarness<String, PaneSummary, WindowMetrics>> windowSubtasks = new ArrayList<>();
    private final MetricsInput.ByCustomer byCustomer = new MetricsInput.ByCustomer();
    private final MetricsPipeline.ByPane byPane = new MetricsPipeline.ByPane();
    private final MetricsPipeline.ByWindowKey byWindowKey = new MetricsPipeline.ByWindowKey();
    private final Set<Integer> receivingEvents = new HashSet<>();
    /** Every pane summary in the order the pane stage sent it, over all its subtasks. */
    private final List<String> sentPanes = new ArrayList<>();
    private final int[] deltasForwarded;
    private final int[] summariesForwarded;

    FunnelStages(MetricsConfig config, boolean withWindows) throws Exception {
        this(config, withWindows, 1);
    }

    FunnelStages(MetricsConfig config, boolean withWindows, int parallelism) throws Exception {
        List<CustomerFunnel> funnels = new ArrayList<>();
        List<PaneAggregator> aggregators = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            CustomerFunnel f = new CustomerFunnel(config);
            PaneAggregator a = new PaneAggregator(config);
            funnels.add(f);
            aggregators.add(a);
            funnelSubtasks.add(open(new KeyedOneInputStreamOperatorTestHarness<>(new CachingKeyedProcessOperator<>(f),
                    byCustomer, Types.STRING, MAX_PARALLELISM, parallelism, i)));
            paneSubtasks.add(open(new KeyedOneInputStreamOperatorTestHarness<>(new CachingKeyedProcessOperator<>(a),
                    byPane, Types.STRING, MAX_PARALLELISM, parallelism, i)));
            if (withWindows) {
                windowSubtasks.add(open(new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new WindowAssembler(config)),
                        byWindowKey, Types.STRING, MAX_PARALLELISM, parallelism, i)));
            }
        }
        funnel = funnels.get(0);
        panes = aggregators.get(0);
        funnelHarness = funnelSubtasks.get(0);
        paneHarness = paneSubtasks.get(0);
        windowHarness = withWindows ? windowSubtasks.get(0) : null;
        deltasForwarded = new int[parallelism];
        summariesForwarded = new int[parallelism];
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> open(KeyedOneInputStreamOperatorTestHarness<String, I, O> h)
            throws Exception {
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        return h;
    }

    private static int ownerIndex(List<?> subtasks, String key) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, subtasks.size());
    }

    private static <T> T owner(List<T> subtasks, String key) {
        return subtasks.get(ownerIndex(subtasks, key));
    }

    void event(ShopperEvent e) throws Exception {
        MetricsInput in = MetricsInput.of(e);
        int subtask = ownerIndex(funnelSubtasks, byCustomer.getKey(in));
        receivingEvents.add(subtask);
        funnelSubtasks.get(subtask).processElement(in, e.eventTime);
        forwardDeltas();
        forwardSummaries();
    }

    void watermark(long watermark) throws Exception {
        for (var h : funnelSubtasks) {
            h.processWatermark(watermark);
        }
        forwardDeltas();
        for (var h : paneSubtasks) {
            h.processWatermark(watermark);
        }
        forwardSummaries();
        for (var h : windowSubtasks) {
            h.processWatermark(watermark);
        }
    }

    private void forwardDeltas() throws Exception {
        for (int i = 0; i < funnelSubtasks.size(); i++) {
            List<StreamRecord<? extends PaneDelta>> out = funnelSubtasks.get(i).extractOutputStreamRecords();
            for (StreamRecord<? extends PaneDelta> r : out.subList(deltasForwarded[i], out.size())) {
                owner(paneSubtasks, byPane.getKey(r.getValue())).processElement(r.getValue(), r.getTimestamp());
            }
            deltasForwarded[i] = out.size();
        }
    }

    private void forwardSummaries() throws Exception {
        for (int i = 0; i < paneSubtasks.size(); i++) {
            List<PaneSummary> out = paneSubtasks.get(i).extractOutputValues();
            for (PaneSummary s : out.subList(summariesForwarded[i], out.size())) {
                sentPanes.add(s.windowKey + "|" + s.paneStart + " " + describe(PaneCounts.fromBytes(s.counts)));
                if (!windowSubtasks.isEmpty()) {
                    owner(windowSubtasks, byWindowKey.getKey(s)).processElement(s, s.paneStart);
                }
            }
            summariesForwarded[i] = out.size();
        }
    }

    /** The funnel stage's event time (every subtask has been sent the same watermarks). */
    long currentWatermark() {
        return funnelHarness.getCurrentWatermark();
    }

    int funnelTimers() {
        return funnelSubtasks.stream().mapToInt(KeyedOneInputStreamOperatorTestHarness::numEventTimeTimers).sum();
    }

    int paneTimers() {
        return paneSubtasks.stream().mapToInt(KeyedOneInputStreamOperatorTestHarness::numEventTimeTimers).sum();
    }

    long funnelStateEntries() throws Exception {
        long n = 0;
        for (var h : funnelSubtasks) {
            n += KeyedStateEntries.count(h, "funnel");
        }
        return n;
    }

    long paneStateEntries() throws Exception {
        long n = 0;
        for (var h : paneSubtasks) {
            n += KeyedStateEntries.count(h, "pane");
        }
        return n;
    }

    /** Funnel subtasks that were sent at least one event: so a test can tell the shoppers were spread. */
    int funnelSubtasksWithEvents() {
        return receivingEvents.size();
    }

    /** Every pane sent so far, in a form that does not depend on the order its deltas came in. */
    List<String> paneSummaries() {
        return new ArrayList<>(sentPanes);
    }

    /** The latest record of every window (records are upserts), by key. */
    Map<String, String> latestWindows() {
        Map<String, String> latest = new TreeMap<>();
        for (var h : windowSubtasks) {
            for (WindowMetrics m : h.extractOutputValues()) {
                latest.put(m.windowKind + " " + m.key(), describe(m));
            }
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
        for (var h : funnelSubtasks) {
            h.close();
        }
        for (var h : paneSubtasks) {
            h.close();
        }
        for (var h : windowSubtasks) {
            h.close();
        }
    }
}
