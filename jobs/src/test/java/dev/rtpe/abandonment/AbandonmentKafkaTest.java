package dev.rtpe.abandonment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CustomerKey;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.devkit.ConsumerLag;
import dev.rtpe.devkit.TopicSnapshot;
import dev.rtpe.local.RetainedCheckpoints;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.KafkaBroker;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.Parsers;
import dev.rtpe.testing.ShopperEventsTopic;

/** The abandonment job with a real Kafka broker: exactly-once across a restart. */
class AbandonmentKafkaTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();
    private static final long OUT_OF_ORDERNESS = 5_000;

    /**
     * Simulated shoppers through the job as deployed (exactly-once Kafka sink), cancelled in the
     * middle of the stream and restarted from its last checkpoint. A read_committed consumer must see
     * every trigger exactly once: the same set a single uninterrupted replay produces.
     */
    @Test
    void aRestartNeitherLosesNorRepeatsATrigger(@TempDir Path checkpoints) throws Exception {
        KAFKA.createTopics("shopper-events:1", "cart-abandonment-triggers:2", "dead-letter:1");
        List<ShopperEvent> events = simulatedCanonicalEvents();
        List<ShopperEvent> firstHalf = events.subList(0, events.size() / 2);
        List<ShopperEvent> secondHalf = events.subList(events.size() / 2, events.size());
        send(firstHalf);
        String[] args = {"--bootstrap-servers", KAFKA.bootstrapServers(), "--stages", "10min,1h",
            "--checkpoint-interval", "1s", "--parallelism", "1", "--checkpoint-dir", checkpoints.toUri().toString()};
        AbandonmentConfig config = AbandonmentConfig.fromArgs(args);

        JobClient first = start(config, null);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (committedTriggers().size() < 5) {
            assertTrue(System.nanoTime() < deadline, "no triggers committed");
            Thread.sleep(100); // polling a condition
        }
        first.cancel().get(); // mid-stream: its open transaction is aborted
        int committedBeforeRestart = committedTriggers().size();
        Path resumeFrom = RetainedCheckpoints.latest(checkpoints).orElseThrow();
        send(secondHalf);

        JobClient second = start(config, resumeFrom);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            ConsumerLag.awaitZero(admin, "rtpe-abandonment", List.of("shopper-events"), Duration.ofMinutes(3));
        }
        List<JsonNode> seen = committedTriggers();
        second.cancel().get();

        List<String> ids = seen.stream().map(t -> t.get("type").asText() + ":" + t.get("trigger_id").asText()).collect(Collectors.toList());
        assertEquals(new HashSet<>(ids).size(), ids.size(), "no trigger twice");
        Set<String> expected = expectedTriggers(events, config);
        assertTrue(committedBeforeRestart < expected.size(), "the restart came in the middle of the triggers");
        assertEquals(expected, new HashSet<>(ids), "every trigger, as an uninterrupted replay gives");
        for (JsonNode t : seen) {
            assertEquals(List.of(), Contracts.violations("cart-abandonment-triggers", t));
        }
        assertTrue(ids.stream().anyMatch(i -> i.startsWith("cart_recovered")), "some carts were recovered");
    }

    /** As ingest writes them: the events, with its watermarks trailing the latest event by the out-of-orderness. */
    private static void send(List<ShopperEvent> events) throws Exception {
        long last = events.stream().mapToLong(e -> e.eventTime).max().getAsLong();
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            KafkaBroker.sendAll(producer, ShopperEventsTopic.records("shopper-events", 1, events, OUT_OF_ORDERNESS, last - OUT_OF_ORDERNESS));
        }
    }

    private static JobClient start(AbandonmentConfig config, Path resumeFrom) throws Exception {
        var flinkConfig = config.job.flinkConfiguration();
        if (resumeFrom != null) {
            flinkConfig.set(StateRecoveryOptions.SAVEPOINT_PATH, resumeFrom.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig);
        env.setParallelism(1);
        new AbandonmentJob(config).build(env);
        return env.executeAsync("abandonment");
    }

    private static List<JsonNode> committedTriggers() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(KAFKA.bootstrapServers(), "cart-abandonment-triggers", "read_committed")) {
            out.add(Contracts.JSON.readTree(r.value()));
        }
        return out;
    }

    /**
     * The same events through the function alone, in the same order, then event time advanced as
     * far as the job's watermark goes (last event time minus the out-of-orderness).
     */
    private static Set<String> expectedTriggers(List<ShopperEvent> events, AbandonmentConfig config) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, AbandonmentMessage>(
                new CachingKeyedProcessOperator<>(new CartAbandonment(config)), new CustomerKey(), Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        Set<String> seen = new HashSet<>();
        long maxTime = Long.MIN_VALUE;
        for (ShopperEvent e : events) {
            if (seen.add(e.customerKey + "|" + e.eventId)) { // the job drops repeats first
                h.processElement(e, e.eventTime);
            }
            maxTime = Math.max(maxTime, e.eventTime);
        }
        h.processWatermark(maxTime - OUT_OF_ORDERNESS);
        Set<String> ids = h.extractOutputValues().stream().map(m -> m.type + ":" + m.triggerId).collect(Collectors.toSet());
        h.close();
        assertFalse(ids.isEmpty());
        return ids;
    }

    /** Four hours of simulated shoppers, as canonical events with event times in the recent past, repeats included. */
    private static List<ShopperEvent> simulatedCanonicalEvents() {
        SimulationModel model = new SimulationModel().useSmallCatalog(); // the 12-category catalog this test was written against
        model.customers = 150;
        model.eventsPerSecond = 0.4;
        model.cartRate = 0.3;
        model.malformedShare = 0;
        model.duplicateShare = 0.02;
        long start = Instant.now().minus(Duration.ofHours(5)).toEpochMilli();
        ShopperSimulator simulator = new ShopperSimulator(model, 5, start);
        var parser = Parsers.ingest();
        List<ShopperEvent> events = new ArrayList<>();
        for (ShopperSimulator.Record r = simulator.next(); r.sendAt() < start + Duration.ofHours(4).toMillis(); r = simulator.next()) {
            ParsedRecord p = parser.parse(r.topic(), 0, 0, 0, null, r.value());
            if (p.isAccepted()) {
                p.event.ingestedAt = p.event.eventTime;
                events.add(p.event);
            }
        }
        return events;
    }
}
