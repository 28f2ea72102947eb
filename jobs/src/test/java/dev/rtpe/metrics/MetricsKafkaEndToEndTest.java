package dev.rtpe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.rtpe.common.EventTime;
import dev.rtpe.common.EventType;
import dev.rtpe.common.JsonWriting;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.devkit.ConsumerLag;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.KafkaBroker;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.Parsers;
import dev.rtpe.testing.ShopperEventsTopic;

/**
 * Two hours of simulated shoppers and their hit-rate evaluations through a real Kafka broker and
 * the metrics job as deployed. Every window it emits must equal a plain recount of the same events
 * (sketch counts within their error), whether the input arrives in order or shuffled within the
 * out-of-orderness bound, with repeated events, late events and several currencies.
 */
class MetricsKafkaEndToEndTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    private static final long START = Instant.parse("2026-11-02T08:00:00Z").toEpochMilli();
    private static final long HOURS = 2;
    /** The out-of-orderness of the ingest this test stands in for: its watermark records trail the latest event by this much. */
    private static final long OUT_OF_ORDERNESS = EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS.toMillis();

    private static List<ShopperEvent> events;
    private static List<FunnelRecount.Evaluation> evaluations;
    private static MetricsComparison expected;
    private static MetricsConfig referenceConfig;

    @BeforeAll
    static void recount() {
        events = simulatedEvents();
        evaluations = evaluationsOf(FunnelRecount.distinct(events));
        referenceConfig = MetricsConfig.fromArgs();
        expected = MetricsComparison.of(events, evaluations, referenceConfig, cutoff());
        assertTrue(FunnelRecount.longestPauseWithinASession(events) < referenceConfig.sessionTimeout.toMillis(),
                "no session pauses beyond the session timeout, which the recount does not model");
    }

    @Test
    void everyWindowEqualsARecountOfTheSameEvents() throws Exception {
        assertTrue(events.size() > FunnelRecount.distinct(events).size(), "the input repeats some events");
        assertTrue(expected.expected().values().stream().anyMatch(w -> w.revenue.size() > 1), "some windows have two currencies");
        assertTrue(expected.expected().values().stream().anyMatch(w -> w.repeatOrders > 0), "some orders are repeats");
        assertTrue(expected.expected().values().stream().anyMatch(w -> w.bounces > 0 && w.bounces < w.sessionsStarted), "bounces and sessions");
        runAndCompare("ordered", sendOrder(events, 0, 1));
    }

    @Test
    void theSameWindowsWhenTheInputIsShuffledWithinTheOutOfOrdernessBound() throws Exception {
        long bound = OUT_OF_ORDERNESS - 1;
        runAndCompare("shuffled", sendOrder(events, bound, 2), false);
    }

    /**
     * The recommendations job behind (a restart, a broker outage it is slower to recover from): the
     * metrics job has read every shopper event before the first evaluation is written. Its event
     * time follows the recommendations job's watermark records, so it waits, and counts them all.
     * Before, event time went on without a silent evaluations input after an idle timeout, and the
     * evaluations that followed were too late for their minutes: lost.
     */
    @Test
    void evaluationsWrittenAfterEveryEventWasReadStillCount() throws Exception {
        runAndCompare("evaluations-behind", sendOrder(events, 0, 1), true);
    }

    private static void runAndCompare(String name, List<ShopperEvent> inOrder) throws Exception {
        runAndCompare(name, inOrder, false);
    }

    private static void runAndCompare(String name, List<ShopperEvent> inOrder, boolean evaluationsBehind) throws Exception {
        String eventsTopic = name + "-shopper-events";
        String evaluationsTopic = name + "-rec-evaluations";
        String metricsTopic = name + "-conversion-metrics";
        KAFKA.createTopics(eventsTopic + ":2", evaluationsTopic + ":2", metricsTopic + ":2", name + "-dead-letter:1");
        sendEvents(eventsTopic, inOrder);
        if (!evaluationsBehind) {
            sendEvaluations(evaluationsTopic, inOrder);
        }
        MetricsConfig config = MetricsConfig.fromArgs("--bootstrap-servers", KAFKA.bootstrapServers(), "--events-topic", eventsTopic,
                "--evaluations-topic", evaluationsTopic, "--metrics-topic", metricsTopic, "--dead-letter-topic", name + "-dead-letter",
                "--group-id", name, "--parallelism", "2", "--checkpoint-interval", "2s");
        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(config.job);
        new MetricsJob(config).build(env);
        JobClient job = env.executeAsync("metrics-" + name);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            if (evaluationsBehind) {
                ConsumerLag.awaitZero(admin, name, List.of(eventsTopic), Duration.ofMinutes(3));
                sendEvaluations(evaluationsTopic, inOrder);
            }
            ConsumerLag.awaitZero(admin, name, List.of(eventsTopic, evaluationsTopic), Duration.ofMinutes(3));
        }
        List<String> differences = expected.awaitEqual(KAFKA.bootstrapServers(), metricsTopic, 5, Duration.ofMinutes(2));
        Map<String, JsonNode> latest = MetricsComparison.latestPerKey(KAFKA.bootstrapServers(), metricsTopic);
        job.cancel().get();
        assertEquals(List.of(), differences.subList(0, Math.min(20, differences.size())), differences.size() + " differences");

        List<Double> errors = new ArrayList<>();
        for (Map.Entry<String, FunnelRecount.Window> e : expected.expected().entrySet()) {
            errors.addAll(FunnelRecount.relativeErrors(e.getValue(), latest.get(e.getKey())));
        }
        double threeSigma = 3 * FunnelRecount.standardError(config.sketchLgK);
        long within = errors.stream().filter(x -> x <= threeSigma).count();
        assertTrue(within >= 0.99 * errors.size(), within + " of " + errors.size() + " estimates within 3 standard errors");
    }

    // ---- the input ------------------------------------------------------------------------

    /** Windows that close well before the marker event at the end. */
    private static long cutoff() {
        return START + Duration.ofHours(HOURS).toMillis() + Duration.ofMinutes(75).toMillis();
    }

    /**
     * Simulated shoppers, canonical as ingest writes them, repeats included; a quarter of the orders
     * in EUR; and a last event three hours later, whose watermark closes every window before it.
     */
    private static List<ShopperEvent> simulatedEvents() {
        SimulationModel model = new SimulationModel().useSmallCatalog(); // the 12-category catalog this test was written against
        model.customers = 300;
        model.eventsPerSecond = 2;
        model.cartRate = 0.25;
        model.malformedShare = 0;
        model.duplicateShare = 0.02;
        ShopperSimulator simulator = new ShopperSimulator(model, 11, START);
        long[] ingestClock = {START};
        var parser = Parsers.ingest(() -> ingestClock[0]);
        List<ShopperEvent> out = new ArrayList<>();
        int orders = 0;
        for (ShopperSimulator.Record r = simulator.next(); r.sendAt() < START + Duration.ofHours(HOURS).toMillis(); r = simulator.next()) {
            ingestClock[0] = r.sendAt(); // ingest reads each record as it is sent
            ParsedRecord p = parser.parse(r.topic(), 0, 0, 0, null, r.value());
            assertTrue(p.isAccepted(), String.valueOf(p));
            ShopperEvent e = p.event;
            if (e.eventType == EventType.PURCHASE && orders++ % 4 == 3) {
                e.currency = "EUR";
            }
            out.add(e);
        }
        ShopperEvent marker = FunnelRecount.distinct(out).get(0);
        ShopperEvent last = new ShopperEvent();
        last.eventId = "marker";
        last.eventType = EventType.VIEW_ITEM;
        last.eventTime = START + Duration.ofHours(HOURS + 3).toMillis();
        last.customerKey = "c:marker";
        last.customerId = "marker";
        last.sessionId = "marker";
        last.channel = marker.channel;
        last.productId = "p-marker";
        last.ingestedAt = last.eventTime;
        out.add(last);
        return out;
    }

    /**
     * The order events reach Kafka in: by event time, each moved by up to {@code jitter} ms, and one
     * event in a hundred held back 1 to 4 minutes (late, but within the allowed lateness).
     */
    private static List<ShopperEvent> sendOrder(List<ShopperEvent> events, long jitter, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<ShopperEvent, Long> sendAt = new LinkedHashMap<>();
        for (ShopperEvent e : events) {
            long at = e.eventTime + (jitter > 0 ? random.nextLong(jitter + 1) : 0);
            if (!e.eventId.equals("marker") && random.nextInt(100) == 0) {
                at += 60_000 + random.nextLong(180_000);
            }
            sendAt.put(e, at);
        }
        List<ShopperEvent> ordered = new ArrayList<>(events);
        ordered.sort(Comparator.comparingLong(sendAt::get));
        return ordered;
    }

    /** Evaluations for some views, adds to cart and orders: a tenth are hits, some records repeat, some lists are not evaluated. */
    private static List<FunnelRecount.Evaluation> evaluationsOf(List<ShopperEvent> events) {
        List<FunnelRecount.Evaluation> out = new ArrayList<>();
        for (ShopperEvent e : events) {
            boolean touches = e.eventType == EventType.VIEW_ITEM || e.eventType == EventType.ADD_TO_CART || e.eventType == EventType.PURCHASE;
            int h = Math.floorMod(e.eventId.hashCode(), 100);
            if (touches && h < 60 && !e.eventId.equals("marker")) {
                String category = e.category != null ? e.category : e.items != null ? e.items[0].category : null;
                out.add(new FunnelRecount.Evaluation(e.customerKey, e.eventId, e.eventTime, e.channel.wireName, category, h % 10 == 0));
            }
        }
        return out;
    }

    private static long lastWatermark(List<ShopperEvent> inOrder) {
        return inOrder.stream().mapToLong(e -> e.eventTime).max().getAsLong() - OUT_OF_ORDERNESS;
    }

    private static void sendEvents(String eventsTopic, List<ShopperEvent> inOrder) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            KafkaBroker.sendAll(producer, ShopperEventsTopic.records(eventsTopic, 2, inOrder, OUT_OF_ORDERNESS, lastWatermark(inOrder)));
        }
    }

    /**
     * The evaluations as the recommendations job writes them, some twice (at-least-once output), with
     * its watermark records after every few, and a last one where the events' ends.
     */
    private static void sendEvaluations(String evaluationsTopic, List<ShopperEvent> inOrder) throws Exception {
        JsonWriting json = new JsonWriting();
        Map<String, FunnelRecount.Evaluation> byEvent = new HashMap<>();
        evaluations.forEach(h -> byEvent.put(h.eventId(), h));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long max = Long.MIN_VALUE;
        int n = 0;
        for (ShopperEvent e : inOrder) {
            max = Math.max(max, e.eventTime);
            FunnelRecount.Evaluation h = byEvent.get(e.eventId);
            if (h != null) {
                byte[] value = evaluationRecord(json, h);
                records.add(new ProducerRecord<>(evaluationsTopic, e.customerKey.getBytes(StandardCharsets.UTF_8), value));
                if (n % 29 == 0) {
                    records.add(new ProducerRecord<>(evaluationsTopic, e.customerKey.getBytes(StandardCharsets.UTF_8), value));
                }
            }
            if (++n % 20 == 0) {
                records.addAll(ShopperEventsTopic.watermarks(evaluationsTopic, 2, max - OUT_OF_ORDERNESS));
            }
        }
        records.addAll(ShopperEventsTopic.watermarks(evaluationsTopic, 2, lastWatermark(inOrder)));
        assertEquals(List.of(), Contracts.violations("rec-evaluations", records.get(0).value()));
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            KafkaBroker.sendAll(producer, records);
        }
    }

    private static byte[] evaluationRecord(JsonWriting json, FunnelRecount.Evaluation h) {
        return json.object(g -> {
            g.writeStringField("record_type", "evaluation");
            g.writeNumberField("schema_version", 1);
            g.writeStringField("producer", "recommendations");
            g.writeStringField("customer_key", h.customerKey());
            g.writeStringField("event_id", h.eventId());
            g.writeNumberField("event_time", h.eventTime());
            g.writeStringField("channel", h.channel());
            if (h.category() != null) {
                g.writeStringField("category", h.category());
            }
            g.writeBooleanField("hit_at_10", h.hit());
            g.writeNumberField("generated_at", h.eventTime() + 20);
        });
    }
}
