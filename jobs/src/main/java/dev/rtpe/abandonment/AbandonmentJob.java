package dev.rtpe.abandonment;

import java.util.Properties;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerConfig;

import dev.rtpe.common.EngineJob;
import dev.rtpe.common.JobSettings;
import dev.rtpe.common.KafkaInput;
import dev.rtpe.common.KafkaRecords;
import dev.rtpe.common.ShopperEvent;

/**
 * The abandonment job: {@code shopper-events} in, {@code cart-abandonment-triggers} out, exactly
 * once: triggers are written in Kafka transactions committed with each checkpoint.
 */
public final class AbandonmentJob implements EngineJob {
    private final AbandonmentConfig config;

    public AbandonmentJob(AbandonmentConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        new AbandonmentJob(AbandonmentConfig.fromArgs(args)).run();
    }

    @Override
    public String name() {
        return "abandonment";
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
                "abandonment");
        AbandonmentPipeline.attach(events, exactlyOnceSink(config), config);
    }

    /**
     * Transactions committed at each checkpoint: a restart neither loses nor repeats a trigger for
     * read_committed consumers. The transaction timeout must stay under the broker's maximum.
     */
    static KafkaSink<AbandonmentMessage> exactlyOnceSink(AbandonmentConfig config) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(config.transactionTimeout.toMillis()));
        return KafkaSink.<AbandonmentMessage>builder()
                .setBootstrapServers(config.job.bootstrapServers)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.transactionalIdPrefix)
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .setKafkaProducerConfig(p)
                .setRecordSerializer(new AbandonmentWriter(config.triggersTopic))
                .build();
    }
}
