package dev.rtpe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.EventType;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;
import dev.rtpe.testing.CollectingSink;
import dev.rtpe.testing.Events;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.Parsers;

/** The metrics dataflow on a MiniCluster with in-memory inputs: repeats, and the simulator's funnel. */
class MetricsPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    @Test
    void aRepeatedEventOrEvaluationIsCountedOnce() throws Exception {
        ShopperEvent view = Events.view("c-1", "e-1", T0 + 1_000, "p-1", "electronics.smartphone");
        ShopperEvent repeat = Events.view("c-1", "e-1", T0 + 1_000, "p-1", "electronics.smartphone");
        ShopperEvent add = Events.of(EventType.ADD_TO_CART, "c-1", "e-2", T0 + 5_000, "p-1", "electronics.smartphone");
        HitSignal hit = hit("c:c-1", "e-1", T0 + 1_000, true);
        HitSignal hitAgain = hit("c:c-1", "e-1", T0 + 1_000, true);

        List<WindowMetrics> out = run(List.of(view, repeat, add), List.of(hit, hitAgain), MetricsConfig.fromArgs("--parallelism", "1"));

        WindowMetrics all = only(out, "tumbling", "all", "all", T0);
        assertEquals(1, all.productViews);
        assertEquals(1, all.addToCarts);
        assertEquals(1, all.recEvaluations);
        assertEquals(1, all.recHits);
        assertEquals(1, all.sessions);
        assertEquals(1, all.visitors);
        assertEquals(1, all.sessionsStarted);
        assertEquals(0, all.bounces, "two events within the bounce window");
        assertEquals(1, only(out, "tumbling", "category", "electronics", T0).productViews);
        assertEquals(1, only(out, "tumbling", "channel", "web", T0).productViews);
        assertEquals(60, out.stream().filter(m -> m.windowKind.equals("sliding") && m.dimension.equals("all")).count(),
                "an hour of sliding windows covers the minute");
    }

    /**
     * The simulator decides up front that 9% of sessions with a view add to cart and 30% of those
     * buy. Three simulated hours later, every full hour's sliding window must show those rates.
     */
    @Test
    void theSimulatorsConfiguredFunnelRatesAreRecovered() throws Exception {
        SimulationModel model = new SimulationModel().useSmallCatalog(); // the 12-category catalog this test was written against
        model.eventsPerSecond = 10;
        model.malformedShare = 0;
        ShopperSimulator simulator = new ShopperSimulator(model, 21, T0);
        long[] ingestClock = {T0};
        var parser = Parsers.ingest(() -> ingestClock[0]);
        List<ShopperEvent> events = new ArrayList<>();
        for (ShopperSimulator.Record r = simulator.next(); r.sendAt() < T0 + Duration.ofHours(3).toMillis(); r = simulator.next()) {
            ingestClock[0] = r.sendAt(); // ingest reads each record as it is sent
            ParsedRecord p = parser.parse(r.topic(), 0, 0, 0, null, r.value());
            assertTrue(p.isAccepted(), String.valueOf(p));
            events.add(p.event);
        }

        List<WindowMetrics> out = run(events, List.of(), MetricsConfig.fromArgs("--parallelism", "2"));

        List<WindowMetrics> hours = latestPerKey(out).stream()
                .filter(m -> m.windowKind.equals("sliding") && m.dimension.equals("all"))
                .filter(m -> m.windowStart >= T0 && m.windowEnd <= T0 + Duration.ofHours(3).toMillis())
                .filter(m -> m.windowStart % Duration.ofMinutes(30).toMillis() == 0)
                .collect(Collectors.toList());
        assertEquals(5, hours.size(), "full hours starting every 30 min");
        for (WindowMetrics m : hours) {
            String where = Instant.ofEpochMilli(m.windowStart) + ": " + m;
            assertEquals(model.cartRate, m.viewToCartRate(), 0.02, "view to cart, " + where);
            assertEquals(model.purchaseRate, m.cartToPurchaseRate(), 0.05, "cart to purchase, " + where);
            assertEquals(1 - model.purchaseRate, m.cartAbandonmentRate(), 0.05, "cart abandonment, " + where);
            assertTrue(m.sessionsWithCart > 300, "enough carts to tell: " + m.sessionsWithCart);
        }
    }

    static List<WindowMetrics> run(List<ShopperEvent> events, List<HitSignal> hits, MetricsConfig config) throws Exception {
        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(config.job);
        DataStream<ShopperEvent> eventStream = env.fromData(events, TypeInformation.of(ShopperEvent.class)).setParallelism(1)
                .uid("test-events")
                .assignTimestampsAndWatermarks(EventTime.<ShopperEvent>boundedOutOfOrderness(EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS, EventTime.DEFAULT_IDLE_TIMEOUT,
                        (e, ts) -> e.eventTime)).setParallelism(1).uid("test-event-time");
        // fromData refuses an empty collection, so no evaluations means a stream that never carries one.
        DataStream<HitSignal> hitStream = hits.isEmpty()
                ? eventStream.flatMap((ShopperEvent e, Collector<HitSignal> none) -> { }).returns(HitSignal.class).uid("test-no-hits")
                : env.fromData(hits, TypeInformation.of(HitSignal.class)).setParallelism(1)
                        .uid("test-hits")
                        .assignTimestampsAndWatermarks(EventTime.<HitSignal>boundedOutOfOrderness(EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS, EventTime.DEFAULT_IDLE_TIMEOUT,
                                (h, ts) -> h.eventTime)).setParallelism(1).uid("test-hit-time");
        CollectingSink<WindowMetrics> sink = new CollectingSink<>();
        MetricsPipeline.attach(eventStream, hitStream, sink, config);
        env.execute("metrics-pipeline-test");
        List<WindowMetrics> out = sink.results();
        assertFalse(out.isEmpty());
        return out;
    }

    /** Records are upserts: the last one per key wins. */
    static Collection<WindowMetrics> latestPerKey(List<WindowMetrics> out) {
        Map<String, WindowMetrics> latest = new LinkedHashMap<>();
        out.forEach(m -> latest.put(m.key(), m));
        return latest.values();
    }

    /** The latest record of one window (records are upserts). */
    static WindowMetrics only(List<WindowMetrics> out, String kind, String dimension, String value, long start) {
        WindowMetrics latest = null;
        for (WindowMetrics m : out) {
            if (m.windowKind.equals(kind) && m.dimension.equals(dimension) && m.dimensionValue.equals(value) && m.windowStart == start) {
                latest = m;
            }
        }
        assertTrue(latest != null, "no " + kind + " " + dimension + "=" + value + " at " + start);
        return latest;
    }

    static HitSignal hit(String customerKey, String eventId, long time, boolean hit) {
        HitSignal h = new HitSignal();
        h.customerKey = customerKey;
        h.eventId = eventId;
        h.eventTime = time;
        h.channel = Channel.WEB;
        h.category = "electronics";
        h.hit = hit;
        return h;
    }
}
