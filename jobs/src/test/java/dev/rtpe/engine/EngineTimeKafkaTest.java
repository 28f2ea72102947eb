package dev.rtpe.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rtpe.abandonment.AbandonmentConfig;
import dev.rtpe.abandonment.AbandonmentMessage;
import dev.rtpe.abandonment.AbandonmentWriter;
import dev.rtpe.abandonment.CartAbandonment;
import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CustomerKey;
import dev.rtpe.common.JsonWriting;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.RecordParser;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.metrics.MetricsComparison;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.RunningEngine;
import dev.rtpe.testing.FlinkRest;
import dev.rtpe.testing.KafkaBroker;
import dev.rtpe.testing.MalformedInputCorpus;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.Parsers;
import dev.rtpe.testing.ShopperEventsTopic;

/**
 * Time as it really arrives, through a real broker and the jobs as deployed (ingest, abandonment,
 * metrics): a backlog split over two topics, a phone whose clock is hours ahead, an ingest outage,
 * and a restart into a world without input.
 */
class EngineTimeKafkaTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoTaskManagers(3);

    private static final long HOUR = Duration.ofHours(1).toMillis();

    /**
     * An hour of shoppers waits in browse-events and cart-events, three partitions each, with no
     * key, so one shopper's events are spread over partitions; one phone's clock is 8 h ahead. The
     * engine starts on that backlog. Every view must be counted, nothing dropped as late, every
     * window must equal a plain recount, and the triggers must be those of the same events applied
     * in event-time order, whatever order the catch-up read them in and at any parallelism.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void aBacklogOverTwoTopicsGivesTheSameMetricsAndTriggersAsTheEventsInOrder(int parallelism, @TempDir Path checkpoints,
            @InjectClusterRESTAddress URI rest) throws Exception {
        try (RunningEngine engine = new RunningEngine(KAFKA, "backlog-p" + parallelism, checkpoints, parallelism)) {
            engine.createTopics(3);
            long start = System.currentTimeMillis() - 30 * HOUR; // every 24 h stage is due by now
            List<ProducerRecord<byte[], byte[]>> backlog = new ArrayList<>();
            List<ShopperEvent> accepted = new ArrayList<>();
            simulatedHour(engine, start, backlog, accepted);
            try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
                KafkaBroker.sendAll(producer, backlog);
            }

            List<JobClient> jobs = List.of(engine.start(engine.ingest()), engine.start(engine.abandonment()), engine.start(engine.metrics()));
            engine.awaitInputProcessed(Duration.ofMinutes(4), engine.abandonment(), engine.metrics());

            List<ConsumerRecord<byte[], byte[]>> written = engine.shopperEvents();
            assertEquals(List.of(), ShopperEventsTopic.eventsBehindTheirWatermark(written).stream().limit(10).collect(Collectors.toList()),
                    "shopper-events stays within ingest's watermarks after the backlog");

            MetricsComparison metrics = MetricsComparison.of(accepted, engine.metricsConfig(), Long.MAX_VALUE);
            List<String> differences = metrics.awaitEqual(KAFKA.bootstrapServers(), engine.topic("conversion-metrics"), 5, Duration.ofMinutes(2));
            assertEquals(List.of(), differences.stream().limit(20).collect(Collectors.toList()), differences.size() + " differences");
            FlinkRest flink = new FlinkRest(rest);
            assertEquals(0, flink.reportedMetric(jobs.get(2).getJobID().toString(), ".late_events_dropped", Duration.ofSeconds(30)),
                    "no view dropped as late");

            Map<String, JsonNode> expected = inOrderTriggers(accepted, AbandonmentConfig.fromArgs());
            assertTrue(expected.size() > 20, "enough triggers to tell: " + expected.size());
            Map<String, JsonNode> seen = awaitTriggers(engine, flink, jobs.get(1), expected.keySet());
            assertEquals(expected, seen);
            for (JobClient job : jobs) {
                job.cancel().get();
            }
        }
    }

    /**
     * A phone 8 h fast, among live traffic: no trigger fires early (every cart here is minutes from
     * its first stage), and no real event after it is dropped from the funnel as late.
     */
    @Test
    void aClockEightHoursFastMovesNoOnesEventTime(@TempDir Path checkpoints, @InjectClusterRESTAddress URI rest) throws Exception {
        try (RunningEngine engine = new RunningEngine(KAFKA, "skew", checkpoints, 2, "--stages", "20min")) {
            engine.createTopics(2);
            long now = System.currentTimeMillis();
            List<ProducerRecord<byte[], byte[]>> live = new ArrayList<>();
            List<ShopperEvent> accepted = new ArrayList<>();
            SimulationModel model = model();
            ShopperSimulator simulator = new ShopperSimulator(model, 3, now - Duration.ofMinutes(12).toMillis());
            RecordParser parser = Parsers.ingest();
            int n = 0;
            for (ShopperSimulator.Record r = simulator.next(); r.sendAt() < now; r = simulator.next()) {
                byte[] value = r.value();
                if (n++ == 200) {
                    value = skewed(r.sendAt());
                }
                add(engine, parser, r.topic(), r.sendAt(), value, live, accepted);
            }
            try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
                KafkaBroker.sendAll(producer, live);
            }
            List<JobClient> jobs = List.of(engine.start(engine.ingest()), engine.start(engine.abandonment()), engine.start(engine.metrics()));
            engine.awaitInputProcessed(Duration.ofMinutes(3), engine.abandonment(), engine.metrics());
            FlinkRest flink = new FlinkRest(rest);
            // Event time has reached the end of the traffic (the quiet clock, after ingest's inputs went idle) and been checkpointed.
            flink.awaitInputWatermark(jobs.get(1).getJobID().toString(), "Cart abandonment", now - 5_000, Duration.ofMinutes(1));
            flink.awaitCheckpoints(jobs.get(1).getJobID().toString(), 2, Duration.ofMinutes(1));

            ShopperEvent corrected = accepted.stream().filter(e -> e.eventId.equals("skewed-1")).findFirst().orElseThrow();
            assertTrue(corrected.reportedEventTime > corrected.eventTime + 7 * HOUR, "the phone's time is kept, not used");
            assertEquals(List.of(), engine.triggers("read_uncommitted"), "no stage is due yet");
            assertEquals(0, flink.reportedMetric(jobs.get(2).getJobID().toString(), ".late_events_dropped", Duration.ofSeconds(30)));
            assertTrue(flink.metricSum(jobs.get(1).getJobID().toString(), ".lateEventsRefused") <= 0, "none refused (the counter appears with its first)");
            assertEquals(1, flink.reportedMetric(jobs.get(0).getJobID().toString(), ".eventTimesCorrected", Duration.ofSeconds(30)));
            long views = accepted.stream().filter(e -> e.eventType == dev.rtpe.common.EventType.VIEW_ITEM).map(e -> e.eventId).distinct().count();
            // Windows whose sessions are all decided: a bounce is known a bounce window after the session's first event.
            long minute = 60_000;
            long decided = (now - 5_000 - engine.metricsConfig().bounceWindow.toMillis()) / minute * minute;
            MetricsComparison metrics = MetricsComparison.of(accepted, engine.metricsConfig(), decided);
            List<String> differences = metrics.awaitEqual(KAFKA.bootstrapServers(), engine.topic("conversion-metrics"), 5, Duration.ofMinutes(1));
            assertEquals(List.of(), differences.stream().limit(20).collect(Collectors.toList()), differences.size() + " differences of "
                    + metrics.windows() + " windows (" + views + " views)");
            for (JobClient job : jobs) {
                job.cancel().get();
            }
        }
    }

    /**
     * Ingest is down while a shopper's purchase waits in cart-events, and the wall clock passes that
     * shopper's first stage. No trigger may go out before the purchase is seen, and after ingest
     * returns, none at all.
     */
    @Test
    void whileIngestIsDownAbandonmentsClockStandsStill(@TempDir Path checkpoints, @InjectClusterRESTAddress URI rest) throws Exception {
        long stage = 20_000;
        try (RunningEngine engine = new RunningEngine(KAFKA, "outage", checkpoints, 1, "--stages", stage + "ms")) {
            engine.createTopics(2);
            FlinkRest flink = new FlinkRest(rest);
            long t0 = System.currentTimeMillis();
            send(cartEvent(engine, "add_to_cart", "outage-1", t0));
            JobClient ingest = engine.start(engine.ingest());
            JobClient abandonment = engine.start(engine.abandonment());
            String abandonmentId = abandonment.getJobID().toString();
            engine.awaitInputProcessed(Duration.ofMinutes(2), engine.abandonment());
            ingest.cancel().get(); // the outage

            long purchaseAt = t0 + 5_000;
            send(cartEvent(engine, "purchase", "outage-2", purchaseAt));
            // The outage outlasts the stage, and the old 30 s quiet clock, by a margin.
            long until = t0 + stage + Duration.ofSeconds(45).toMillis();
            while (System.currentTimeMillis() < until) {
                assertEquals(List.of(), engine.triggers("read_uncommitted"), "a trigger during the outage");
                Thread.sleep(1_000); // the outage is a span of wall-clock time: that is what this test waits out
            }
            assertTrue(flink.inputWatermark(abandonmentId, "Cart abandonment") < t0 + stage, "event time stood still");

            ingest = engine.start(engine.ingest(), true);
            engine.awaitInputProcessed(Duration.ofMinutes(2), engine.abandonment());
            flink.awaitInputWatermark(abandonmentId, "Cart abandonment", t0 + stage, Duration.ofMinutes(1));
            flink.awaitCheckpoints(abandonmentId, 2, Duration.ofMinutes(1));
            assertEquals(List.of(), engine.triggers("read_uncommitted"), "the purchase ended the cart before its stage");
            ingest.cancel().get();
            abandonment.cancel().get();
        }
    }

    /**
     * Every job restarts from its checkpoint, and then no input arrives at all, from anyone. The
     * stage that comes due after the restart still fires, and the metrics of the last minutes are
     * still sent: on a quiet night, event time goes on once nothing is pending upstream.
     */
    @Test
    void afterARestartWithoutAnyInputDueTriggersFireAndTheLastWindowsAreSent(@TempDir Path checkpoints,
            @InjectClusterRESTAddress URI rest) throws Exception {
        long stage = 60_000;
        try (RunningEngine engine = new RunningEngine(KAFKA, "restore", checkpoints, 1, "--stages", stage + "ms")) {
            engine.createTopics(2);
            FlinkRest flink = new FlinkRest(rest);
            long t0 = System.currentTimeMillis();
            send(cartEvent(engine, "add_to_cart", "restore-1", t0));
            List<JobClient> jobs = List.of(engine.start(engine.ingest()), engine.start(engine.abandonment()), engine.start(engine.metrics()));
            engine.awaitInputProcessed(Duration.ofMinutes(2), engine.abandonment(), engine.metrics());
            for (JobClient job : jobs) {
                flink.awaitCheckpoints(job.getJobID().toString(), 1, Duration.ofMinutes(1));
                job.cancel().get();
            }
            assertTrue(System.currentTimeMillis() < t0 + stage, "stopped before the stage came due (a slow machine would make this test moot)");
            assertEquals(List.of(), engine.triggers("read_uncommitted"));

            long restartedAt = System.currentTimeMillis();
            jobs = List.of(engine.start(engine.ingest(), true), engine.start(engine.abandonment(), true), engine.start(engine.metrics(), true));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (engine.triggers("read_committed").isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the due stage never fired after the restart");
                Thread.sleep(500); // polling a condition
            }
            JsonNode trigger = engine.triggers("read_committed").get(0);
            assertEquals(t0 + stage, trigger.get("due_at").asLong());

            // A sliding hour that holds the add and ends after the restart: only the restarted job can have sent it.
            long minute = 60_000;
            long end = (restartedAt / minute + 1) * minute;
            String window = "all|all|" + (end - HOUR) + "|" + HOUR;
            deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            Map<String, JsonNode> latest;
            while (!(latest = MetricsComparison.latestPerKey(KAFKA.bootstrapServers(), engine.topic("conversion-metrics"))).containsKey(window)) {
                assertTrue(System.nanoTime() < deadline, "the last minutes were never sent after the restart: " + latest.keySet());
                Thread.sleep(500); // polling a condition
            }
            assertEquals(1, latest.get(window).get("add_to_carts").asLong());
            for (JobClient job : jobs) {
                job.cancel().get();
            }
        }
    }

    // ---- input -------------------------------------------------------------------------------

    private static SimulationModel model() {
        SimulationModel model = new SimulationModel().useSmallCatalog(); // the 12-category catalog this test was written against
        model.customers = 300;
        model.eventsPerSecond = 2;
        model.cartRate = 0.3;
        model.duplicateShare = 0.02;
        return model;
    }

    /** An hour of simulated shoppers from {@code start}, unkeyed, with Kafka timestamps at their send times; one phone 8 h fast. */
    private static void simulatedHour(RunningEngine engine, long start, List<ProducerRecord<byte[], byte[]>> records,
                                      List<ShopperEvent> accepted) throws Exception {
        ShopperSimulator simulator = new ShopperSimulator(model(), 17, start);
        RecordParser parser = Parsers.ingest();
        int n = 0;
        for (ShopperSimulator.Record r = simulator.next(); r.sendAt() < start + HOUR; r = simulator.next()) {
            add(engine, parser, r.topic(), r.sendAt(), n++ == 3_000 ? skewed(r.sendAt()) : r.value(), records, accepted);
        }
    }

    private static void add(RunningEngine engine, RecordParser parser, String topic, long sendAt, byte[] value,
                            List<ProducerRecord<byte[], byte[]>> records, List<ShopperEvent> accepted) {
        records.add(new ProducerRecord<>(engine.topic(topic), null, sendAt, null, value));
        ParsedRecord p = parser.parse(topic, 0, 0, sendAt, null, value);
        if (p.isAccepted()) {
            accepted.add(p.event);
        }
    }

    /** A view from a phone whose clock is 8 h ahead of the time the record reached Kafka. */
    private static byte[] skewed(long sentAt) throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.put("event_id", "skewed-1");
        m.put("customer_id", "c-skewed");
        m.put("event_time", sentAt + 8 * HOUR);
        return Contracts.JSON.writeValueAsBytes(m);
    }

    private static void send(ProducerRecord<byte[], byte[]> record) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            KafkaBroker.sendAll(producer, List.of(record));
        }
    }

    private static ProducerRecord<byte[], byte[]> cartEvent(RunningEngine engine, String type, String id, long time) throws Exception {
        Map<String, Object> m = MalformedInputCorpus.cartEvent();
        m.put("event_type", type);
        m.put("event_id", id);
        m.put("customer_id", "c-" + engine.name);
        m.put("event_time", time);
        m.put("consent", Map.of("personalization", true, "marketing", true));
        if (type.equals("purchase")) {
            m.remove("quantity");
            m.put("order_id", "o-" + id);
            m.put("value", 130.76);
            m.put("items", List.of(Map.of("product_id", m.get("product_id"), "price", 130.76, "quantity", 1)));
        }
        return new ProducerRecord<>(engine.topic("cart-events"), null, time, null, Contracts.JSON.writeValueAsBytes(m));
    }

    // ---- expected triggers --------------------------------------------------------------------

    /**
     * The same events through the abandonment function alone, in event-time order, each shopper's
     * repeats dropped, then event time to now: the triggers of an engine that saw everything in order.
     */
    static Map<String, JsonNode> inOrderTriggers(List<ShopperEvent> events, AbandonmentConfig config) throws Exception {
        List<ShopperEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(e -> e.eventTime));
        var h = new KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, AbandonmentMessage>(
                new CachingKeyedProcessOperator<>(new CartAbandonment(config)), new CustomerKey(), Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        Set<String> seen = new HashSet<>();
        for (ShopperEvent e : sorted) {
            if (seen.add(e.customerKey + "|" + e.eventId)) {
                h.processWatermark(e.eventTime - 1);
                h.processElement(e, e.eventTime);
            }
        }
        h.processWatermark(System.currentTimeMillis() - 60_000);
        JsonWriting json = new JsonWriting();
        Map<String, JsonNode> out = new TreeMap<>();
        for (AbandonmentMessage m : h.extractOutputValues()) {
            ObjectNode node = (ObjectNode) Contracts.JSON.readTree(AbandonmentWriter.write(json, m));
            node.remove("emitted_at");
            out.put(node.get("type").asText() + ":" + node.get("trigger_id").asText(), node);
        }
        h.close();
        return out;
    }

    /** Waits until the committed triggers have every expected key, then two more checkpoints, so that none can still be on its way. */
    private static Map<String, JsonNode> awaitTriggers(RunningEngine engine, FlinkRest flink, JobClient abandonment, Set<String> keys)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!byKey(engine.triggers("read_committed")).keySet().containsAll(keys) && System.nanoTime() < deadline) {
            Thread.sleep(500); // polling a condition
        }
        flink.awaitCheckpoints(abandonment.getJobID().toString(), 2, Duration.ofMinutes(1));
        List<JsonNode> all = engine.triggers("read_committed");
        Map<String, JsonNode> byKey = byKey(all);
        assertEquals(all.size(), byKey.size(), "no trigger twice");
        return byKey;
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> triggers) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode t : triggers) {
            out.put(t.get("type").asText() + ":" + t.get("trigger_id").asText(), t);
        }
        return out;
    }
}
