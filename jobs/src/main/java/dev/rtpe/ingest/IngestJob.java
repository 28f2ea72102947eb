package dev.rtpe.ingest;

import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import dev.rtpe.common.EngineJob;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.JobSettings;
import dev.rtpe.common.KafkaRecords;
import dev.rtpe.common.ParsedRecord;

/**
 * The ingest job: {@code browse-events} and {@code cart-events} in, canonical {@code shopper-events}
 * (keyed by customer) and {@code dead-letter} out. At-least-once; repeats are dropped by event_id.
 */
public final class IngestJob implements EngineJob {
    private final IngestConfig config;

    public IngestJob(IngestConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        new IngestJob(IngestConfig.fromArgs(args)).run();
    }

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public JobSettings settings() {
        return config.job;
    }

    /** Wires the production Kafka source and sinks around {@link IngestPipeline}. */
    @Override
    public void build(StreamExecutionEnvironment env) {
        IngestPipeline.attach(
                readInputTopics(env, config),
                KafkaRecords.atLeastOnceSink(config.job.bootstrapServers, new KafkaRecords.ShopperEvents(config.eventsTopic)),
                KafkaRecords.atLeastOnceSink(config.job.bootstrapServers, new KafkaRecords.DeadLetters(config.deadLetterTopic)),
                config.dedupeHorizon);
    }

    static DataStream<ParsedRecord> readInputTopics(StreamExecutionEnvironment env, IngestConfig config) {
        KafkaSource<ParsedRecord> source = KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(config.job.bootstrapServers)
                .setTopics(config.browseTopic, config.cartTopic)
                .setGroupId(config.groupId)
                // First start reads everything; later starts resume from checkpointed offsets.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer(RawRecordParser.of(config)))
                .build();
        return env.fromSource(source,
                        EventTime.<ParsedRecord>watermarks(config.maxOutOfOrderness, config.idleTimeout,
                                (record, kafkaTimestamp) -> record.eventTimeOrMin()),
                        config.browseTopic + " + " + config.cartTopic)
                .uid("ingest-kafka-source");
    }
}
