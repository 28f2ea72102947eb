package dev.rtpe.devkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints a topic's records as readable JSON, following new ones until Ctrl-C. Reads committed data
 * only, as a messaging service reading exactly-once triggers would.
 * Flags: {@code --topic t [--bootstrap-servers localhost:9092] [--from-beginning] [--max n]}.
 */
public final class TailTopic {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TailTopic() {}

    public static void main(String[] args) {
        Map<String, String> flags = Flags.parse(args);
        String topic = flags.get("topic");
        if (topic == null) {
            System.err.println("usage: tail --topic <name> [--bootstrap-servers host:port] [--from-beginning] [--max n]");
            System.exit(2);
        }
        long max = Long.parseLong(flags.getOrDefault("max", String.valueOf(Long.MAX_VALUE)));
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, flags.getOrDefault("bootstrap-servers", "localhost:9092"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "rtpe-tail-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, flags.containsKey("from-beginning") ? "earliest" : "latest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (printed < max) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    System.out.println(format(r));
                    if (++printed >= max) {
                        break;
                    }
                }
            }
        }
    }

    static String format(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? "-" : new String(r.key(), StandardCharsets.UTF_8);
        String head = "# " + r.topic() + "/" + r.partition() + "@" + r.offset() + "  key=" + key + "  " + Instant.ofEpochMilli(r.timestamp());
        if (r.value() == null) {
            return head + "\n(tombstone)";
        }
        try {
            return head + "\n" + JSON.writeValueAsString(JSON.readTree(r.value()));
        } catch (Exception notJson) {
            return head + "\n" + new String(r.value(), StandardCharsets.UTF_8);
        }
    }
}
