package dev.rtpe.ingest;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

import dev.rtpe.common.CanonicalRecord;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.WatermarkRecord;

/**
 * Ingest's last step before {@code shopper-events}: passes events on, and writes ingest's event time
 * into every partition as {@link WatermarkRecord}s, after the events it covers. The downstream jobs
 * take their clock from these records, so it follows only what ingest has seen.
 *
 * <p>Ingest's event time is the watermark of its inputs. When every input partition has gone idle
 * (silent for the idle timeout while ingest was neither back-pressured nor paused: nothing is
 * pending upstream), it follows ingest's wall clock minus the out-of-orderness, so that abandoned
 * carts are still reminded and the last minutes' metrics still sent on a quiet night. It never
 * starts before the first event ever, so an engine that has seen nothing waits for its data (a
 * replay of old data into a fresh engine is not late), and it survives restarts in operator state.
 * While ingest is down, nothing is written, and downstream event time stands still.
 */
public class PublishWatermarks extends AbstractStreamOperator<CanonicalRecord>
        implements OneInputStreamOperator<ShopperEvent, CanonicalRecord> {
    private static final long serialVersionUID = 1L;
    /** How often a new watermark may be written. */
    static final long PUBLISH_INTERVAL_MS = 200;
    /** How often an unchanged or wall-clock watermark is written. */
    static final long HEARTBEAT_MS = 1_000;

    /** How many partitions {@code shopper-events} has; asked when the operator opens and again now and then. */
    public interface PartitionCount extends Serializable {
        int partitions();
    }

    private final PartitionCount partitionCount;
    private final long maxOutOfOrdernessMillis;
    private final boolean quietClock;
    private transient ListState<Long> checkpointed;
    private transient long watermark;
    private transient long published;
    private transient long publishedAt;
    private transient boolean inputIdle;
    private transient int partitions;
    private transient StreamRecord<CanonicalRecord> reuse;

    /** @param quietClock whether event time follows the wall clock while every input is idle (off for replays) */
    public PublishWatermarks(PartitionCount partitionCount, Duration maxOutOfOrderness, boolean quietClock) {
        this.partitionCount = partitionCount;
        this.maxOutOfOrdernessMillis = maxOutOfOrderness.toMillis();
        this.quietClock = quietClock;
    }

    /** The operator state: the watermark each instance had reached. */
    static ListStateDescriptor<Long> watermarkState() {
        return new ListStateDescriptor<>("ingest-watermark", Types.LONG);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // Union state: after a rescale every instance resumes from the furthest any instance had reached.
        checkpointed = context.getOperatorStateStore().getUnionListState(watermarkState());
        watermark = Long.MIN_VALUE;
        for (Long w : checkpointed.get()) {
            watermark = Math.max(watermark, w);
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        checkpointed.update(List.of(watermark));
    }

    @Override
    public void open() throws Exception {
        super.open();
        partitions = partitionCount.partitions();
        published = Long.MIN_VALUE;
        reuse = new StreamRecord<>(null);
        getMetricGroup().gauge("ingestWatermark", () -> watermark);
        getMetricGroup().gauge("ingestWatermarkLagMillis",
                () -> watermark == Long.MIN_VALUE ? -1 : Math.max(0, System.currentTimeMillis() - watermark));
        scheduleTick();
    }

    @Override
    public void processElement(StreamRecord<ShopperEvent> element) {
        output.collect(reuse.replace(CanonicalRecord.of(element.getValue()), element.getTimestamp()));
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        super.processWatermark(mark);
        if (mark.getTimestamp() > watermark && mark.getTimestamp() != Long.MAX_VALUE) {
            watermark = mark.getTimestamp();
        }
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (now - publishedAt >= PUBLISH_INTERVAL_MS) {
            publishIfDue(now);
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        super.processWatermarkStatus(status);
        inputIdle = status.isIdle();
    }

    private void scheduleTick() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + PUBLISH_INTERVAL_MS, this::onTick);
    }

    private void onTick(long scheduledAt) {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        if (inputIdle && quietClock) {
            watermark = quietClock(watermark, now, maxOutOfOrdernessMillis);
        }
        publishIfDue(now);
        scheduleTick();
    }

    /**
     * Event time when nothing is pending upstream: the wall clock minus the out-of-orderness, as if
     * an event had just arrived, and never back, and not before any event was ever seen.
     */
    static long quietClock(long watermark, long now, long maxOutOfOrdernessMillis) {
        return watermark == Long.MIN_VALUE ? watermark : Math.max(watermark, now - maxOutOfOrdernessMillis);
    }

    private void publishIfDue(long now) {
        if (watermark == Long.MIN_VALUE || (watermark == published && now - publishedAt < HEARTBEAT_MS)) {
            return;
        }
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        for (int p = 0; p < partitions; p++) {
            output.collect(reuse.replace(CanonicalRecord.of(new WatermarkRecord(watermark, subtask, subtasks, p, now))));
        }
        published = watermark;
        publishedAt = now;
    }
}
