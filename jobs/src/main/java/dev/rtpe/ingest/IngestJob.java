package dev.rtpe.ingest;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.rtpe.common.EngineJob;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.JobSettings;
import dev.rtpe.common.KafkaInput;
import dev.rtpe.common.KafkaRecords;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.PublishWatermarks;
import dev.rtpe.common.TopicPartitions;

/**
 * The ingest job: {@code browse-events} and {@code cart-events} in, canonical {@code shopper-events}
 * (keyed by customer, with ingest's watermarks in every partition) and {@code dead-letter} out.
 * At-least-once; repeats are dropped by event_id.
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
                KafkaRecords.atLeastOnceSink(config.job, new KafkaRecords.ShopperEvents(config.eventsTopic)),
                KafkaRecords.atLeastOnceSink(config.job, new KafkaRecords.DeadLetters(config.deadLetterTopic)),
                config.dedupeHorizon,
                PublishWatermarks.ofShopperEvents(new TopicPartitions(config.job.bootstrapServers, config.eventsTopic), config.maxOutOfOrderness,
                        config.quietClock));
    }

    static DataStream<ParsedRecord> readInputTopics(StreamExecutionEnvironment env, IngestConfig config) {
        return KafkaInput.records(env, config.job.bootstrapServers, config.inputTopics(), config.groupId, config.parser(),
                EventTime.ofInputs(config.maxOutOfOrderness, config.idleTimeout, config.maxInputDrift, (r, ts) -> r.eventTimeOrMin()),
                "ingest-kafka-source");
    }
}
