package dev.rtpe.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import dev.rtpe.abandonment.AbandonmentConfig;
import dev.rtpe.devkit.ConsumerLag;
import dev.rtpe.ingest.IngestConfig;
import dev.rtpe.metrics.MetricsConfig;
import dev.rtpe.recommendations.RecommendationsConfig;

/**
 * Throughput of the whole engine: from the first canonical event ingest writes to the moment every
 * job has committed the end of its input. Flink commits offsets when a checkpoint completes, so the
 * end is known to within one checkpoint interval.
 */
public final class Sustained {
    static final List<String> INPUT_TOPICS = List.of("browse-events", "cart-events");

    /** Each job's consumer group and input topics, upstream first: a job's input is final once the ones before it are done. */
    static List<ConsumerLag.Stage> jobs(List<String> inputTopics) {
        // The jobs' own defaults, so a renamed group cannot leave the bench waiting for the old one.
        MetricsConfig metrics = MetricsConfig.fromArgs();
        return List.of(
                new ConsumerLag.Stage(IngestConfig.fromArgs().groupId, inputTopics),
                new ConsumerLag.Stage(RecommendationsConfig.fromArgs().groupId, List.of(metrics.eventsTopic)),
                new ConsumerLag.Stage(AbandonmentConfig.fromArgs().groupId, List.of(metrics.eventsTopic)),
                new ConsumerLag.Stage(metrics.groupId, List.of(metrics.eventsTopic, metrics.evaluationsTopic)));
    }

    private Sustained() {}

    static ObjectNode untilCaughtUp(String bootstrap, long events, Duration timeout) throws Exception {
        long caughtUp = awaitAllCommitted(bootstrap, INPUT_TOPICS, timeout);
        long first = firstAppend(bootstrap, "shopper-events");
        ObjectNode o = BenchDriver.JSON.createObjectNode();
        o.put("events", events);
        o.put("seconds", (caughtUp - first) / 1000.0);
        o.put("events_per_second", events * 1000.0 / Math.max(1, caughtUp - first));
        return o;
    }

    /** Wall-clock time at which every job had committed everything in its inputs (ingest reads {@code inputTopics}). */
    public static long awaitAllCommitted(String bootstrap, List<String> inputTopics, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            for (ConsumerLag.Stage job : jobs(inputTopics)) {
                ConsumerLag.awaitChain(admin, List.of(job), timeout);
                System.out.println("  " + job.groupId() + ": all input committed");
            }
        }
        return System.currentTimeMillis();
    }

    /** The broker's append time of the earliest record on the topic (the bench broker stamps LogAppendTime). */
    private static long firstAppend(String bootstrap, String topic) {
        long first = Long.MAX_VALUE;
        try (KafkaConsumer<byte[], byte[]> consumer = BenchDriver.consumer(bootstrap, "earliest", "read_uncommitted")) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (first == Long.MAX_VALUE && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    first = Math.min(first, r.timestamp());
                }
            }
        }
        return first;
    }
}
