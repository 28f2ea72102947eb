package dev.rtpe.metrics;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.ShopperEvent;

/**
 * The metrics dataflow between its inputs and sink:
 * <pre>
 * events + hit-rate evaluations ─► drop repeats ─► customer funnel (by customer: rows, sessions, repeat orders)
 *   ─► panes (by dimension value and minute: counters and sketches)
 *   ─► windows (by dimension value: tumbling and sliding windows from panes) ─► sink
 * </pre>
 */
public final class MetricsPipeline {
    private MetricsPipeline() {}

    /** @param evaluations the hit-rate evaluations, or null without them */
    public static void attach(DataStream<ShopperEvent> events, DataStream<HitSignal> evaluations, Sink<WindowMetrics> sink,
                              MetricsConfig config) {
        DataStream<MetricsInput> inputs = events
                .map(MetricsInput::of).returns(MetricsInput.class)
                .uid("metrics-events-in").name("Events");
        if (evaluations != null) {
            inputs = inputs.union(evaluations
                    .map(MetricsInput::of).returns(MetricsInput.class)
                    .uid("metrics-evaluations-in").name("Hit-rate evaluations"));
        }
        DropRepeatedEvents.apply(inputs, new MetricsInput.ByCustomer(),
                        new DropRepeatedEvents<>(config.dedupeHorizon, MetricsInput::dedupeId), "metrics-drop-repeated-events")
                .transform("Customer funnel", TypeInformation.of(PaneDelta.class),
                        new CachingKeyedProcessOperator<>(new CustomerFunnel(config)))
                .uid("metrics-customer-funnel")
                .keyBy(new ByPane())
                .transform("Panes", TypeInformation.of(PaneSummary.class), new CachingKeyedProcessOperator<>(new PaneAggregator(config)))
                .uid("metrics-panes")
                .keyBy(new ByWindowKey())
                .process(new WindowAssembler(config))
                .uid("metrics-windows")
                .name("Windows")
                .sinkTo(sink)
                .uid("metrics-sink")
                .name("conversion-metrics");
    }

    static final class ByPane implements KeySelector<PaneDelta, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(PaneDelta d) {
            return d.paneKey;
        }
    }

    static final class ByWindowKey implements KeySelector<PaneSummary, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(PaneSummary s) {
            return s.windowKey;
        }
    }
}
