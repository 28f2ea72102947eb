package dev.rtpe.metrics;


import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
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
                KafkaRecords.atLeastOnceSink(config.job, new KafkaRecords.DeadLetters(config.deadLetterTopic)),
                "metrics");
        MetricsPipeline.attach(events, evaluations(env), KafkaRecords.atLeastOnceSink(config.job,
                new MetricsWriter(config.metricsTopic)), config);
    }

    /**
     * Hit-rate evaluations, in the event time of the shopper event that was evaluated, and on the
     * recommendations job's clock: event time here waits for the recommendations job, so no minute
     * closes before its evaluations are written. Null without an evaluations topic.
     */
    private DataStream<HitSignal> evaluations(StreamExecutionEnvironment env) {
        if (config.evaluationsTopic.isEmpty()) {
            return null;
        }
        KafkaSource<HitRateInput> source = KafkaSource.<HitRateInput>builder()
                .setBootstrapServers(config.job.bootstrapServers)
                .setTopics(config.evaluationsTopic)
                .setGroupId(config.groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new HitSignalReader())
                .build();
        return env.fromSource(source,
                        EventTime.followingWriter((HitRateInput r) -> r.watermark, (r, ts) -> r.hit != null ? r.hit.eventTime : Long.MIN_VALUE),
                        config.evaluationsTopic)
                .uid("metrics-evaluations-source")
                .flatMap((HitRateInput r, Collector<HitSignal> out) -> {
                    if (r.hit != null) {
                        out.collect(r.hit); // the watermark records have done their work in the source
                    }
                }).returns(HitSignal.class).uid("metrics-evaluations-signals").name("Hit-rate signals");
    }
}
