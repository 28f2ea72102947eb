package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import dev.rtpe.common.ShopperEvent;

/**
 * {@code --event-order event-time}: hands the events on in event-time order (then customer key, then
 * event id), each once the watermark has passed it, so that the same events give the same lists
 * whichever order the two input topics were read in. It costs the watermark's lag (the
 * out-of-orderness bound, 5 s) on every list, so it is for replays and evaluations, not for live
 * storefronts. A late event (behind the watermark) goes on at once.
 *
 * <p>The watermark stops with the input, so the last events would wait for ever: when no event has
 * come for {@code idleFlushMillis} of processing time, everything held goes on, in order, and the
 * instance declares itself idle until its next event. Idle, it does not hold back the stages after
 * it, which take the smallest watermark of their active inputs: at parallelism 2, an instance that
 * held nothing would otherwise keep the other's last events waiting downstream for ever.
 *
 * <p>State: the held events, in operator state; each leaves it when it goes on.
 */
final class EventTimeOrder extends AbstractStreamOperator<ShopperEvent> implements OneInputStreamOperator<ShopperEvent, ShopperEvent> {
    private static final long serialVersionUID = 1L;
    static final Comparator<ShopperEvent> ORDER = Comparator.<ShopperEvent>comparingLong(e -> e.eventTime)
            .thenComparing(e -> e.customerKey).thenComparing(e -> e.eventId);

    private final long idleFlushMillis;
    private transient TreeSet<ShopperEvent> held;
    private transient ListState<ShopperEvent> checkpointed;
    private transient long watermark;
    private transient long lastInput;
    private transient boolean idle;

    EventTimeOrder(long idleFlushMillis) {
        this.idleFlushMillis = idleFlushMillis;
    }

    /** The operator state: the events held back at the checkpoint. */
    static ListStateDescriptor<ShopperEvent> heldEvents() {
        return new ListStateDescriptor<>("held-events", TypeInformation.of(ShopperEvent.class));
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        checkpointed = context.getOperatorStateStore().getListState(heldEvents());
        held = new TreeSet<>(ORDER);
        for (ShopperEvent e : checkpointed.get()) {
            held.add(e);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        watermark = Long.MIN_VALUE;
        lastInput = getProcessingTimeService().getCurrentProcessingTime();
        scheduleIdleCheck();
    }

    @Override
    public void processElement(StreamRecord<ShopperEvent> record) {
        ShopperEvent e = record.getValue();
        lastInput = getProcessingTimeService().getCurrentProcessingTime();
        if (idle) {
            idle = false;
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
        }
        if (e.eventTime <= watermark) {
            output.collect(new StreamRecord<>(e, e.eventTime));
        } else {
            held.add(e);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (mark.getTimestamp() <= watermark) {
            return; // behind what an idle flush already let through
        }
        watermark = mark.getTimestamp();
        release(watermark);
        super.processWatermark(mark);
    }

    /** Everything up to {@code until}, in order; returns the time of the last. */
    private long release(long until) {
        long last = Long.MIN_VALUE;
        while (!held.isEmpty() && held.first().eventTime <= until) {
            ShopperEvent e = held.pollFirst();
            last = e.eventTime;
            output.collect(new StreamRecord<>(e, e.eventTime));
        }
        return last;
    }

    /**
     * The input has stopped, so nothing earlier can come: everything held goes, and event time
     * downstream moves up to the last of it, so that the stages after this one, which also follow
     * the watermark in this mode, let it through too.
     */
    private void scheduleIdleCheck() {
        long now = getProcessingTimeService().getCurrentProcessingTime();
        getProcessingTimeService().registerTimer(now + idleFlushMillis, t -> {
            if (t - lastInput >= idleFlushMillis && !idle) {
                long last = release(Long.MAX_VALUE);
                if (last > watermark) {
                    watermark = last;
                    output.emitWatermark(new Watermark(last));
                }
                idle = true;
                output.emitWatermarkStatus(WatermarkStatus.IDLE);
            }
            scheduleIdleCheck();
        });
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<ShopperEvent> all = new ArrayList<>(held);
        checkpointed.update(all);
    }
}
