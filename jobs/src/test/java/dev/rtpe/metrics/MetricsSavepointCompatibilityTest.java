package dev.rtpe.metrics;

import static dev.rtpe.testing.SavepointFixture.FUNNEL;
import static dev.rtpe.testing.SavepointFixture.FUNNEL_ORDER;
import static dev.rtpe.testing.SavepointFixture.KITCHEN;
import static dev.rtpe.testing.SavepointFixture.LATE;
import static dev.rtpe.testing.SavepointFixture.PHONES;
import static dev.rtpe.testing.SavepointFixture.T0;
import static dev.rtpe.testing.SavepointFixture.keyOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.rtpe.common.Channel;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.CollectingSink;
import dev.rtpe.testing.Events;
import dev.rtpe.testing.HeldOpenSource;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.SavepointFixture;
import dev.rtpe.testing.Savepoints;

/**
 * The metrics job's savepoint, taken from {@link SavepointFixture} and committed under
 * {@code jobs/src/test/savepoints/metrics}, still reads into today's {@link FunnelState} and
 * restores into today's job (see {@link Savepoints} for taking it again).
 */
class MetricsSavepointCompatibilityTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    static final String JOB = "metrics";
    private static final long MINUTE = 60_000;

    @Test
    void theCommittedSavepointReadsIntoTodaysFunnels(@TempDir Path tmp) throws Exception {
        Path committed = committedSavepoint(tmp);
        assertTrue(Savepoints.sizeOf(committed) < 200_000, "the committed savepoint stays small: " + Savepoints.sizeOf(committed));
        assertSavedFunnels(committed);
    }

    @Test
    void aSavepointTakenTodayHoldsTheSameFunnels(@TempDir Path tmp) throws Exception {
        assertSavedFunnels(take(tmp));
    }

    /**
     * Restored from the committed savepoint (at parallelism 2, taken at 1), the job still knows the
     * shopper's first order: their next order counts as a repeat order.
     */
    @Test
    void theJobRestoredFromTheCommittedSavepointCountsTheNextOrderAsARepeat(@TempDir Path tmp) throws Exception {
        MetricsConfig config = MetricsConfig.fromArgs("--parallelism", "2", "--checkpoint-interval", "1h",
                "--customer-ttl", Savepoints.LONG_TTL.toDays() + "d");
        StreamExecutionEnvironment env = Savepoints.restoredEnvironment(config.job, committedSavepoint(tmp), tmp);
        long orderAt = T0 + 20 * MINUTE;
        List<ShopperEvent> next = SavepointFixture.consenting(List.of(
                Events.purchase(FUNNEL, "funnel-9", orderAt, KITCHEN, "P9"),
                // Event time passes the order's minute and its allowed lateness: the window is final.
                Events.view(LATE, "late-2", T0 + 30 * MINUTE, "P8", PHONES)));
        HeldOpenSource<ShopperEvent> source = new HeldOpenSource<>(next);
        CollectingSink<WindowMetrics> sink = new CollectingSink<>();
        attach(env, source, sink, config);

        JobClient job = env.executeAsync("metrics-restored");
        WindowMetrics minute;
        try {
            long minuteStart = orderAt - orderAt % MINUTE;
            minute = Savepoints.await(job, () -> sink.results().stream()
                    .filter(w -> w.windowKind.equals(WindowMetrics.TUMBLING) && w.dimension.equals(Dimension.ALL.wireName)
                            && w.windowStart == minuteStart && w.orders > 0)
                    .reduce((a, b) -> b), "tumbling window of the order's minute");
        } finally {
            Savepoints.cancel(job);
        }
        assertEquals(1, minute.orders);
        assertEquals(1, minute.repeatOrders, "the restored funnel remembers " + FUNNEL_ORDER + " as the first order");
    }

    private static void assertSavedFunnels(Path savepoint) throws Exception {
        Map<String, Savepoints.SavedValue> saved = Savepoints.readValueState(savepoint, "metrics-customer-funnel", "funnel");

        Savepoints.SavedValue funnelValue = saved.get(keyOf(FUNNEL));
        assertTrue(funnelValue != null, "no funnel state for " + FUNNEL + " in " + saved.keySet());
        FunnelState funnel = FunnelState.CODEC.read(new CompactState.Reader(funnelValue.bytes()));
        assertEquals(1, funnel.sessions.size());
        FunnelState.Session session = funnel.sessions.get(0);
        assertEquals("s-" + FUNNEL, session.id);
        assertEquals(T0 + 2 * MINUTE, session.firstAt);
        assertEquals(T0 + 4 * MINUTE, session.lastAt);
        assertEquals(Channel.WEB, session.channel);
        assertFalse(session.bounce, "three events within the bounce window");
        assertTrue(session.decided, "the bounce window (5 min) has passed in event time");
        assertEquals(T0 + 4 * MINUTE, funnel.firstOrderAt);
        assertEquals(FUNNEL_ORDER, funnel.firstOrderId);
        assertEquals(Channel.WEB, funnel.firstOrderChannel);
        assertArrayEquals(new String[] {"home"}, funnel.firstOrderCategories);
        long sweep = T0 + 2 * MINUTE + 30 * MINUTE; // the session timeout after its first event, when the sweep was set
        assertEquals(sweep, funnel.sweepAt);
        assertEquals(List.of(sweep), funnelValue.eventTimeTimers(), "the bounce timer fired; the sweep's is pending");

        Savepoints.SavedValue lateValue = saved.get(keyOf(LATE));
        assertTrue(lateValue != null, "no funnel state for " + LATE + " in " + saved.keySet());
        FunnelState late = FunnelState.CODEC.read(new CompactState.Reader(lateValue.bytes()));
        assertEquals(1, late.sessions.size());
        assertTrue(late.sessions.get(0).bounce, "one event so far");
        assertFalse(late.sessions.get(0).decided, "its bounce window is still open");
        assertEquals(FunnelState.NONE, late.firstOrderAt);
        assertEquals(List.of(T0 + 17 * MINUTE, T0 + 42 * MINUTE), lateValue.eventTimeTimers(), "bounce decision and sweep");
    }

    /** The pipeline over the fixture source, without recommendation evaluations (a stream that never carries one). */
    private static void attach(StreamExecutionEnvironment env, HeldOpenSource<ShopperEvent> source, CollectingSink<WindowMetrics> sink,
                               MetricsConfig config) {
        DataStream<ShopperEvent> events = Savepoints.events(env, source);
        DataStream<HitSignal> noHits = events.flatMap((ShopperEvent e, Collector<HitSignal> none) -> { })
                .returns(HitSignal.class).uid("savepoint-fixture-no-hits");
        MetricsPipeline.attach(events, noHits, sink, config);
    }

    static Path take(Path dir) throws Exception {
        MetricsConfig config = MetricsConfig.fromArgs("--parallelism", "1", "--checkpoint-interval", "1h");
        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(config.job);
        HeldOpenSource<ShopperEvent> source = new HeldOpenSource<>(SavepointFixture.events());
        attach(env, source, new CollectingSink<>(), config);
        return Savepoints.stopWithSavepoint(env, source, "metrics-savepoint", dir);
    }

    private static Path committedSavepoint(Path tmp) throws Exception {
        return Savepoints.committedOrTaken(JOB, tmp, dir -> take(dir));
    }
}
