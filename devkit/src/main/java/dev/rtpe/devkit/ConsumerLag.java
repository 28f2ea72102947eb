package dev.rtpe.devkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind. A Flink job commits its source offsets when a checkpoint
 * completes, so zero lag means every input record has been fully processed and its output flushed:
 * the condition to wait for instead of sleeping.
 */
public final class ConsumerLag {
    private ConsumerLag() {}

    /** Records in {@code topics} that {@code groupId} has not committed yet. */
    public static long lag(Admin admin, String groupId, List<String> topics) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = endOffsets(admin, topics);
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(end.getKey());
            lag += end.getValue() - (c == null ? 0 : c.offset());
        }
        return lag;
    }

    /** Waits until {@code groupId} has committed everything now in {@code topics}. */
    public static void awaitZero(Admin admin, String groupId, List<String> topics, Duration timeout)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lag;
        while ((lag = lag(admin, groupId, topics)) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("consumer group " + groupId + " still " + lag + " records behind after " + timeout);
            }
            Thread.sleep(200); // polling interval of a condition, not a guess at how long work takes
        }
    }

    /** A job in a chain of jobs: its consumer group and its input topics. */
    public record Stage(String groupId, List<String> topics) {}

    /**
     * Waits until a chain of jobs, upstream first, has processed everything: each job's group has
     * committed its inputs as they stood once every job before it was done. A job's output can go
     * on growing without new work (ingest writes its watermarks every second), so "the end" of a
     * topic is the snapshot taken when its writers were done, not zero lag.
     */
    public static void awaitChain(Admin admin, List<Stage> stages, Duration timeout) throws ExecutionException, InterruptedException {
        for (Stage stage : stages) {
            awaitCommitted(admin, stage.groupId(), endOffsets(admin, stage.topics()), timeout);
        }
    }

    /**
     * Waits until {@code groupId} has committed at least {@code targets} (for example the end
     * offsets of a topic once its upstream job is done). For topics that keep growing without new
     * work, such as {@code shopper-events}, where ingest writes its watermarks every second.
     */
    public static void awaitCommitted(Admin admin, String groupId, Map<TopicPartition, Long> targets, Duration timeout)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long behind;
        while ((behind = behind(admin, groupId, targets)) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("consumer group " + groupId + " still " + behind + " records short of " + targets
                        + " after " + timeout);
            }
            Thread.sleep(200); // polling interval of a condition, not a guess at how long work takes
        }
    }

    private static long behind(Admin admin, String groupId, Map<TopicPartition, Long> targets)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
            OffsetAndMetadata c = committed.get(t.getKey());
            behind += Math.max(0, t.getValue() - (c == null ? 0 : c.offset()));
        }
        return behind;
    }

    public static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws ExecutionException, InterruptedException {
        List<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toList());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
