package dev.rtpe.metrics;

import static dev.rtpe.testing.GoldenFiles.assertRoundTrip;
import static dev.rtpe.testing.GoldenFiles.assertSameBytes;
import static dev.rtpe.testing.GoldenFiles.committed;
import static dev.rtpe.testing.GoldenFiles.decode;
import static dev.rtpe.testing.GoldenFiles.encode;
import static dev.rtpe.testing.GoldenFiles.flinkDecode;
import static dev.rtpe.testing.GoldenFiles.flinkEncode;
import static dev.rtpe.testing.GoldenFiles.assertSameFlinkValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.Channel;

/**
 * The metrics job's keyed state: each codec round-trips, reads its committed golden file (today's
 * format), and still writes exactly those bytes; likewise the window assembler's Flink-serialized
 * map of panes (whose values are {@link PaneCounts}' bytes). See {@code src/test/resources/golden/README.md}.
 */
class StateCodecGoldenTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    // FunnelState, format 1.

    static FunnelState funnel() {
        FunnelState f = new FunnelState();
        FunnelState.Session a = new FunnelState.Session();
        a.id = "sess-ü-1";
        a.firstAt = T0;
        a.lastAt = T0 + 95_000;
        a.channel = Channel.APP;
        a.bounce = true;
        a.decided = false;
        FunnelState.Session b = new FunnelState.Session();
        b.id = "セッション-2";
        b.firstAt = -1_000; // before the epoch: times are plain longs
        b.lastAt = Long.MAX_VALUE;
        b.channel = Channel.OTHER;
        b.bounce = false;
        b.decided = true;
        f.sessions.add(a);
        f.sessions.add(b);
        f.sweepAt = T0 + 1_800_000;
        f.firstOrderAt = T0 + 60_000;
        f.firstOrderId = "order-Ω-7";
        f.firstOrderChannel = Channel.POS;
        f.firstOrderCategories = new String[] {"shoes", null, "électronique"};
        return f;
    }

    @Test
    void funnelStateRoundTrips() {
        assertRoundTrip(FunnelState.CODEC, funnel());
        FunnelState noOrder = funnel();
        noOrder.firstOrderAt = FunnelState.NONE;
        noOrder.firstOrderId = null;
        noOrder.firstOrderChannel = null;
        noOrder.firstOrderCategories = null;
        noOrder.sweepAt = FunnelState.NONE;
        assertRoundTrip(FunnelState.CODEC, noOrder);
        assertRoundTrip(FunnelState.CODEC, new FunnelState());
    }

    @Test
    void funnelStateFormat1IsReadAndStillWritten() throws Exception {
        String file = "funnel-state-v1.bin";
        byte[] golden = committed(file, encode(FunnelState.CODEC, funnel()));
        assertThat(golden[0]).isEqualTo((byte) 1);
        FunnelState f = decode(FunnelState.CODEC, golden);
        assertThat(f.sessions).hasSize(2);
        FunnelState.Session a = f.sessions.get(0);
        assertThat(a.id).isEqualTo("sess-ü-1");
        assertThat(a.firstAt).isEqualTo(1_767_225_600_000L);
        assertThat(a.lastAt).isEqualTo(1_767_225_695_000L);
        assertThat(a.channel).isEqualTo(Channel.APP);
        assertThat(a.bounce).isTrue();
        assertThat(a.decided).isFalse();
        FunnelState.Session b = f.sessions.get(1);
        assertThat(b.id).isEqualTo("セッション-2");
        assertThat(b.firstAt).isEqualTo(-1_000L);
        assertThat(b.lastAt).isEqualTo(Long.MAX_VALUE);
        assertThat(b.channel).isEqualTo(Channel.OTHER);
        assertThat(b.bounce).isFalse();
        assertThat(b.decided).isTrue();
        assertThat(f.sweepAt).isEqualTo(1_767_227_400_000L);
        assertThat(f.firstOrderAt).isEqualTo(1_767_225_660_000L);
        assertThat(f.firstOrderId).isEqualTo("order-Ω-7");
        assertThat(f.firstOrderChannel).isEqualTo(Channel.POS);
        assertThat(f.firstOrderCategories).containsExactly("shoes", null, "électronique");
        assertSameBytes(file, golden, encode(FunnelState.CODEC, funnel()));
    }

    // PaneCounts, format 1.

    static PaneCounts counts() {
        PaneCounts c = new PaneCounts();
        c.views = 5_000_000_000L; // beyond an int
        c.addToCarts = 1_234;
        c.removes = 0;
        c.checkouts = 77;
        c.orders = 12;
        c.repeatOrders = 3;
        c.units = 1_000;
        c.sessionsStarted = 128;
        c.bounces = 127;
        c.recEvaluations = 9_999;
        c.recHits = -1; // a correction can take a counter below zero
        c.currencies = new String[] {"EUR", "JPY", "PLN"};
        c.revenueMicros = new long[] {12_345_670_000L, 99_000_000L, -2_500_000L};
        c.currencyOrders = new long[] {10, 1, 1};
        HllSketch visitors = new HllSketch(12, TgtHllType.HLL_4);
        for (String v : new String[] {"c:1", "c:2", "a:zoë"}) {
            visitors.update(PaneCounts.hash(v));
        }
        HllSketch orderSessions = new HllSketch(12, TgtHllType.HLL_4);
        orderSessions.update(PaneCounts.hash("sess-ü-1"));
        c.sketches[PaneCounts.VISITORS] = visitors;
        c.sketches[PaneCounts.ORDER_SESSIONS] = orderSessions;
        return c;
    }

    private static void assertSameSketches(PaneCounts read, PaneCounts written) {
        for (int i = 0; i < PaneCounts.SKETCHES; i++) {
            if (written.sketches[i] == null) {
                assertThat(read.sketches[i]).as("sketch %d", i).isNull();
            } else {
                assertThat(read.sketches[i].toCompactByteArray()).as("sketch %d", i)
                        .isEqualTo(written.sketches[i].toCompactByteArray());
            }
        }
    }

    @Test
    void paneCountsRoundTrip() {
        PaneCounts c = counts();
        assertSameSketches(assertRoundTrip(PaneCounts.CODEC, c, "sketches"), c);
        PaneCounts empty = new PaneCounts();
        assertSameSketches(assertRoundTrip(PaneCounts.CODEC, empty, "sketches"), empty);
        // And the way panes travel downstream.
        PaneCounts sent = PaneCounts.fromBytes(c.toBytes());
        assertThat(sent.views).isEqualTo(5_000_000_000L);
        assertSameSketches(sent, c);
    }

    /** The fields of {@link #counts()}, asserted on a value read from a golden file. */
    private static void assertGoldenCounts(PaneCounts c) {
        assertThat(c.views).isEqualTo(5_000_000_000L);
        assertThat(c.addToCarts).isEqualTo(1_234);
        assertThat(c.removes).isZero();
        assertThat(c.checkouts).isEqualTo(77);
        assertThat(c.orders).isEqualTo(12);
        assertThat(c.repeatOrders).isEqualTo(3);
        assertThat(c.units).isEqualTo(1_000);
        assertThat(c.sessionsStarted).isEqualTo(128);
        assertThat(c.bounces).isEqualTo(127);
        assertThat(c.recEvaluations).isEqualTo(9_999);
        assertThat(c.recHits).isEqualTo(-1);
        assertThat(c.currencies).containsExactly("EUR", "JPY", "PLN");
        assertThat(c.revenueMicros).containsExactly(12_345_670_000L, 99_000_000L, -2_500_000L);
        assertThat(c.currencyOrders).containsExactly(10, 1, 1);
        assertThat(c.sketches[PaneCounts.VISITORS].getEstimate()).isCloseTo(3, within(0.01));
        assertThat(c.sketches[PaneCounts.VISITORS].getLgConfigK()).isEqualTo(12);
        assertThat(c.sketches[PaneCounts.SESSIONS]).isNull();
        assertThat(c.sketches[PaneCounts.VIEW_SESSIONS]).isNull();
        assertThat(c.sketches[PaneCounts.CART_SESSIONS]).isNull();
        assertThat(c.sketches[PaneCounts.ORDER_SESSIONS].getEstimate()).isCloseTo(1, within(0.01));
    }

    @Test
    void paneCountsFormat1IsReadAndStillWritten() throws Exception {
        String file = "pane-counts-v1.bin";
        byte[] golden = committed(file, encode(PaneCounts.CODEC, counts()));
        assertThat(golden[0]).isEqualTo((byte) 1);
        assertGoldenCounts(decode(PaneCounts.CODEC, golden));
        assertSameBytes(file, golden, encode(PaneCounts.CODEC, counts()));
    }

    // PaneAggregator.PaneState, format 1 (its counts nested in PaneCounts' own format).

    static PaneAggregator.PaneState pane() {
        PaneAggregator.PaneState s = new PaneAggregator.PaneState();
        s.windowKey = PaneDelta.windowKey(Dimension.CATEGORY, "Bücher & Hörbücher");
        s.paneStart = T0 + 300_000;
        s.dirty = true;
        s.counts = counts();
        return s;
    }

    @Test
    void paneStateRoundTrips() {
        PaneAggregator.PaneState s = pane();
        assertSameSketches(assertRoundTrip(PaneAggregator.CODEC, s, "counts.sketches").counts, s.counts);
    }

    @Test
    void paneStateFormat1IsReadAndStillWritten() throws Exception {
        String file = "pane-state-v1.bin";
        byte[] golden = committed(file, encode(PaneAggregator.CODEC, pane()));
        assertThat(golden[0]).isEqualTo((byte) 1);
        PaneAggregator.PaneState s = decode(PaneAggregator.CODEC, golden);
        assertThat(s.windowKey).isEqualTo(Dimension.CATEGORY.wireName + "|Bücher & Hörbücher");
        assertThat(s.paneStart).isEqualTo(1_767_225_900_000L);
        assertThat(s.dirty).isTrue();
        assertGoldenCounts(s.counts);
        assertSameBytes(file, golden, encode(PaneAggregator.CODEC, pane()));
    }

    // WindowAssembler's panes: Flink-serialized pane start -> PaneCounts bytes.

    private static MapSerializer<Long, byte[]> panesSerializer() {
        MapStateDescriptor<Long, byte[]> d = WindowAssembler.panesState(Duration.ofDays(1));
        assertThat(d.getName()).isEqualTo("panes");
        d.initializeSerializerUnlessSet(new ExecutionConfig());
        return new MapSerializer<>(d.getKeySerializer(), d.getValueSerializer());
    }

    static Map<Long, byte[]> windowPanes() {
        Map<Long, byte[]> panes = new LinkedHashMap<>();
        panes.put(T0, counts().toBytes());
        panes.put(T0 + 60_000, new PaneCounts().toBytes());
        return panes;
    }

    @Test
    void windowPanesRoundTrip() throws Exception {
        MapSerializer<Long, byte[]> serializer = panesSerializer();
        Map<Long, byte[]> read = flinkDecode(serializer, flinkEncode(serializer, windowPanes()));
        assertThat(read).containsOnlyKeys(T0, T0 + 60_000);
        assertThat(read.get(T0)).isEqualTo(counts().toBytes());
        assertThat(read.get(T0 + 60_000)).isEqualTo(new PaneCounts().toBytes());
    }

    @Test
    void windowPanesFormat1IsReadAndStillWritten() throws Exception {
        MapSerializer<Long, byte[]> serializer = panesSerializer();
        String file = "window-panes-v1.bin";
        byte[] golden = committed(file, flinkEncode(serializer, windowPanes()));
        Map<Long, byte[]> panes = flinkDecode(serializer, golden);
        assertThat(panes).containsOnlyKeys(1_767_225_600_000L, 1_767_225_660_000L);
        assertGoldenCounts(PaneCounts.fromBytes(panes.get(1_767_225_600_000L)));
        PaneCounts empty = PaneCounts.fromBytes(panes.get(1_767_225_660_000L));
        assertThat(empty.views).isZero();
        assertThat(empty.currencies).isEmpty();
        assertThat(empty.sketches).containsOnlyNulls();
        assertSameFlinkValue(file, golden, flinkEncode(serializer, windowPanes()));
    }
}
