package dev.rtpe.common;

import java.util.HashMap;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends accepted events on and rejected records to the dead-letter side output, counting both
 * ({@code acceptedEvents}; {@code rejectedEvents} with a {@code reason} label). Watermark records
 * have done their work in the source (they moved event time) and go no further.
 */
public final class SplitOffDeadLetters extends ProcessFunction<ParsedRecord, ShopperEvent> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private transient Counter accepted;
    private transient Counter corrected;
    private transient Map<String, Counter> rejectedByReason;
    private transient MetricGroup metrics;

    @Override
    public void open(OpenContext openContext) {
        metrics = getRuntimeContext().getMetricGroup();
        accepted = metrics.counter("acceptedEvents");
        corrected = metrics.counter("eventTimesCorrected");
        rejectedByReason = new HashMap<>();
    }

    @Override
    public void processElement(ParsedRecord record, Context ctx, Collector<ShopperEvent> out) {
        if (record.isAccepted()) {
            accepted.inc();
            if (record.event.reportedEventTime != 0) {
                corrected.inc();
            }
            out.collect(record.event);
        } else if (record.deadLetter != null) {
            rejectedByReason.computeIfAbsent(record.deadLetter.reason,
                    reason -> metrics.addGroup("reason", reason).counter("rejectedEvents")).inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
        }
    }
}
