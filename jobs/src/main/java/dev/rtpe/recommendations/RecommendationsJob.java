package dev.rtpe.recommendations;


import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.rtpe.common.DeadLetter;
import dev.rtpe.common.EngineJob;
import dev.rtpe.common.JobSettings;
import dev.rtpe.common.KafkaInput;
import dev.rtpe.common.KafkaRecords;
import dev.rtpe.common.TopicPartitions;
import dev.rtpe.common.ShopperEvent;

/**
 * The recommendations job: {@code shopper-events} (and the optional {@code catalog}) in;
 * {@code recommendations} per shopper and {@code product-recommendations} per product out,
 * at-least-once, updated by every event.
 */
public final class RecommendationsJob implements EngineJob {
    private final RecommendationsConfig config;

    public RecommendationsJob(RecommendationsConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        new RecommendationsJob(RecommendationsConfig.fromArgs(args)).run();
    }

    @Override
    public String name() {
        return "recommendations";
    }

    @Override
    public JobSettings settings() {
        return config.job;
    }

    @Override
    public void build(StreamExecutionEnvironment env) {
        String bootstrap = config.job.bootstrapServers;
        Sink<DeadLetter> deadLetters = KafkaRecords.atLeastOnceSink(config.job, new KafkaRecords.DeadLetters(config.deadLetterTopic));
        DataStream<ShopperEvent> events = KafkaInput.canonicalEvents(env, bootstrap, config.eventsTopic, config.groupId,
                name(), config.maxInputDrift, deadLetters, "rec");
        DataStream<ContextUpdate> stock = config.catalogTopic.isEmpty() ? null : CatalogInput.read(env, config, deadLetters);
        RecommendationsPipeline.attach(events, stock,
                KafkaRecords.atLeastOnceSink(config.job, new RecommendationWriters.Recommendations(config.recommendationsTopic)),
                KafkaRecords.atLeastOnceSink(config.job, new RecommendationWriters.ProductRecommendations(config.productRecommendationsTopic)),
                config.evaluationsTopic.isEmpty() ? null : new RecommendationsPipeline.Evaluations(
                        KafkaRecords.atLeastOnceSink(config.job, new RecommendationWriters.Evaluations(config.evaluationsTopic)),
                        new TopicPartitions(bootstrap, config.evaluationsTopic)),
                config);
    }
}
