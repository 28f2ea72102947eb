package dev.rtpe.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.rtpe.common.Flags;
import dev.rtpe.common.JobSettings;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;

/**
 * Raw Kafka on the bench's broker, with records of our events' size and the producer settings the
 * engine's sinks use: how fast one client can write and read, with no Flink in between.
 */
final class Ceilings {
    static final String RAW_TOPIC = "ceiling-raw";

    private Ceilings() {}

    static ObjectNode rawKafka(String bootstrap, int records, SimulationModel model, long seed) throws Exception {
        // Generated ahead of time, so the generator's cost is not in the rate.
        List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(records);
        ShopperSimulator simulator = new ShopperSimulator(model, seed, System.currentTimeMillis() - Duration.ofHours(1).toMillis());
        long bytes = 0;
        for (int i = 0; i < records; i++) {
            ShopperSimulator.Record r = simulator.next();
            batch.add(new ProducerRecord<>(RAW_TOPIC, r.key().getBytes(StandardCharsets.UTF_8), r.value()));
            bytes += r.value().length;
        }
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            batch.forEach(producer::send);
            producer.flush();
        }
        double produceSeconds = (System.nanoTime() - start) / 1e9;

        start = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = BenchDriver.consumer(bootstrap, "earliest", "read_uncommitted")) {
            consumer.subscribe(List.of(RAW_TOPIC));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (read < records && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        double consumeSeconds = (System.nanoTime() - start) / 1e9;
        ObjectNode o = BenchDriver.JSON.createObjectNode();
        o.put("records", records);
        o.put("mean_record_bytes", bytes / records);
        o.put("produce_events_per_second", records / produceSeconds);
        o.put("consume_events_per_second", read / consumeSeconds);
        return o;
    }

    /** The engine's default sink settings (JobSettings), so the ceiling is for the same kind of writes. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = JobSettings.from(Flags.parse()).producerProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
