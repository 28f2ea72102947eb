package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.rtpe.common.WatermarkRecord;
import dev.rtpe.devkit.ConsumerLag;
import dev.rtpe.devkit.TopicSnapshot;
import dev.rtpe.ingest.IngestConfig;
import dev.rtpe.ingest.IngestJob;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.KafkaBroker;
import dev.rtpe.testing.MiniClusters;

/**
 * Simulated shoppers' raw events through a real Kafka broker, the ingest job and the
 * recommendations job as deployed: every distinct event gets one list on {@code recommendations},
 * product lists appear on {@code product-recommendations}, all schema-valid, and bad
 * {@code shopper-events} and {@code catalog} records become dead letters.
 */
class RecommendationsKafkaEndToEndTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    @Test
    void simulatedShoppersGetSchemaValidListsThroughRealKafka() throws Exception {
        KAFKA.createTopics("browse-events:2", "cart-events:2", "shopper-events:2", "recommendations:2:compact", "rec-evaluations:2",
                "product-recommendations:2:compact", "catalog:1:compact", "dead-letter:1");
        SimulationModel model = new SimulationModel();
        model.malformedShare = 0;
        model.duplicateShare = 0.01;
        ShopperSimulator simulator = new ShopperSimulator(model, 3, Instant.now().minusSeconds(3_600).toEpochMilli());
        Set<String> eventIds = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                ShopperSimulator.Record r = simulator.next();
                records.add(new ProducerRecord<>(r.topic(), r.key().getBytes(StandardCharsets.UTF_8), r.value()));
                eventIds.add(Contracts.JSON.readTree(r.value()).get("event_id").asText());
            }
            records.add(new ProducerRecord<>("shopper-events", "c:x".getBytes(StandardCharsets.UTF_8), "{not json".getBytes(StandardCharsets.UTF_8)));
            records.add(new ProducerRecord<>("catalog", "p-1".getBytes(StandardCharsets.UTF_8),
                    "{\"schema_version\":1,\"product_id\":\"p-1\",\"in_stock\":false}".getBytes(StandardCharsets.UTF_8)));
            records.add(new ProducerRecord<>("catalog", "p-2".getBytes(StandardCharsets.UTF_8),
                    "{\"schema_version\":1,\"product_id\":\"p-2\"}".getBytes(StandardCharsets.UTF_8)));
            KafkaBroker.sendAll(producer, records);
        }

        String[] common = {"--bootstrap-servers", KAFKA.bootstrapServers(), "--checkpoint-interval", "1s", "--parallelism", "1"};
        StreamExecutionEnvironment ingestEnv = MiniClusters.productionLikeEnvironment(IngestConfig.fromArgs(common).job);
        new IngestJob(IngestConfig.fromArgs(common)).build(ingestEnv);
        JobClient ingest = ingestEnv.executeAsync("ingest");
        RecommendationsConfig config = RecommendationsConfig.fromArgs(common);
        StreamExecutionEnvironment recEnv = MiniClusters.productionLikeEnvironment(config.job);
        new RecommendationsJob(config).build(recEnv);
        JobClient recommendations = recEnv.executeAsync("recommendations");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            // Ingest's watermark records keep shopper-events growing: wait for the chain, not zero lag.
            ConsumerLag.awaitChain(admin, List.of(new ConsumerLag.Stage("rtpe-ingest", List.of("browse-events", "cart-events")),
                    new ConsumerLag.Stage("rtpe-recommendations", List.of("shopper-events"))), Duration.ofMinutes(3));
            ConsumerLag.awaitZero(admin, "rtpe-recommendations-catalog", List.of("catalog"), Duration.ofMinutes(3));
        }

        List<ConsumerRecord<byte[], byte[]>> lists = TopicSnapshot.read(KAFKA.bootstrapServers(), "recommendations", "read_uncommitted");
        assertEquals(eventIds.size(), lists.size(), "one list per distinct event");
        Set<String> causes = new HashSet<>();
        int personal = 0;
        for (ConsumerRecord<byte[], byte[]> r : lists) {
            assertEquals(List.of(), Contracts.violations("recommendations", r.value()), new String(r.value(), StandardCharsets.UTF_8));
            JsonNode json = Contracts.JSON.readTree(r.value());
            assertEquals(json.get("customer_key").asText(), new String(r.key(), StandardCharsets.UTF_8));
            causes.add(json.get("cause").get("event_id").asText());
            personal += json.get("personalized").asBoolean() ? 1 : 0;
            assertTrue(json.get("generated_at").asLong() >= json.get("cause").get("event_time").asLong());
        }
        assertEquals(eventIds, causes);
        assertTrue(personal > 0);

        // The hit-rate evaluations: one per evaluated list, and the job's watermark in every partition.
        long evaluated = lists.stream().filter(r -> r.value() != null && new String(r.value(), StandardCharsets.UTF_8).contains("\"hit_at_10\"")).count();
        assertTrue(evaluated > 0, "some lists were evaluated");
        List<ConsumerRecord<byte[], byte[]>> evaluations = TopicSnapshot.read(KAFKA.bootstrapServers(), "rec-evaluations", "read_uncommitted");
        Set<Integer> partitionsWithWatermarks = new HashSet<>();
        long evaluationRecords = 0;
        for (ConsumerRecord<byte[], byte[]> r : evaluations) {
            assertEquals(List.of(), Contracts.violations("rec-evaluations", r.value()), new String(r.value(), StandardCharsets.UTF_8));
            if (WatermarkRecord.isMarked(r.headers())) {
                assertNull(r.key());
                partitionsWithWatermarks.add(r.partition());
            } else {
                evaluationRecords++;
                assertEquals(Contracts.JSON.readTree(r.value()).get("customer_key").asText(), new String(r.key(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(evaluated, evaluationRecords);
        assertEquals(Set.of(0, 1), partitionsWithWatermarks);

        List<ConsumerRecord<byte[], byte[]>> productLists = TopicSnapshot.read(KAFKA.bootstrapServers(), "product-recommendations", "read_uncommitted");
        assertTrue(productLists.size() > 10, "product lists: " + productLists.size());
        for (ConsumerRecord<byte[], byte[]> r : productLists) {
            assertEquals(List.of(), Contracts.violations("product-recommendations", r.value()));
            assertEquals(Contracts.JSON.readTree(r.value()).get("product_id").asText(), new String(r.key(), StandardCharsets.UTF_8));
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicSnapshot.read(KAFKA.bootstrapServers(), "dead-letter", "read_uncommitted");
        assertEquals(2, deadLetters.size());
        Set<String> sources = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : deadLetters) {
            assertEquals(List.of(), Contracts.violations("dead-letter", r.value()));
            JsonNode d = Contracts.JSON.readTree(r.value());
            assertEquals("recommendations", d.get("producer").asText());
            sources.add(d.get("source").get("topic").asText() + ":" + d.get("reason").asText());
        }
        assertEquals(Set.of("shopper-events:malformed_json", "catalog:missing_field"), sources);
        ingest.cancel().get();
        recommendations.cancel().get();
    }
}
