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
 * allowed lateness the pane is cleared, and deltas still arriving for it are dropped and counted.
 */
public class PaneAggregator extends KeyedProcessFunction<String, PaneDelta, PaneSummary>
        implements CachingKeyedProcessOperator.CachedFunction {
    private static final long serialVersionUID = 1L;
    /** Name of the counter of shopper events that came too late for their pane. */
    public static final String LATE_EVENTS_DROPPED = "late_events_dropped";

    private final long pane;
    private final long lateness;
    private final int lgK;
    private final int cacheEntries;
    private transient WriteBackCache<PaneState> state;
    private transient Counter lateEvents;
    private transient Counter lateCorrections;

    /** A pane being filled, and whether it changed since it was last sent. */
    static final class PaneState {
        String windowKey;
        long paneStart;
        boolean dirty;
        PaneCounts counts = new PaneCounts();
    }

    public PaneAggregator(MetricsConfig config) {
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
        lateEvents = getRuntimeContext().getMetricGroup().counter(LATE_EVENTS_DROPPED);
        lateCorrections = getRuntimeContext().getMetricGroup().counter("lateCorrectionsDropped");
    }

    @Override
    public void processElement(PaneDelta d, Context ctx, Collector<PaneSummary> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        long closesAt = d.paneStart + pane - 1;
        if (isTooLate(closesAt, watermark)) {
            (d.countsEvent ? lateEvents : lateCorrections).inc();
            return;
        }
        PaneState s = state.value();
        if (s == null) {
            s = new PaneState();
            s.windowKey = PaneDelta.windowKey(d.dimension, d.value);
            s.paneStart = d.paneStart;
            ctx.timerService().registerEventTimeTimer(closesAt);
            ctx.timerService().registerEventTimeTimer(closesAt + lateness);
        }
        s.counts.add(d, lgK);
        if (watermark >= closesAt) {
            // Already sent: send the correction with the next watermark, together with others.
            s.dirty = true;
            ctx.timerService().registerEventTimeTimer(watermark + 1);
        }
        state.update(s);
    }

    /** Shopper events dropped so far for coming after the allowed lateness. */
    long lateEventsDropped() {
        return lateEvents.getCount();
    }

    /**
     * Too late once the watermark has reached the pane's last millisecond plus the allowed
     * lateness: the pane has been sent for the last time and cleared.
     */
    boolean isTooLate(long closesAt, long watermark) {
        return watermark != Long.MIN_VALUE && watermark >= closesAt + lateness;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PaneSummary> out) throws Exception {
        PaneState s = state.value();
        if (s == null) {
            return;
        }
        long closesAt = s.paneStart + pane - 1;
        if (timestamp == closesAt || s.dirty) {
            out.collect(new PaneSummary(s.windowKey, s.paneStart, s.counts.toBytes()));
            s.dirty = false;
        }
        state.update(timestamp >= closesAt + lateness ? null : s);
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
