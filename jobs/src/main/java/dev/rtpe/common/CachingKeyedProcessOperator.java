package dev.rtpe.common;

import java.time.Duration;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A keyed process operator for functions that keep their state in {@link WriteBackCache}s: it lets
 * the caches switch keys to write back, writes back a little after each record, and flushes them
 * before every checkpoint barrier.
 *
 * <p>Optionally it has a <em>quiet clock</em> ({@link #withQuietClock}): when event time has not moved
 * for a while because no events arrive at all (a quiet night), event time follows the wall clock
 * from where it stopped, so event-time timers still fire. Idle partitions alone cannot do that:
 * when every input is idle, Flink's event time stands still. A replay that streams without pauses
 * never starts the quiet clock, so it stays deterministic in event time.
 */
public class CachingKeyedProcessOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
    private static final long serialVersionUID = 1L;
    static final long QUIET_CHECK_INTERVAL_MS = 1_000;

    /** A function whose keyed state lives in write-back caches. */
    public interface CachedFunction {
        Iterable<WriteBackCache<?>> writeBackCaches();
    }

    private long quietAfterMillis;
    /** The last watermark that came from upstream, and when (wall clock) it came. */
    private transient long upstreamWatermark;
    private transient long upstreamWatermarkAt;
    private transient long currentWatermark;

    public <F extends KeyedProcessFunction<K, IN, OUT> & CachedFunction> CachingKeyedProcessOperator(F function) {
        super(function);
    }

    /** Event time follows the wall clock after {@code quietAfter} without any progress from upstream. */
    public CachingKeyedProcessOperator<K, IN, OUT> withQuietClock(Duration quietAfter) {
        this.quietAfterMillis = quietAfter.toMillis();
        return this;
    }

    @Override
    public void open() throws Exception {
        super.open();
        int i = 0;
        for (WriteBackCache<?> cache : ((CachedFunction) userFunction).writeBackCaches()) {
            cache.bind(this);
            cache.registerMetrics(getMetricGroup(), String.valueOf(i++));
        }
        upstreamWatermark = Long.MIN_VALUE;
        currentWatermark = Long.MIN_VALUE;
        upstreamWatermarkAt = getProcessingTimeService().getCurrentProcessingTime();
        if (quietAfterMillis > 0) {
            scheduleQuietCheck();
        }
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        super.processElement(element);
        for (WriteBackCache<?> cache : ((CachedFunction) userFunction).writeBackCaches()) {
            cache.writeBehind();
        }
    }

    /** Only forward progress: after the quiet clock ran ahead, upstream may for a while be behind it. */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() > upstreamWatermark) {
            upstreamWatermark = mark.getTimestamp();
            upstreamWatermarkAt = getProcessingTimeService().getCurrentProcessingTime();
        }
        advanceTo(mark.getTimestamp());
    }

    private void advanceTo(long timestamp) throws Exception {
        if (timestamp > currentWatermark) {
            currentWatermark = timestamp;
            super.processWatermark(new Watermark(timestamp));
        }
    }

    private void scheduleQuietCheck() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + QUIET_CHECK_INTERVAL_MS, this::onQuietCheck);
    }

    private void onQuietCheck(long now) throws Exception {
        long silence = now - upstreamWatermarkAt;
        if (upstreamWatermark != Long.MIN_VALUE && silence > quietAfterMillis) {
            advanceTo(upstreamWatermark + silence - quietAfterMillis);
        }
        scheduleQuietCheck();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        for (WriteBackCache<?> cache : ((CachedFunction) userFunction).writeBackCaches()) {
            cache.flush();
        }
        super.prepareSnapshotPreBarrier(checkpointId);
    }
}
