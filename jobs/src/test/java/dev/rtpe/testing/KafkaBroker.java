package dev.rtpe.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.rtpe.devkit.LocalKafkaBroker;

/** A real KRaft broker for one test class, in a fresh temporary directory. */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
    private LocalKafkaBroker broker;
    private Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("rtpe-kafka-");
        broker = LocalKafkaBroker.start(dir, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates {@code name:partitions} topics. */
    public void createTopics(String... specs) {
        broker.createTopics(LocalKafkaBroker.TopicSpec.parseList(String.join(",", Arrays.asList(specs))));
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // One request in flight, so a retried batch cannot fall behind later ones: a preload written
        // right after its topics were created once expired in OUT_OF_ORDER_SEQUENCE retries.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends and waits for every record to be acknowledged; returns where each one landed. */
    public static List<RecordMetadata> sendAll(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        List<Future<RecordMetadata>> sent = records.stream().map(producer::send).toList();
        producer.flush();
        List<RecordMetadata> meta = new java.util.ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            meta.add(f.get());
        }
        return meta;
    }
}
