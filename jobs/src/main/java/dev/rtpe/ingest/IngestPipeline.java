package dev.rtpe.ingest;

import java.time.Duration;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import dev.rtpe.common.CanonicalRecord;
import dev.rtpe.common.DeadLetter;
import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.PublishWatermarks;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.SplitOffDeadLetters;

/**
 * The ingest dataflow between its source and its sinks, which the caller supplies: Kafka in
 * production, collections in tests.
 *
 * <pre>
 * parsed records ─► split off dead letters ─► drop repeated event_ids (keyed by customer) ─► publish watermarks ─► events sink
 *                          └────────────────► dead-letter sink
 * </pre>
 */
public final class IngestPipeline {
    private IngestPipeline() {}

    public static void attach(DataStream<ParsedRecord> parsed, Sink<CanonicalRecord> events, Sink<DeadLetter> deadLetters,
                              Duration dedupeHorizon, PublishWatermarks<ShopperEvent, CanonicalRecord> publishWatermarks) {
        // Same parallelism as the input, so it chains to the source: a rebalance here could reorder
        // one customer's events before they are keyed.
        SingleOutputStreamOperator<ShopperEvent> accepted = parsed
                .process(new SplitOffDeadLetters())
                .setParallelism(parsed.getParallelism())
                .uid("ingest-split-dead-letters")
                .name("Split off dead letters");
        accepted.getSideOutput(SplitOffDeadLetters.DEAD_LETTERS)
                .sinkTo(deadLetters)
                .uid("ingest-dead-letter-sink")
                .name("dead-letter");
        DropRepeatedEvents.apply(accepted, dedupeHorizon, "ingest-drop-repeated-events")
                .transform("Publish watermarks", TypeInformation.of(CanonicalRecord.class), publishWatermarks)
                .uid("ingest-publish-watermarks")
                .sinkTo(events)
                .uid("ingest-shopper-events-sink")
                .name("shopper-events");
    }
}
