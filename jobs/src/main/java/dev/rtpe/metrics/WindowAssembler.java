package dev.rtpe.metrics;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import dev.rtpe.common.StateTtl;

/**
 * Keyed by (dimension, value): keeps the closed panes of the last sliding window (plus the allowed
 * lateness), and emits each tumbling and sliding window when the watermark passes its end, as the
 * sum of its panes. A pane sent again after a late correction re-emits every already emitted
 * window that contains it, under the same key: the upsert.
 *
 * <p>Cost: a window is assembled once per slide from its panes (60 for an hour by the minute), not
 * updated per event.
 */
public class WindowAssembler extends KeyedProcessFunction<String, PaneSummary, WindowMetrics> {
    private static final long serialVersionUID = 1L;

    private final long pane;
    private final long slide;
    private final long slidingSize;
    private final long tumblingSize;
    private final long lateness;
    private final int lgK;
    private transient MapState<Long, byte[]> panes;

    public WindowAssembler(MetricsConfig config) {
        this.pane = config.paneMillis;
        this.slide = config.slide.toMillis();
        this.slidingSize = config.slidingSize.toMillis();
        this.tumblingSize = config.tumblingSize.toMillis();
        this.lateness = config.allowedLateness.toMillis();
        this.lgK = config.sketchLgK;
    }

    @Override
    public void open(OpenContext openContext) {
        // Pruned as windows pass; the TTL only guards against a key that never sees another timer.
        panes = getRuntimeContext().getMapState(panesState(Duration.ofMillis(Math.max(Duration.ofDays(1).toMillis(),
                4 * (retention() + pane)))));
    }

    /** The state: each pane's counts ({@link PaneCounts}' bytes) by pane start. */
    static MapStateDescriptor<Long, byte[]> panesState(Duration ttl) {
        MapStateDescriptor<Long, byte[]> d = new MapStateDescriptor<>("panes", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(StateTtl.refreshedOnWrite(ttl));
        return d;
    }

    @Override
    public void processElement(PaneSummary p, Context ctx, Collector<WindowMetrics> out) throws Exception {
        panes.put(p.paneStart, p.counts);
        long watermark = ctx.timerService().currentWatermark();
        long paneEnd = p.paneStart + pane;
        emitOrSchedule(WindowMetrics.TUMBLING, ceil(paneEnd, tumblingSize), tumblingSize, watermark, ctx, out);
        for (long end = ceil(paneEnd, slide); end - slidingSize <= p.paneStart; end += slide) {
            emitOrSchedule(WindowMetrics.SLIDING, end, slidingSize, watermark, ctx, out);
        }
    }

    /** A window that has already closed is a correction and goes out now; a later one waits for its end. */
    private void emitOrSchedule(String kind, long end, long size, long watermark, Context ctx, Collector<WindowMetrics> out)
            throws Exception {
        if (end - 1 <= watermark) {
            emit(kind, end - size, end, ctx.getCurrentKey(), ctx.timerService().currentProcessingTime(), out);
        } else {
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<WindowMetrics> out) throws Exception {
        long end = timestamp + 1;
        long now = ctx.timerService().currentProcessingTime();
        if (end % tumblingSize == 0) {
            emit(WindowMetrics.TUMBLING, end - tumblingSize, end, ctx.getCurrentKey(), now, out);
        }
        if (end % slide == 0) {
            emit(WindowMetrics.SLIDING, end - slidingSize, end, ctx.getCurrentKey(), now, out);
        }
        prune(end);
    }

    private void emit(String kind, long start, long end, String windowKey, long now, Collector<WindowMetrics> out) throws Exception {
        WindowTotals totals = new WindowTotals(lgK);
        for (Map.Entry<Long, byte[]> e : panes.entries()) {
            if (e.getKey() >= start && e.getKey() < end) {
                totals.add(PaneCounts.fromBytes(e.getValue()));
            }
        }
        if (!totals.isEmpty()) {
            int bar = windowKey.indexOf('|');
            out.collect(totals.toMetrics(kind, start, end, windowKey.substring(0, bar), windowKey.substring(bar + 1), now));
        }
    }

    /** Drops panes no window can need again: older than the longest window plus the lateness. */
    private void prune(long end) throws Exception {
        long oldestNeeded = end - retention();
        for (Iterator<Long> it = panes.keys().iterator(); it.hasNext(); ) {
            if (it.next() < oldestNeeded) {
                it.remove();
            }
        }
    }

    private long retention() {
        return Math.max(slidingSize, tumblingSize) + lateness + pane;
    }

    private static long ceil(long t, long step) {
        return Math.floorDiv(t + step - 1, step) * step;
    }
}
