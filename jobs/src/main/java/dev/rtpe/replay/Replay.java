package dev.rtpe.replay;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.ShopperEventWriter;

/**
 * Produces a dataset's events to the input topics in event-time order, with their original event
 * times: paced at N times real time, or as fast as possible.
 */
public final class Replay {
    /** Progress is printed this often. */
    static final long REPORT_EVERY_MS = 2_000;

    /** Where and how fast. {@code speed} is infinite for "max". */
    public record Target(String bootstrapServers, String browseTopic, String cartTopic, double speed) {
        public static Target max(String bootstrapServers) {
            return new Target(bootstrapServers, "browse-events", "cart-events", Double.POSITIVE_INFINITY);
        }

        boolean paced() {
            return !Double.isInfinite(speed);
        }

        String topicOf(EventType type) {
            return type.inputTopic == EventType.InputTopic.BROWSE ? browseTopic : cartTopic;
        }
    }

    /** A line of progress: sent so far, of how many, and the rate. */
    public interface Progress {
        void report(long sent, long total, double eventsPerSecond);
    }

    private Replay() {}

    /** Sends every event and waits until the broker has them all; fails on the first send error. */
    public static long run(List<ShopperEvent> events, Target target, Progress progress) throws Exception {
        ShopperEventWriter writer = new ShopperEventWriter();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long wallStart = System.currentTimeMillis();
        long lastReport = wallStart;
        long firstEventTime = events.isEmpty() ? 0 : events.get(0).eventTime;
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(target.bootstrapServers())) {
            for (ShopperEvent e : events) {
                if (target.paced()) {
                    waitUntil(wallStart + (long) ((e.eventTime - firstEventTime) / target.speed()));
                }
                producer.send(new ProducerRecord<>(target.topicOf(e.eventType), keyOf(e), writer.writeInput(e)), (meta, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
                sent++;
                if (failure.get() != null) {
                    throw failure.get();
                }
                long now = System.currentTimeMillis();
                if (now - lastReport >= REPORT_EVERY_MS) {
                    progress.report(sent, events.size(), sent * 1000.0 / Math.max(1, now - wallStart));
                    lastReport = now;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        progress.report(sent, events.size(), sent * 1000.0 / Math.max(1, System.currentTimeMillis() - wallStart));
        return sent;
    }

    /** The shopper's key: Kafka keeps one shopper's events in order, as a storefront would send them. */
    static byte[] keyOf(ShopperEvent e) {
        return Dataset.shopperOf(e).getBytes(StandardCharsets.UTF_8);
    }

    private static void waitUntil(long due) throws InterruptedException {
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait); // pacing to the dataset's clock
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"); // a retry never duplicates or reorders
        // One request in flight, so a retried batch cannot fall behind later ones: a replay started
        // right after its topics were created expired its batches in retries on a loaded machine.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "rtpe-replay");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
