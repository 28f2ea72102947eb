package dev.rtpe.metrics;


import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import dev.rtpe.common.EngineJob;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.JobSettings;
import dev.rtpe.common.KafkaInput;
import dev.rtpe.common.KafkaRecords;
import dev.rtpe.common.ShopperEvent;

/**
 * The metrics job: {@code shopper-events} and the hit-rate signal of {@code recommendations} in,
 * {@code conversion-metrics} out, at least once (records are upserts by key).
 */
public final class MetricsJob implements EngineJob {
    private final MetricsConfig config;

    public MetricsJob(MetricsConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        new MetricsJob(MetricsConfig.fromArgs(args)).run();
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public JobSettings settings() {
        return config.job;
    }

    @Override
    public void build(StreamExecutionEnvironment env) {
        DataStream<ShopperEvent> events = KafkaInput.canonicalEvents(env, config.job.bootstrapServers, config.eventsTopic,
                config.groupId, name(), config.maxInputDrift,
                KafkaRecords.atLeastOnceSink(config.job.bootstrapServers, new KafkaRecords.DeadLetters(config.deadLetterTopic)),
                "metrics");
        MetricsPipeline.attach(events, evaluations(env), KafkaRecords.atLeastOnceSink(config.job.bootstrapServers,
                new MetricsWriter(config.metricsTopic)), config);
    }

    /** Hit-rate evaluations, in the event time of the shopper event that was evaluated. */
    private DataStream<HitSignal> evaluations(StreamExecutionEnvironment env) {
        KafkaSource<HitSignal> source = KafkaSource.<HitSignal>builder()
                .setBootstrapServers(config.job.bootstrapServers)
                .setTopics(config.recommendationsTopic)
                .setGroupId(config.groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new HitSignalReader())
                .build();
        return env.fromSource(source,
                        EventTime.<HitSignal>boundedOutOfOrderness(config.evaluationsOutOfOrderness, config.evaluationsIdleTimeout,
                                (h, ts) -> h.eventTime),
                        config.recommendationsTopic)
                .uid("metrics-recommendations-source");
    }
}
