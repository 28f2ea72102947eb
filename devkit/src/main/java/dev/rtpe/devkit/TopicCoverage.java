package dev.rtpe.devkit;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Waits until every record of one topic has its answer on another, by id: for example every event
 * in {@code shopper-events} its list on {@code recommendations}. Committed offsets do not say that
 * when a job holds records back after reading them.
 */
public final class TopicCoverage {
    private static final long POLL_MS = 200;

    private TopicCoverage() {}

    /**
     * @param sourceId a source record's id, or null for a record that needs no answer
     * @param answerId the id of the source record an answer answers
     */
    public static void await(String bootstrap, String sourceTopic, Function<ConsumerRecord<byte[], byte[]>, String> sourceId,
                             String answerTopic, Function<ConsumerRecord<byte[], byte[]>, String> answerId, Duration timeout)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        Set<String> sources = ids(bootstrap, sourceTopic, sourceId);
        while (true) {
            Set<String> missing = new HashSet<>(sources);
            missing.removeAll(ids(bootstrap, answerTopic, answerId));
            if (missing.isEmpty()) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(missing.size() + " of " + sources.size() + " records of " + sourceTopic
                        + " have no answer on " + answerTopic + " after " + timeout + ", e.g. " + missing.iterator().next());
            }
            Thread.sleep(POLL_MS); // polling a condition
        }
    }

    private static Set<String> ids(String bootstrap, String topic, Function<ConsumerRecord<byte[], byte[]>, String> id) throws Exception {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(bootstrap, topic, "read_uncommitted")) {
            String value = id.apply(r);
            if (value != null) {
                ids.add(value);
            }
        }
        return ids;
    }
}
