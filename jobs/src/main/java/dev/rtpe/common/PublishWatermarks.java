package dev.rtpe.common;

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

/**
 * A job's last step before a topic that others take their event time from: passes the records on,
 * and writes the job's event time into every partition as {@link WatermarkRecord}s, after the
 * records it covers. The readers follow these records ({@link PublishedWatermarks}), so their clock
 * follows only what the writer has seen. Ingest writes {@code shopper-events} so
 * ({@link #ofShopperEvents}); the recommendations job writes its hit-rate evaluations so, which
 * the metrics job counts: a metrics job that read faster than the recommendations job wrote would
 * otherwise close minutes whose evaluations were still to come.
 *
 * <p>Ingest's event time is the watermark of its inputs. When every input partition has gone idle
 * (silent for the idle timeout while ingest was neither back-pressured nor paused: nothing is
 * pending upstream), it follows ingest's wall clock minus the out-of-orderness, so that abandoned
 * carts are still reminded and the last minutes' metrics still sent on a quiet night. It never
 * starts before the first event ever, so an engine that has seen nothing waits for its data (a
 * replay of old data into a fresh engine is not late), and it survives restarts in operator state.
 * While ingest is down, nothing is written, and downstream event time stands still.
 */
public class PublishWatermarks<IN, OUT> extends AbstractStreamOperator<OUT> implements OneInputStreamOperator<IN, OUT> {
    private static final long serialVersionUID = 1L;
    /** Ingest's name: its state and gauges are named after it. */
    public static final String INGEST = "ingest";
    /** How often a new watermark may be written. */
    static final long PUBLISH_INTERVAL_MS = 200;
    /** How often an unchanged or wall-clock watermark is written. */
    static final long HEARTBEAT_MS = 1_000;

    /** How many partitions the output topic has; asked when the operator opens. */
    public interface PartitionCount extends Serializable {
        int partitions();
    }

    /** The records and the watermark records, as the one type the sink takes. */
    public interface Records<IN, OUT> extends Serializable {
        OUT record(IN in);

        OUT watermark(WatermarkRecord w);
    }

    private final String name;
    private final Records<IN, OUT> records;
    private final PartitionCount partitionCount;
    private final long maxOutOfOrdernessMillis;
    private final boolean quietClock;
    private transient ListState<Long> checkpointed;
    private transient long watermark;
    private transient long published;
    private transient long publishedAt;
    private transient boolean inputIdle;
    private transient int partitions;
    private transient StreamRecord<OUT> reuse;

    /**
     * @param name names the operator state ({@code <name>-watermark}) and the gauges ({@code <name>Watermark})
     * @param quietClock whether event time follows the wall clock while every input is idle (off for
     *                   replays, and for a job whose event time follows ingest's already)
     */
    public PublishWatermarks(String name, PartitionCount partitionCount, Duration maxOutOfOrderness, boolean quietClock,
                             Records<IN, OUT> records) {
        this.name = name;
        this.records = records;
        this.partitionCount = partitionCount;
        this.maxOutOfOrdernessMillis = maxOutOfOrderness.toMillis();
        this.quietClock = quietClock;
    }

    /** Ingest's: shopper events and watermark records, as {@code shopper-events} takes them. */
    public static PublishWatermarks<ShopperEvent, CanonicalRecord> ofShopperEvents(PartitionCount partitionCount,
                                                                                 Duration maxOutOfOrderness, boolean quietClock) {
        return new PublishWatermarks<>(INGEST, partitionCount, maxOutOfOrderness, quietClock, new Records<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public CanonicalRecord record(ShopperEvent e) {
                return CanonicalRecord.of(e);
            }

            @Override
            public CanonicalRecord watermark(WatermarkRecord w) {
                return CanonicalRecord.of(w);
            }
        });
    }

    /** The operator state: the watermark each instance had reached. */
    public static ListStateDescriptor<Long> watermarkState(String name) {
        return new ListStateDescriptor<>(name + "-watermark", Types.LONG);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // Union state: after a rescale every instance resumes from the furthest any instance had reached.
        checkpointed = context.getOperatorStateStore().getUnionListState(watermarkState(name));
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
        getMetricGroup().gauge(name + "Watermark", () -> watermark);
        getMetricGroup().gauge(name + "WatermarkLagMillis",
                () -> watermark == Long.MIN_VALUE ? -1 : Math.max(0, System.currentTimeMillis() - watermark));
        scheduleTick();
    }

    @Override
    public void processElement(StreamRecord<IN> element) {
        output.collect(reuse.replace(records.record(element.getValue()), element.getTimestamp()));
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
            output.collect(reuse.replace(records.watermark(new WatermarkRecord(watermark, subtask, subtasks, p, now))));
        }
        published = watermark;
        publishedAt = now;
    }
}
