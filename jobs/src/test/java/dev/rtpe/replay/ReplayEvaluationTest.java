package dev.rtpe.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.rtpe.abandonment.AbandonmentConfig;
import dev.rtpe.abandonment.AbandonmentJob;
import dev.rtpe.common.EngineJob;
import dev.rtpe.common.JobSettings;
import dev.rtpe.devkit.ConsumerLag;
import dev.rtpe.devkit.TopicCoverage;
import dev.rtpe.devkit.TopicSnapshot;
import dev.rtpe.ingest.IngestConfig;
import dev.rtpe.ingest.IngestJob;
import dev.rtpe.metrics.MetricsConfig;
import dev.rtpe.metrics.MetricsJob;
import dev.rtpe.recommendations.RecommendationsConfig;
import dev.rtpe.recommendations.RecommendationsJob;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.FlinkRest;
import dev.rtpe.testing.KafkaBroker;
import dev.rtpe.testing.MiniClusters;

/**
 * A small replay through a real broker and all four jobs, as {@code scripts/evaluate.sh} runs it:
 * a file of simulated shoppers' events is read, replayed and processed, and the evaluation's
 * numbers must equal the same numbers computed here, directly from the file and the topics.
 */
class ReplayEvaluationTest {
    /** The broker of the replay under way: each replay gets a fresh one. */
    private static KafkaBroker kafka;
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.slots(4);


    private static final String[] TOPICS = {"browse-events:1", "cart-events:1", "shopper-events:1", "recommendations:1:compact", "rec-evaluations:1",
        "product-recommendations:1:compact", "catalog:1:compact", "cart-abandonment-triggers:1", "conversion-metrics:1", "dead-letter:1"};

    /** What one replay gave: the evaluation, and the topics it was made from. */
    private record Run(Evaluation evaluation, List<ConsumerRecord<byte[], byte[]>> listRecords, List<byte[]> triggers) {}

