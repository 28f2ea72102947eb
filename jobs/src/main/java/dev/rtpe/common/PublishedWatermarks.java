package dev.rtpe.common;

import java.util.Arrays;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The watermark of one partition of a topic written through {@link PublishWatermarks}
 * ({@code shopper-events} by ingest, the hit-rate evaluations by the recommendations job), from the
 * watermark records in it: the lowest of the latest watermark of each writing instance, once every
 * instance has written one. Other records move nothing. The writer writes each watermark after the
 * records before it, through the same producer and partition, so no record read later is earlier
 * than it (unless it was late at the writer).
 *
 * <p>When the writer runs with a different parallelism (a rescale), the count of instances changes
 * and the newcomers are waited for; the watermark never goes back.
 */
public final class PublishedWatermarks<T> implements WatermarkGenerator<T> {
    /** The watermark record a record is, or null. */
    public interface WatermarkOf<T> extends java.io.Serializable {
        WatermarkRecord of(T record);
    }

    private final WatermarkOf<T> watermarkOf;
    private long[] latest = new long[0];
    private long emitted = Long.MIN_VALUE;

    public PublishedWatermarks(WatermarkOf<T> watermarkOf) {
        this.watermarkOf = watermarkOf;
    }

    @Override
    public void onEvent(T record, long eventTimestamp, WatermarkOutput output) {
        WatermarkRecord w = watermarkOf.of(record);
        if (w == null) {
            return;
        }
        if (w.subtasks != latest.length) {
            latest = new long[w.subtasks];
            Arrays.fill(latest, Long.MIN_VALUE);
        }
        latest[w.subtask] = Math.max(latest[w.subtask], w.watermark);
        long lowest = lowest(latest);
        if (lowest > emitted) {
            emitted = lowest;
            output.emitWatermark(new Watermark(lowest));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Emitted as the records arrive.
    }

    static long lowest(long[] watermarks) {
        long lowest = Long.MAX_VALUE;
        for (long w : watermarks) {
            lowest = Math.min(lowest, w);
        }
        return watermarks.length == 0 ? Long.MIN_VALUE : lowest;
    }
}
