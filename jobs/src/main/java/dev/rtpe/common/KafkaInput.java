package dev.rtpe.common;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Reading event topics: parsed in the source, with event-time watermarks per partition. */
public final class KafkaInput {
    private KafkaInput() {}

    /**
     * {@code shopper-events} as the downstream jobs read it: parsed in the source, event time from
     * ingest's watermark records, records that break the contract to the dead-letter sink. Uids
     * {@code <prefix>-kafka-source}, {@code <prefix>-split-dead-letters} and {@code <prefix>-dead-letter-sink}.
     *
     * @param job the job's name, written into its dead letters
     */
    public static DataStream<ShopperEvent> canonicalEvents(StreamExecutionEnvironment env, String bootstrapServers, String topic,
            String groupId, String job, Duration maxDrift, Sink<DeadLetter> deadLetters, String uidPrefix) {
        DataStream<ParsedRecord> parsed = records(env, bootstrapServers, List.of(topic), groupId, RecordParser.forShopperEvents(job),
                EventTime.followingIngest(maxDrift), uidPrefix + "-kafka-source");
        SingleOutputStreamOperator<ShopperEvent> events = parsed
                .process(new SplitOffDeadLetters())
                .setParallelism(parsed.getParallelism())
                .uid(uidPrefix + "-split-dead-letters")
                .name("Split off dead letters");
        events.getSideOutput(SplitOffDeadLetters.DEAD_LETTERS).sinkTo(deadLetters).uid(uidPrefix + "-dead-letter-sink").name("dead-letter");
        return events;
    }

    /** Records of {@code topics}, parsed in the source, with watermarks per partition by {@code watermarks}. */
    public static DataStream<ParsedRecord> records(StreamExecutionEnvironment env, String bootstrapServers, List<String> topics,
            String groupId, RecordParser parser, WatermarkStrategy<ParsedRecord> watermarks, String uid) {
        KafkaSource<ParsedRecord> source = KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topics)
                .setGroupId(groupId)
                // First start reads everything; later starts resume from checkpointed offsets.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ParsingDeserializer(parser))
                .build();
        return env.fromSource(source, watermarks, String.join(" + ", topics)).uid(uid);
    }
}