    /** One replay as evaluate.sh runs it, on a fresh broker. */
    private static Run evaluate(Dataset data, URI rest) throws Exception {
        kafka = new KafkaBroker();
        kafka.beforeAll(null);
        try {
            kafka.createTopics(TOPICS);
            Replay.run(data.events, new Replay.Target(kafka.bootstrapServers(), "browse-events", "cart-events",
                    Double.POSITIVE_INFINITY), (s, t, r) -> { });
            List<JobClient> jobs = startJobs();
            awaitProcessed(new FlinkRest(rest), jobs.get(2));
            List<ConsumerRecord<byte[], byte[]>> listRecords = TopicSnapshot.read(kafka.bootstrapServers(), "recommendations", "read_uncommitted");
            List<byte[]> triggers = values("cart-abandonment-triggers", "read_committed");
            List<byte[]> metrics = values("conversion-metrics", "read_uncommitted");
            for (JobClient job : jobs) {
                job.cancel().get();
            }
            List<Evaluation.ListRecord> lists = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : listRecords) {
                lists.add(Evaluation.ListRecord.parse(r.value()));
            }
            return new Run(Evaluation.of(data.events, lists, triggers, metrics), listRecords, triggers);
        } finally {
            kafka.afterAll(null);
        }
    }

    @Test
    void twoReplaysOfTheSameFileGiveTheSameNumbers(@TempDir Path dir, @InjectClusterRESTAddress URI rest) throws Exception {
        Dataset data = Dataset.read(new JsonLinesFormat(), simulatedFile(dir.resolve("events.jsonl")), 0, Duration.ofMinutes(30), bytes -> { });
        Evaluation first = evaluate(data, rest).evaluation();
        Evaluation second = evaluate(data, rest).evaluation();
        assertTrue(first.engine.evaluations() > 1_000, first.table());
        assertEquals(first.json(), second.json(), "first:\n" + first.table() + "\nsecond:\n" + second.table());
    }

    @Test
    void evaluationNumbersEqualADirectRecount(@TempDir Path dir, @InjectClusterRESTAddress URI rest) throws Exception {
        Path file = simulatedFile(dir.resolve("events.jsonl"));
        List<JsonNode> lines = readLines(file);

        Dataset data = Dataset.read(new JsonLinesFormat(), file, 0, Duration.ofMinutes(30), bytes -> { });
        assertEquals(lines.size(), data.events.size(), "every simulated line is a valid event");
        Run run = evaluate(data, rest);
        Evaluation evaluation = run.evaluation();
        List<ConsumerRecord<byte[], byte[]>> listRecords = run.listRecords();
        List<byte[]> triggers = run.triggers();

        Recount expected = new Recount(lines, listRecords, triggers);
        assertEquals(lines.size(), evaluation.events);
        assertEquals(expected.evaluations, evaluation.engine.evaluations(), "events the engine scored");
        assertEquals(expected.engineHits, evaluation.engine.hits());
        assertEquals(expected.engineReciprocalRanks, evaluation.engine.reciprocalRankSum(), 1e-9);
        assertEquals(0, evaluation.protocolMismatches, "the engine's hit_at_10 agrees with its previous list");
        assertArrayEquals(expected.baseline(Recount::popularSoFar), new double[] {evaluation.popularity.hits(),
                evaluation.popularity.reciprocalRankSum()}, 1e-9, "popularity so far: hits, reciprocal ranks");
        assertArrayEquals(expected.baseline(Recount::recentlyViewed), new double[] {evaluation.recentlyViewed.hits(),
                evaluation.recentlyViewed.reciprocalRankSum()}, 1e-9, "recently viewed: hits, reciprocal ranks");
        assertArrayEquals(expected.baseline(Recount::coVisitation), new double[] {evaluation.coVisitation.hits(),
                evaluation.coVisitation.reciprocalRankSum()}, 1e-9, "co-visitation: hits, reciprocal ranks");
        assertEquals(expected.productsInData, evaluation.productsInData);
        assertEquals(expected.productsRecommended, evaluation.productsRecommended);
        assertEquals(expected.triggerCount("cart_abandoned"), evaluation.triggers);
        assertEquals(expected.triggerCount("cart_recovered"), evaluation.recoveries);
        assertTrue(evaluation.triggers > 0, "the short stages fire within the replayed hour");
        long to = Instant.parse((String) evaluation.funnel.get("to")).toEpochMilli();
        assertEquals(expected.countBefore("view_item", to), evaluation.funnel.get("product_views"), "views in the emitted minutes");
        assertEquals(expected.countBefore("purchase", to), evaluation.funnel.get("orders"), "orders in the emitted minutes");

        assertTrue(evaluation.engine.hitRate() > evaluation.popularity.hitRate(), evaluation.table());
        assertTrue(evaluation.engine.hitRate() > evaluation.recentlyViewed.hitRate(), evaluation.table());
    }

    /** An hour of simulated shoppers (no malformed or repeated records), as JSON lines. */
    private static Path simulatedFile(Path file) throws Exception {
        SimulationModel model = new SimulationModel().useSmallCatalog(); // the 12-category catalog this test was written against
        model.eventsPerSecond = 2;
        model.malformedShare = 0;
        model.duplicateShare = 0;
        long start = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
        ShopperSimulator simulator = new ShopperSimulator(model, 11, start);
        StringBuilder out = new StringBuilder();
        for (ShopperSimulator.Record r = simulator.next(); r.sendAt() < start + Duration.ofHours(1).toMillis(); r = simulator.next()) {
            out.append(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(file, out);
        return file;
    }

    private static List<JsonNode> readLines(Path file) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(Contracts.JSON.readTree(line));
        }
        return lines;
    }

    private static List<JobClient> startJobs() throws Exception {
        String[] common = {"--bootstrap-servers", kafka.bootstrapServers(), "--checkpoint-interval", "1s", "--parallelism", "1"};
        List<EngineJob> engine = List.of(
                // Event time only from the data, as scripts/evaluate.sh runs it, so the numbers are the same every time.
                new IngestJob(IngestConfig.fromArgs(with(common, "--quiet-clock", "false"))),
                new RecommendationsJob(RecommendationsConfig.fromArgs(with(common, "--event-order", "event-time"))),
                new AbandonmentJob(AbandonmentConfig.fromArgs(with(common, "--stages", "2min,10min"))),
                new MetricsJob(MetricsConfig.fromArgs(common)));
        List<JobClient> clients = new ArrayList<>();
        for (EngineJob job : engine) {
            JobSettings settings = job.settings();
            StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(settings);
            job.build(env);
            clients.add(env.executeAsync(job.name()));
        }
        return clients;
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    /** Every job committed its input; then two more abandonment checkpoints commit its last triggers. */
    private static void awaitProcessed(FlinkRest flink, JobClient abandonment) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Duration timeout = Duration.ofMinutes(5);
            ConsumerLag.awaitChain(admin, List.of(new ConsumerLag.Stage("rtpe-ingest", List.of("browse-events", "cart-events")),
                    new ConsumerLag.Stage("rtpe-recommendations", List.of("shopper-events")),
                    new ConsumerLag.Stage("rtpe-abandonment", List.of("shopper-events")),
                    new ConsumerLag.Stage("rtpe-metrics", List.of("shopper-events", "rec-evaluations"))), timeout);
            // The last lists come once the recommendations job's input has been idle a while; then metrics reads them.
            TopicCoverage.await(kafka.bootstrapServers(), "shopper-events", ReplayEnd::eventId, "recommendations", ReplayEnd::causeEventId,
                    timeout);
            ConsumerLag.awaitChain(admin, List.of(new ConsumerLag.Stage("rtpe-metrics", List.of("shopper-events", "rec-evaluations"))),
                    timeout);
        }
        String path = "/jobs/" + abandonment.getJobID() + "/checkpoints";
        long target = flink.get(path).path("counts").path("completed").asLong() + 2;
        while (flink.get(path).path("counts").path("completed").asLong() < target) {
            Thread.sleep(100); // polling a condition
        }
    }

    private static List<byte[]> values(String topic, String isolation) throws Exception {
        return TopicSnapshot.read(kafka.bootstrapServers(), topic, isolation).stream().map(ConsumerRecord::value)
                .collect(Collectors.toList());
    }

    /** The numbers, computed the plain way: whole scans instead of running structures. */
    static final class Recount {
        /** Events in replay order (by event time, file order on ties), as JSON. */
        final List<JsonNode> events;
        final Set<String> evaluated = new HashSet<>();
        long evaluations;
        long engineHits;
        double engineReciprocalRanks;
        final long productsInData;
        final long productsRecommended;
        private final List<byte[]> triggers;

        Recount(List<JsonNode> lines, List<ConsumerRecord<byte[], byte[]>> lists, List<byte[]> triggers) throws Exception {
            this.events = new ArrayList<>(lines);
            events.sort((a, b) -> Long.compare(time(a), time(b)));
            this.triggers = triggers;
            Map<String, JsonNode> byId = new HashMap<>();
            Set<String> products = new HashSet<>();
            for (JsonNode e : events) {
                byId.put(e.get("event_id").asText(), e);
                products.addAll(products(e));
            }
            productsInData = products.size();
            Set<String> recommended = new HashSet<>();
            Map<String, List<String>> lastList = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : lists) {
                JsonNode list = Contracts.JSON.readTree(r.value());
                List<String> items = new ArrayList<>();
                list.get("items").forEach(i -> items.add(i.get("product_id").asText()));
                recommended.addAll(items);
                String customer = list.get("customer_key").asText();
                List<String> previous = lastList.put(customer, items);
                JsonNode hit = list.get("hit_at_10");
                if (hit != null && !hit.isNull()) {
                    String id = list.get("cause").get("event_id").asText();
                    evaluated.add(id);
                    evaluations++;
                    if (hit.asBoolean()) {
                        engineHits++;
                        engineReciprocalRanks += 1.0 / rankIn(previous, products(byId.get(id)));
                    }
                }
            }
            productsRecommended = recommended.size();
        }

        /** Hits and reciprocal-rank sum of a baseline over the engine's evaluated events. */
        double[] baseline(java.util.function.BiFunction<Recount, Integer, List<String>> listBefore) {
            double hits = 0;
            double rr = 0;
            for (int i = 0; i < events.size(); i++) {
                if (evaluated.contains(events.get(i).get("event_id").asText())) {
                    int rank = rankIn(listBefore.apply(this, i), products(events.get(i)));
                    hits += rank > 0 ? 1 : 0;
                    rr += rank > 0 ? 1.0 / rank : 0;
                }
            }
            return new double[] {hits, rr};
        }

        /** The 10 products most touched before event i, most first, then by id. */
        List<String> popularSoFar(int i) {
            Map<String, Long> counts = new HashMap<>();
            for (JsonNode e : events.subList(0, i)) {
                products(e).forEach(p -> counts.merge(p, 1L, Long::sum));
            }
            return counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(Evaluation.K).map(Map.Entry::getKey).collect(Collectors.toList());
        }

        /** The shopper's last 10 distinct products before event i, latest first. */
        List<String> recentlyViewed(int i) {
            return lastDistinct(i, 0, Evaluation.K);
        }

        /** The last n distinct products of event i's shopper before the product at index k of event i, latest first. */
        List<String> lastDistinct(int i, int k, int n) {
            String shopper = shopper(events.get(i));
            LinkedHashMap<String, Boolean> recent = new LinkedHashMap<>();
            List<String> own = products(events.get(i));
            for (int m = k - 1; m >= 0 && recent.size() < n; m--) {
                recent.putIfAbsent(own.get(m), true);
            }
            for (int j = i - 1; j >= 0 && recent.size() < n; j--) {
                if (shopper(events.get(j)).equals(shopper)) {
                    List<String> ps = products(events.get(j));
                    for (int m = ps.size() - 1; m >= 0 && recent.size() < n; m--) {
                        recent.putIfAbsent(ps.get(m), true);
                    }
                }
            }
            return new ArrayList<>(recent.keySet());
        }

        /**
         * Co-visitation before event i: over the shopper's last 5 distinct products (weights 60 / 1,
         * 60 / 2, …, 60 / 5, latest first), the sum of weight × times another product was touched
         * after it, best first, then by id; filled with {@link #popularSoFar}.
         */
        List<String> coVisitation(int i) {
            List<String> window = lastDistinct(i, 0, 5);
            Map<String, Long> scores = new HashMap<>();
            for (int w = 0; w < window.size(); w++) {
                long weight = 60 / (w + 1);
                followersBefore(window.get(w), i).forEach((b, count) -> scores.merge(b, weight * count, Long::sum));
            }
            List<String> list = scores.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(Evaluation.K).map(Map.Entry::getKey).collect(Collectors.toList());
            for (String p : popularSoFar(i)) {
                if (list.size() < Evaluation.K && !list.contains(p)) {
                    list.add(p);
                }
            }
            return list;
        }

        /**
         * How many times each product was touched after a (a among that shopper's last 5 distinct
         * products before the touch) in events before i, replayed from the first: a full product
         * drops its least counted one, the greatest id of those, for a new one.
         */
        Map<String, Long> followersBefore(String a, int i) {
            Map<String, Long> counts = new HashMap<>();
            for (Follower f : followers().getOrDefault(a, List.of())) {
                if (f.event() >= i) {
                    break;
                }
                if (!counts.containsKey(f.product()) && counts.size() == Evaluation.CO_VISITATION_NEIGHBOURS) {
                    String weakest = null;
                    for (Map.Entry<String, Long> c : counts.entrySet()) {
                        if (weakest == null || c.getValue() < counts.get(weakest)
                                || c.getValue().equals(counts.get(weakest)) && c.getKey().compareTo(weakest) > 0) {
                            weakest = c.getKey();
                        }
                    }
                    counts.remove(weakest);
                }
                counts.merge(f.product(), 1L, Long::sum);
            }
            return counts;
        }

        record Follower(int event, String product) {}

        private Map<String, List<Follower>> followers;

        /** For each product a, every later touch of another product by a shopper with a among their last 5, in replay order. */
        Map<String, List<Follower>> followers() {
            if (followers == null) {
                followers = new HashMap<>();
                for (int j = 0; j < events.size(); j++) {
                    List<String> ps = products(events.get(j));
                    for (int k = 0; k < ps.size(); k++) {
                        for (String a : lastDistinct(j, k, 5)) {
                            if (!a.equals(ps.get(k))) {
                                followers.computeIfAbsent(a, x -> new ArrayList<>()).add(new Follower(j, ps.get(k)));
                            }
                        }
                    }
                }
            }
            return followers;
        }

        long triggerCount(String type) throws Exception {
            Set<String> ids = new HashSet<>();
            for (byte[] t : triggers) {
                JsonNode n = Contracts.JSON.readTree(t);
                if (n.get("type").asText().equals(type)) {
                    ids.add(n.get("trigger_id").asText());
                }
            }
            return ids.size();
        }

        long countBefore(String type, long end) {
            return events.stream().filter(e -> e.get("event_type").asText().equals(type) && time(e) < end).count();
        }

        static List<String> products(JsonNode e) {
            String type = e.get("event_type").asText();
            List<String> ps = new ArrayList<>();
            if (type.equals("purchase")) {
                e.get("items").forEach(i -> ps.add(i.get("product_id").asText()));
            } else if (Set.of("view_item", "add_to_wishlist", "add_to_cart").contains(type)) {
                ps.add(e.get("product_id").asText());
            }
            return ps;
        }

        static int rankIn(List<String> list, List<String> products) {
            for (int i = 0; list != null && i < Math.min(Evaluation.K, list.size()); i++) {
                if (products.contains(list.get(i))) {
                    return i + 1;
                }
            }
            return 0;
        }

        static String shopper(JsonNode e) {
            JsonNode c = e.get("customer_id");
            return c != null && !c.isNull() ? "c:" + c.asText() : "a:" + e.get("anonymous_id").asText();
        }

        static long time(JsonNode e) {
            JsonNode t = e.get("event_time");
            return t.isNumber() ? t.asLong() : Instant.parse(t.asText()).toEpochMilli();
        }
    }
}
