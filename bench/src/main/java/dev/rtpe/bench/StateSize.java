package dev.rtpe.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * RocksDB working directories and of each job's last checkpoint are read.
 */
final class StateSize {
    private StateSize() {}

    static ObjectNode grow(String bootstrap, String rest, Path rocksDbDir, long fromCustomer, long toCustomer, int products,
                           Duration timeout) throws Exception {
        sendCustomers(bootstrap, fromCustomer, toCustomer, products);
        Sustained.awaitAllCommitted(bootstrap, timeout);
        ObjectNode o = BenchDriver.JSON.createObjectNode();
        o.put("customers", toCustomer);
        o.put("products", products);
        long checkpointed = 0;
        long full = 0;
        ObjectNode jobs = o.putObject("jobs");
        // Counted for every job first, so their checkpoints are awaited together, not one after the other.
        java.util.Map<String, Long> targets = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (JsonNode job : get(rest, "/jobs/overview").path("jobs")) {
            if (job.path("state").asText().equals("RUNNING")) {
                String id = job.path("jid").asText();
                targets.put(id, completed(rest, id) + 2);
                names.put(id, job.path("name").asText());
            }
        }
        for (java.util.Map.Entry<String, Long> target : targets.entrySet()) {
            JsonNode latest = awaitCheckpoints(rest, target.getKey(), target.getValue(), timeout);
            jobs.putObject(names.get(target.getKey()))
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

    private static long completed(String rest, String jobId) throws Exception {
        return get(rest, "/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** The latest completed checkpoint, once the job has completed {@code target} in all. */
    private static JsonNode awaitCheckpoints(String rest, String jobId, long target, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode stats = get(rest, "/jobs/" + jobId + "/checkpoints");
            if (stats.path("counts").path("completed").asLong() >= target) {
                return stats.path("latest").path("completed");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " completed no checkpoint within " + timeout);
            }
            Thread.sleep(200); // polling a condition
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

    private static JsonNode get(String rest, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rest + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return BenchDriver.JSON.readTree(r.body());
    }
}
