package dev.rtpe.metrics;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;
import dev.rtpe.common.WriteBackCache;

/**
 * Keyed by (dimension, value, pane): adds each delta to its pane as it arrives, so an event costs
 * one update per row it belongs to, however many sliding windows cover it. The pane is sent on
 * when the watermark passes its end; a late delta within the allowed lateness updates it, and the
 * pane is sent again at the next watermark (late deltas in between are sent together). After the
 * allowed lateness the pane is cleared, and deltas still arriving for it are dropped and counted in
 * {@code lateCorrectionsDropped}. Shopper events that late never get here: the customer funnel
 * drops them with the same rule ({@link PaneTime}) and counts them in {@code late_events_dropped}.
 * What can still come too late are corrections to an older minute (a session's start or bounce, a
 * repeat order) and hit-rate evaluations after an outage of the recommendations job.
 */
public class PaneAggregator extends KeyedProcessFunction<String, PaneDelta, PaneSummary>
        implements CachingKeyedProcessOperator.CachedFunction {
    private static final long serialVersionUID = 1L;

    private final PaneTime panes;
    private final long pane;
    private final long lateness;
    private final int lgK;
    private final int cacheEntries;
    private transient WriteBackCache<PaneState> state;
    private transient Counter lateCorrections;

    /** A pane being filled, and whether it changed since it was last sent. */
    static final class PaneState {
        String windowKey;
        long paneStart;
        boolean dirty;
        PaneCounts counts = new PaneCounts();
    }

    public PaneAggregator(MetricsConfig config) {
        this.panes = new PaneTime(config);
        this.pane = config.paneMillis;
        this.lateness = config.allowedLateness.toMillis();
        this.lgK = config.sketchLgK;
        this.cacheEntries = config.stateCacheEntries;
    }

    @Override
    public Iterable<WriteBackCache<?>> writeBackCaches() {
        return List.<WriteBackCache<?>>of(state);
    }

    @Override
    public void open(OpenContext openContext) {
        // Cleared by timer once the lateness has passed; the TTL only guards against a lost timer.
        Duration ttl = Duration.ofMillis(Math.max(Duration.ofDays(1).toMillis(), 4 * (pane + lateness)));
        state = WriteBackCache.of(getRuntimeContext(), "pane", ttl, CODEC, cacheEntries);
        lateCorrections = getRuntimeContext().getMetricGroup().counter("lateCorrectionsDropped");
    }

    @Override
    public void processElement(PaneDelta d, Context ctx, Collector<PaneSummary> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long closesAt = panes.lastMilli(d.paneStart);
        if (panes.isTooLate(d.paneStart, watermark)) {
            lateCorrections.inc();
            return;
        }
        PaneState s = state.value();
        if (s == null) {
            s = new PaneState();
            s.windowKey = PaneDelta.windowKey(d.dimension, d.value);
            s.paneStart = d.paneStart;
            ctx.timerService().registerEventTimeTimer(closesAt);
            ctx.timerService().registerEventTimeTimer(panes.closedForGoodAt(d.paneStart));
        }
        s.counts.add(d, lgK);
        if (mayHaveBeenSent(closesAt, watermark)) {
            // Send the correction with the next watermark that has passed the pane, with others.
            s.dirty = true;
            ctx.timerService().registerEventTimeTimer(Math.max(closesAt, watermark + 1));
        }
        state.update(s);
    }

    /**
     * Whether the pane may have gone out already, so that this delta is a correction. A job restored
     * from a checkpoint or savepoint knows no watermark until the next one arrives (Flink does not
     * keep it), so an unknown watermark proves nothing: the pane is marked dirty, and the timer at its
     * close sends it once, whether or not it had been sent before.
     */
    static boolean mayHaveBeenSent(long closesAt, long watermark) {
        return watermark == Long.MIN_VALUE || watermark >= closesAt;
    }

    /** Deltas dropped so far for coming after their pane was cleared. */
    long lateCorrectionsDropped() {
        return lateCorrections.getCount();
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PaneSummary> out) throws Exception {
        PaneState s = state.value();
        if (s == null) {
            return;
        }
        if (timestamp == panes.lastMilli(s.paneStart) || s.dirty) {
            out.collect(new PaneSummary(s.windowKey, s.paneStart, s.counts.toBytes()));
            s.dirty = false;
        }
        state.update(timestamp >= panes.closedForGoodAt(s.paneStart) ? null : s);
    }

    static final CompactValueState.Codec<PaneState> CODEC = new CompactValueState.Codec<>() {
        private static final int VERSION = 1;

        @Override
        public void write(PaneState s, CompactState.Writer out) {
            out.putByte(VERSION).putString(s.windowKey).putLong(s.paneStart).putBoolean(s.dirty);
            PaneCounts.CODEC.write(s.counts, out);
        }

        @Override
        public PaneState read(CompactState.Reader in) {
            in.expectVersion(VERSION, "metrics pane");
            PaneState s = new PaneState();
            s.windowKey = in.getString();
            s.paneStart = in.getLong();
            s.dirty = in.getBoolean();
            s.counts = PaneCounts.CODEC.read(in);
            return s;
        }
    };
}
