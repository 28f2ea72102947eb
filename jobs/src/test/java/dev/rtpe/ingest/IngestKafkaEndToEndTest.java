package dev.rtpe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.rtpe.common.KafkaRecords;
import dev.rtpe.devkit.ConsumerLag;
import dev.rtpe.devkit.TopicSnapshot;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.FlinkRest;
import dev.rtpe.testing.KafkaBroker;
import dev.rtpe.testing.MalformedInputCorpus;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.Rees46Fixture;
import dev.rtpe.testing.ShopperEventsTopic;
import dev.rtpe.testing.Rees46Fixture.RawEvent;

/**
 * The ingest job as deployed (Kafka source, RocksDB, checkpoints, Kafka sinks) against a real KRaft
 * broker: real shopper behaviour, producer retries and the malformed corpus go in; canonical events
 * and dead letters come out, all schema-valid.
 */
class IngestKafkaEndToEndTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    private static final String BROWSE = "browse-events";
    private static final String CART = "cart-events";
    private static final String EVENTS = "shopper-events";
    private static final String DEAD = "dead-letter";
    private static final String GROUP = "rtpe-ingest-e2e";

    @Test
    void rawEventsInCanonicalEventsAndDeadLettersOut(@InjectClusterRESTAddress URI rest) throws Exception {
        KAFKA.createTopics(BROWSE + ":2", CART + ":2", EVENTS + ":4", DEAD + ":1");
        List<RawEvent> shoppers = Rees46Fixture.events(BROWSE, CART);
        List<MalformedInputCorpus.Case> corpus = MalformedInputCorpus.cases();

        Map<String, MalformedInputCorpus.Case> caseBySource = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            KafkaBroker.sendAll(producer, shoppers.stream().map(IngestKafkaEndToEndTest::keyedByCustomer).collect(Collectors.toList()));
            List<ProducerRecord<byte[], byte[]>> bad = corpus.stream()
                    .map(c -> new ProducerRecord<byte[], byte[]>(c.topic(), c.value()))
                    .collect(Collectors.toList());
            List<RecordMetadata> where = KafkaBroker.sendAll(producer, bad);
            for (int i = 0; i < corpus.size(); i++) {
                caseBySource.put(sourceId(where.get(i).topic(), where.get(i).partition(), where.get(i).offset()), corpus.get(i));
            }
            // Producer retries: the same events again, which must not come out twice.
            KafkaBroker.sendAll(producer, shoppers.subList(0, 100).stream().map(IngestKafkaEndToEndTest::keyedByCustomer)
                    .collect(Collectors.toList()));
        }

        IngestConfig config = IngestConfig.fromArgs(
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--group-id", GROUP,
                "--checkpoint-interval", "1s", "--parallelism", "2");
        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(config.job);
        new IngestJob(config).build(env);
        JobClient job = env.executeAsync("ingest-e2e");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            // Offsets are committed when a checkpoint completes, after the sinks flushed: then all output is in Kafka.
            ConsumerLag.awaitZero(admin, GROUP, List.of(BROWSE, CART), Duration.ofMinutes(3));
        }

        List<ConsumerRecord<byte[], byte[]>> written = TopicSnapshot.read(KAFKA.bootstrapServers(), EVENTS, "read_uncommitted");
        assertCanonicalEvents(ShopperEventsTopic.eventsOnly(written), shoppers);
        assertTrue(written.stream().filter(ShopperEventsTopic::isWatermark).map(ConsumerRecord::partition).distinct().count() == 4,
                "ingest's watermarks reach every partition");
        assertEquals(List.of(), ShopperEventsTopic.eventsBehindTheirWatermark(written), "no event is late for the jobs downstream");
        assertDeadLetters(TopicSnapshot.read(KAFKA.bootstrapServers(), DEAD, "read_uncommitted"), caseBySource);
        assertCounters(rest, job, shoppers.size(), corpus);
        job.cancel().get();
    }

    /**
     * Only one of three input partitions gets data. Event time must still advance: the silent
     * partitions are marked idle instead of holding the watermark back forever.
     */
    @Test
    void idlePartitionsDoNotHoldBackEventTime() throws Exception {
        KAFKA.createTopics("wm-browse:2", "wm-cart:1");
        IngestConfig config = IngestConfig.fromArgs(
                "--bootstrap-servers", KAFKA.bootstrapServers(), "--group-id", "rtpe-ingest-wm",
                "--browse-topic", "wm-browse", "--cart-topic", "wm-cart",
                "--max-out-of-orderness", "0s", "--idle-timeout", "1s", "--parallelism", "1");
        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(config.job);
        WatermarkProbe.reset();
        IngestJob.readInputTopics(env, config)
                .process(new WatermarkProbe()).uid("wm-probe")
                .sinkTo(new dev.rtpe.testing.CollectingSink<>()).uid("wm-sink");
        JobClient job = env.executeAsync("ingest-watermarks");
        long start = java.time.Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            for (int i = 0; WatermarkProbe.highest() < start; i++) {
                assertTrue(System.nanoTime() < deadline, "watermark stuck at " + WatermarkProbe.highest());
                Map<String, Object> m = MalformedInputCorpus.browseEvent();
                m.put("event_id", "wm-" + i);
                m.put("event_time", start + i * 1000L);
                producer.send(new ProducerRecord<>("wm-browse", 0, null, Contracts.JSON.writeValueAsBytes(m))).get();
                Thread.sleep(100); // a steady trickle on one partition, while the others stay silent
            }
        }
        assertTrue(WatermarkProbe.highest() >= start);
        job.cancel().get();
    }

    /** Records the highest watermark seen by an operator right behind the source. */
    static final class WatermarkProbe extends org.apache.flink.streaming.api.functions.ProcessFunction<dev.rtpe.common.ParsedRecord, Long> {
        private static final java.util.concurrent.atomic.AtomicLong HIGHEST = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

        static void reset() {
            HIGHEST.set(Long.MIN_VALUE);
        }

        static long highest() {
            return HIGHEST.get();
        }

        @Override
        public void processElement(dev.rtpe.common.ParsedRecord r, Context ctx, org.apache.flink.util.Collector<Long> out) {
            HIGHEST.accumulateAndGet(ctx.timerService().currentWatermark(), Math::max);
        }
    }

    private static ProducerRecord<byte[], byte[]> keyedByCustomer(RawEvent e) {
        return new ProducerRecord<>(e.topic(), e.customerId().getBytes(StandardCharsets.UTF_8), e.json());
    }

    private static void assertCanonicalEvents(List<ConsumerRecord<byte[], byte[]>> records, List<RawEvent> shoppers) throws Exception {
        assertEquals(shoppers.size(), records.size(), "every valid event exactly once, retries dropped");
        Map<String, Integer> partitionOfCustomer = new HashMap<>();
        Map<String, List<String>> outOrder = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertEquals(List.of(), Contracts.violations(EVENTS, r.value()), new String(r.value(), StandardCharsets.UTF_8));
            JsonNode e = Contracts.JSON.readTree(r.value());
            String key = e.get("customer_key").asText();
            assertEquals(key, new String(r.key(), StandardCharsets.UTF_8), "Kafka key is the customer key");
            Integer before = partitionOfCustomer.putIfAbsent(key, r.partition());
            assertTrue(before == null || before == r.partition(), key + " spread over partitions " + before + " and " + r.partition());
            ids.add(e.get("event_id").asText());
            outOrder.computeIfAbsent(key + "|" + topicOf(e.get("event_type").asText()), k -> new ArrayList<>()).add(e.get("event_id").asText());
        }
        assertEquals(shoppers.stream().map(RawEvent::eventId).collect(Collectors.toSet()), ids);
        // Kafka orders records per input partition, so per customer and input topic the order must hold.
        Map<String, List<String>> inOrder = new LinkedHashMap<>();
        for (RawEvent e : shoppers) {
            inOrder.computeIfAbsent("c:" + e.customerId() + "|" + e.topic(), k -> new ArrayList<>()).add(e.eventId());
        }
        assertEquals(inOrder, outOrder);
    }

    private static String topicOf(String eventType) {
        return eventType.equals("view_item") ? BROWSE : CART;
    }

    private static void assertDeadLetters(List<ConsumerRecord<byte[], byte[]>> records, Map<String, MalformedInputCorpus.Case> caseBySource)
            throws Exception {
        assertEquals(caseBySource.size(), records.size(), "one dead letter per malformed record");
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertEquals(List.of(), Contracts.violations(DEAD, r.value()), new String(r.value(), StandardCharsets.UTF_8));
            JsonNode d = Contracts.JSON.readTree(r.value());
            JsonNode source = d.get("source");
            String id = sourceId(source.get("topic").asText(), source.get("partition").asInt(), source.get("offset").asLong());
            MalformedInputCorpus.Case c = caseBySource.get(id);
            assertNotNull(c, "dead letter for a record that was not malformed: " + id);
            assertEquals(c.expectedReason(), d.get("reason").asText(), c.name());
            assertEquals(c.expectedReason(), new String(r.headers().lastHeader(KafkaRecords.DeadLetters.REASON_HEADER).value(),
                    StandardCharsets.UTF_8));
            seen.add(id);
        }
        assertEquals(caseBySource.keySet(), seen);
    }

    /** The accepted, rejected-by-reason and duplicate counters as the Flink REST API (and Web UI) shows them. */
    private static void assertCounters(URI rest, JobClient job, int valid, List<MalformedInputCorpus.Case> corpus) throws Exception {
        Map<String, Long> rejected = new HashMap<>();
        corpus.forEach(c -> rejected.merge(c.expectedReason(), 1L, Long::sum));
        FlinkRest flink = new FlinkRest(rest);
        String jobId = job.getJobID().toString();
        flink.awaitMetric(jobId, ".acceptedEvents", valid + 100, Duration.ofMinutes(1));
        flink.awaitMetric(jobId, ".duplicateEvents", 100, Duration.ofMinutes(1));
        for (Map.Entry<String, Long> r : rejected.entrySet()) {
            flink.awaitMetric(jobId, ".reason." + r.getKey() + ".rejectedEvents", r.getValue(), Duration.ofMinutes(1));
        }
    }

    private static String sourceId(String topic, int partition, long offset) {
        return topic + "/" + partition + "@" + offset;
    }
}
