package dev.rtpe.common;

import java.util.Arrays;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * The watermark of one {@code shopper-events} partition, from ingest's watermark records in it: the
 * lowest of the latest watermark of each ingest instance, once every instance has written one.
 * Events move nothing. Ingest writes each watermark after the events before it, through the same
 * producer and partition, so no event read later is earlier than it (unless it was late at ingest).
 *
 * <p>When ingest runs with a different parallelism (a rescale), the count of instances changes and
 * the newcomers are waited for; the watermark never goes back.
 */
final class IngestWatermarks implements WatermarkGenerator<ParsedRecord> {
    private long[] latest = new long[0];
    private long emitted = Long.MIN_VALUE;

    @Override
    public void onEvent(ParsedRecord record, long eventTimestamp, WatermarkOutput output) {
        WatermarkRecord w = record.watermark;
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
