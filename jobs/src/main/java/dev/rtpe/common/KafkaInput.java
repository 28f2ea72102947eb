package dev.rtpe.common;

import java.time.Duration;
import java.util.List;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Reading event topics: parsed in the source, with event-time watermarks per partition. */
public final class KafkaInput {
    private KafkaInput() {}

    public static DataStream<ParsedRecord> parsedRecords(StreamExecutionEnvironment env, String bootstrapServers,
            List<String> topics, String groupId, RecordParser parser, Duration maxOutOfOrderness, Duration idleTimeout,
            String uid) {
        KafkaSource<ParsedRecord> source = KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(topics)
                .setGroupId(groupId)
                // First start reads everything; later starts resume from checkpointed offsets.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ParsingDeserializer(parser))
                .build();
        return env.fromSource(source,
                        EventTime.<ParsedRecord>watermarks(maxOutOfOrderness, idleTimeout, (record, ts) -> record.eventTimeOrMin()),
                        String.join(" + ", topics))
                .uid(uid);
    }
}
