package dev.rtpe.devkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {

    @TempDir Path dir;

    @Test
    void recordsSurviveARestartOnTheSameDataDir() throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir, 0)) {
            broker.createTopics(LocalKafkaBroker.TopicSpec.parseList("t:2,latest:1:compact"));
            produce(broker.bootstrapServers(), "t", "k1", "v1");
            try (Admin admin = broker.admin()) {
                ConfigResource latest = new ConfigResource(ConfigResource.Type.TOPIC, "latest");
                ConfigEntry policy = admin.describeConfigs(List.of(latest)).all().get().get(latest).get("cleanup.policy");
                assertEquals("compact", policy.value());
                assertEquals(2, admin.describeTopics(List.of("t")).allTopicNames().get().get("t").partitions().size());
            }
        }
        try (LocalKafkaBroker again = LocalKafkaBroker.start(dir, 0)) {
            // Creating an existing topic is a no-op, so a second local run can reuse its data.
            again.createTopics(LocalKafkaBroker.TopicSpec.parseList("t:2"));
            List<ConsumerRecord<String, String>> records = consume(again.bootstrapServers(), "t", 1);
            assertEquals("k1", records.get(0).key());
            assertEquals("v1", records.get(0).value());
        }
    }

    @Test
    void aTakenPortIsReportedPlainly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            LocalKafkaBroker.PortInUseException e = assertThrows(LocalKafkaBroker.PortInUseException.class,
                    () -> LocalKafkaBroker.start(dir, taken.getLocalPort()));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
        }
    }

    @Test
    void topicSpecsAreParsedStrictly() {
        assertEquals(List.of(new LocalKafkaBroker.TopicSpec("a", 3, false), new LocalKafkaBroker.TopicSpec("b", 1, true)),
                LocalKafkaBroker.TopicSpec.parseList("a:3, b:1:compact"));
        assertThrows(IllegalArgumentException.class, () -> LocalKafkaBroker.TopicSpec.parseList("a"));
        assertThrows(IllegalArgumentException.class, () -> LocalKafkaBroker.TopicSpec.parseList("a:1:delete"));
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8).length > 0 ? value : null)).get();
        }
    }

    private static List<ConsumerRecord<String, String>> consume(String bootstrap, String topic, int count) {
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertEquals(count, out.size(), "records read back from " + topic);
        return out;
    }
}
