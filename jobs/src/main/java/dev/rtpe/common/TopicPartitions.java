package dev.rtpe.common;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** The partition count of a Kafka topic, asked of the broker when a {@link PublishWatermarks} opens. */
public final class TopicPartitions implements PublishWatermarks.PartitionCount {
    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final String topic;

    public TopicPartitions(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    @Override
    public int partitions() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(60, TimeUnit.SECONDS).get(topic).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("Topic " + topic + " does not exist; create it first (scripts/topics.txt lists it)", e);
            }
            throw new IllegalStateException("Cannot read the partitions of " + topic + " from " + bootstrapServers, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not say within 60 s how many partitions " + topic + " has", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
