package dev.rtpe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.ShopperEventWriter;

/**
 * State size for a number of distinct customers: each new customer views one of {@code products}
 * products; once every job has processed them and completed two more checkpoints, the size of the
 * RocksDB working directories and of each job's last checkpoint are read. The rate at which the
 * engine took the new customers in is the throughput point at that number of customers.
 */
final class StateSize {
    private StateSize() {}

    static ObjectNode grow(String bootstrap, String rest, Path rocksDbDir, long fromCustomer, long toCustomer, int products,
                           Duration timeout) throws Exception {
        long start = System.currentTimeMillis();
        sendCustomers(bootstrap, fromCustomer, toCustomer, products);
        long caughtUp = Sustained.awaitAllCommitted(bootstrap, Sustained.INPUT_TOPICS, timeout);
        ObjectNode o = BenchDriver.JSON.createObjectNode();
        o.put("customers", toCustomer);
        o.put("products", products);
        // Every event here is a new customer's first: each job creates state for it, the costliest case.
        o.put("events", toCustomer - fromCustomer);
        o.put("events_per_second", (toCustomer - fromCustomer) * 1000.0 / Math.max(1, caughtUp - start));
        long checkpointed = 0;
        long full = 0;
        ObjectNode jobs = o.putObject("jobs");
        // Counted for every job first, so their checkpoints are awaited together, not one after the other.
        Map<String, String> running = FlinkCheckpoints.runningJobs(rest);
        Map<String, Long> targets = new HashMap<>();
        for (String id : running.keySet()) {
            targets.put(id, FlinkCheckpoints.completed(rest, id) + 2);
        }
        for (Map.Entry<String, String> job : running.entrySet()) {
            JsonNode latest = FlinkCheckpoints.awaitCompleted(rest, job.getKey(), targets.get(job.getKey()), timeout);
            jobs.putObject(job.getValue())
                    .put("checkpoint_full_bytes", latest.path("state_size").asLong())
                    .put("checkpoint_incremental_bytes", latest.path("checkpointed_size").asLong())
                    .put("checkpoint_ms", latest.path("end_to_end_duration").asLong());
            full += latest.path("state_size").asLong();
            checkpointed += latest.path("checkpointed_size").asLong();
        }
        o.put("checkpoint_full_bytes", full);
        o.put("checkpoint_incremental_bytes", checkpointed);
        o.put("rocksdb_dir_bytes", directoryBytes(rocksDbDir));
        return o;
    }

    private static void sendCustomers(String bootstrap, long from, long to, int products) {
        ShopperEventWriter writer = new ShopperEventWriter();
        SplittableRandom random = new SplittableRandom(from);
        long now = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = Ceilings.producer(bootstrap)) {
            for (long c = from; c < to; c++) {
                ShopperEvent e = new ShopperEvent();
                e.eventId = "bench-state-" + c;
                e.eventType = EventType.VIEW_ITEM;
                e.eventTime = now - (to - c); // a millisecond apart, ending now
                e.customerId = "bench-c-" + c;
                e.sessionId = "bench-s-" + c;
                e.channel = Channel.WEB;
                int p = random.nextInt(products);
                e.productId = "bench-p-" + p;
                e.category = "bench.c" + (p % 50);
                producer.send(new ProducerRecord<>("browse-events", e.customerId.getBytes(StandardCharsets.UTF_8), writer.writeInput(e)));
            }
        }
    }

    static long directoryBytes(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException gone) {
                    return 0; // RocksDB deleted it while we walked
                }
            }).sum();
        }
    }
}
