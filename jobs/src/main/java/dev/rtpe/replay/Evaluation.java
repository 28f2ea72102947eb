package dev.rtpe.replay;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/**
 * The numbers of an evaluation, from the replayed events and what the jobs wrote. The engine is
 * scored under its own hit-rate protocol (README, "Hit rate @10"); the baselines are scored on
 * exactly the events the engine was scored on, with lists made from the events before each one:
 * item-to-item co-visitation ({@link CoVisitation}: what shoppers touched after the shopper's last
 * 5 distinct products, recency-weighted, filled with popularity so far), popularity so far
 * ({@link Popularity}) and the shopper's recently viewed products ({@link RecentlyViewed}).
 */
public final class Evaluation {
    public static final int K = 10;
    /** Counts kept per product by the co-visitation baseline. */
    static final int CO_VISITATION_NEIGHBOURS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hit rate and MRR of one recommender over the evaluated events. */
    public record Score(long evaluations, long hits, double reciprocalRankSum) {
        public double hitRate() {
            return evaluations == 0 ? 0 : (double) hits / evaluations;
        }

        public double mrr() {
            return evaluations == 0 ? 0 : reciprocalRankSum / evaluations;
        }
    }

    /**
     * Hits counted by rank, and the reciprocal ranks summed from those counts at the end, always in
     * rank order: a running sum of 1/rank would depend on the order the lists arrive in, which
     * differs between runs, in its last bits.
     */
    static final class Ranks {
        private final long[] hitsAt = new long[K + 1];
        /** Hits without a rank to credit: the engine's verdict where no rank was found here (a protocol mismatch). */
        private long unranked;

        /** A 1-based rank, or 0 for a miss. */
        void add(int rank) {
            hitsAt[rank]++;
        }

        void addUnranked() {
            unranked++;
        }

        Score score(long evaluations) {
            long hits = unranked;
            double rr = 0;
            for (int r = 1; r <= K; r++) {
                hits += hitsAt[r];
                rr += (double) hitsAt[r] / r;
            }
            return new Score(evaluations, hits, rr);
        }
    }

    /** One {@code recommendations} record, as far as the evaluation needs it. */
    public record ListRecord(String customerKey, String causeEventId, Boolean hitAt10, List<String> productIds) {
        public static ListRecord parse(byte[] json) throws IOException {
            JsonNode n = JSON.readTree(json);
            List<String> products = new ArrayList<>();
            n.path("items").forEach(item -> products.add(item.path("product_id").asText()));
            JsonNode hit = n.get("hit_at_10");
            return new ListRecord(n.path("customer_key").asText(), n.path("cause").path("event_id").asText(),
                    hit == null || hit.isNull() ? null : hit.asBoolean(), products);
        }
    }

    public final long events;
    public final Score engine;
    /** Evaluated events where the engine's own verdict and the rank found here disagree (expected 0). */
    public final long protocolMismatches;
    public final long productsInData;
    public final long productsRecommended;
    public final Score coVisitation;
    public final Score popularity;
    public final Score recentlyViewed;
    public final long triggers;
    public final long recoveries;
    public final Map<String, Object> funnel;

    private Evaluation(long events, Score engine, long protocolMismatches, long productsInData, long productsRecommended,
                       Score coVisitation, Score popularity, Score recentlyViewed, long triggers, long recoveries, Map<String, Object> funnel) {
        this.events = events;
        this.engine = engine;
        this.protocolMismatches = protocolMismatches;
        this.productsInData = productsInData;
        this.productsRecommended = productsRecommended;
        this.coVisitation = coVisitation;
        this.popularity = popularity;
        this.recentlyViewed = recentlyViewed;
        this.triggers = triggers;
        this.recoveries = recoveries;
        this.funnel = funnel;
    }

    public double catalogCoverage() {
        return productsInData == 0 ? 0 : (double) productsRecommended / productsInData;
    }

    /**
     * @param lists {@code recommendations} in the order of their partitions (a customer's lists in
     *     the order they were made)
     * @param triggers {@code cart-abandonment-triggers} values, read committed
     * @param metrics {@code conversion-metrics} values, in topic order
     */
    public static Evaluation of(List<ShopperEvent> events, List<ListRecord> lists, List<byte[]> triggers, List<byte[]> metrics)
            throws IOException {
        Map<String, ShopperEvent> byId = new HashMap<>(events.size() * 2);
        Set<String> productsInData = new HashSet<>();
        for (ShopperEvent e : events) {
            byId.put(e.eventId, e);
            productsInData.addAll(productsOf(e));
        }
        EngineScore engine = scoreEngine(lists, byId);
        Set<String> recommended = new HashSet<>();
        lists.forEach(l -> recommended.addAll(l.productIds()));
        Score[] baselines = scoreBaselines(events, engine.evaluated, baselines());
        long[] triggerCounts = countTriggers(triggers);
        return new Evaluation(events.size(), engine.score, engine.mismatches, productsInData.size(), recommended.size(),
                baselines[0], baselines[1], baselines[2], triggerCounts[0], triggerCounts[1], funnel(metrics));
    }

    /** The products an event is about, for the hit rate: the viewed, wished or carted one, or an order's lines. */
    static List<String> productsOf(ShopperEvent e) {
        if (e.eventType == EventType.PURCHASE) {
            List<String> ids = new ArrayList<>(e.items.length);
            for (LineItem item : e.items) {
                ids.add(item.productId);
            }
            return ids;
        }
        boolean aboutAProduct = e.eventType == EventType.VIEW_ITEM || e.eventType == EventType.ADD_TO_WISHLIST
                || e.eventType == EventType.ADD_TO_CART;
        return aboutAProduct && e.productId != null ? List.of(e.productId) : List.of();
    }

    /** 1-based rank of the best-placed product of the event in the first K of the list; 0 when none is. */
    static int rank(List<String> list, List<String> products) {
        for (int i = 0; i < Math.min(K, list.size()); i++) {
            if (products.contains(list.get(i))) {
                return i + 1;
            }
        }
        return 0;
    }

    private record EngineScore(Score score, long mismatches, Set<String> evaluated) {}

    /** The engine's verdicts (hit_at_10), and their rank in the customer's previous list for MRR. */
    private static EngineScore scoreEngine(List<ListRecord> lists, Map<String, ShopperEvent> byId) {
        Map<String, List<String>> previous = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Set<String> evaluated = new HashSet<>();
        long mismatches = 0;
        Ranks ranks = new Ranks();
        for (ListRecord l : lists) {
            if (!seen.add(l.causeEventId())) {
                continue; // sent again after a restart (at-least-once)
            }
            List<String> before = previous.put(l.customerKey(), l.productIds());
            ShopperEvent e = byId.get(l.causeEventId());
            if (l.hitAt10() == null || e == null) {
                continue;
            }
            evaluated.add(l.causeEventId());
            int r = before == null ? 0 : rank(before, productsOf(e));
            if ((r > 0) != l.hitAt10()) {
                mismatches++;
            }
            if (l.hitAt10() && r == 0) {
                ranks.addUnranked(); // the engine's verdict decides the hit; the mismatch is counted above
            } else {
                ranks.add(l.hitAt10() ? r : 0);
            }
        }
        return new EngineScore(ranks.score(evaluated.size()), mismatches, evaluated);
    }

    /** The baselines, in the order of {@link #scoreBaselines}'s scores. */
    private static List<Baseline> baselines() {
        return List.of(new CoVisitation(CO_VISITATION_NEIGHBOURS), new Popularity(), new RecentlyViewed(K));
    }

    /** Each baseline's list before each evaluated event, scored on it; then every baseline learns the event. */
    static Score[] scoreBaselines(List<ShopperEvent> events, Set<String> evaluated, List<Baseline> baselines) {
        Ranks[] ranks = new Ranks[baselines.size()];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = new Ranks();
        }
        long n = 0;
        Set<String> applied = new HashSet<>();
        for (ShopperEvent e : events) {
            if (!applied.add(e.eventId)) {
                continue; // a repeated event, which ingest drops too
            }
            String shopper = ShopperEvent.customerKeyOf(e.customerId, e.anonymousId);
            List<String> products = productsOf(e);
            if (evaluated.contains(e.eventId)) {
                n++;
                for (int i = 0; i < baselines.size(); i++) {
                    ranks[i].add(rank(baselines.get(i).top(shopper, K), products));
                }
            }
            for (Baseline b : baselines) {
                b.learn(shopper, products);
            }
        }
        Score[] scores = new Score[baselines.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = ranks[i].score(n);
        }
        return scores;
    }

    /** cart_abandoned and cart_recovered records, each trigger id once. */
    private static long[] countTriggers(List<byte[]> triggers) throws IOException {
        Set<String> seen = new HashSet<>();
        long[] counts = new long[2];
        for (byte[] value : triggers) {
            JsonNode t = JSON.readTree(value);
            String type = t.path("type").asText();
            if (seen.add(type + '|' + t.path("trigger_id").asText())) {
                counts[type.equals("cart_recovered") ? 1 : 0]++;
            }
        }
        return counts;
    }

    /**
     * Totals of the "all" tumbling windows (the latest record of each), and the rates of the last
     * complete sliding window.
     */
    static Map<String, Object> funnel(List<byte[]> metrics) throws IOException {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (byte[] value : metrics) {
            JsonNode m = JSON.readTree(value);
            if (m.path("dimension").asText().equals("all")) {
                latest.put(m.path("window_kind").asText() + '|' + m.path("window_start").asLong() + '|' + m.path("window_size_ms").asLong(), m);
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        String[] counters = {"product_views", "add_to_carts", "removes", "checkouts", "orders", "repeat_orders", "units",
                             "sessions_started", "bounces", "rec_evaluations", "rec_hits"};
        long windows = 0;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        Map<String, Long> sums = new LinkedHashMap<>();
        Map<String, Double> revenue = new TreeMap<>();
        JsonNode lastSliding = null;
        for (JsonNode m : latest.values()) {
            if (m.path("window_kind").asText().equals("tumbling")) {
                windows++;
                from = Math.min(from, m.path("window_start").asLong());
                to = Math.max(to, m.path("window_end").asLong());
                for (String c : counters) {
                    sums.merge(c, m.path(c).asLong(), Long::sum);
                }
                m.path("revenue").forEach(r -> revenue.merge(r.path("currency").asText(), r.path("amount").asDouble(), Double::sum));
            } else if (lastSliding == null || m.path("window_end").asLong() > lastSliding.path("window_end").asLong()) {
                lastSliding = m;
            }
        }
        f.put("minutes", windows);
        f.put("from", windows == 0 ? null : Instant.ofEpochMilli(from).toString());
        f.put("to", windows == 0 ? null : Instant.ofEpochMilli(to).toString());
        f.putAll(sums);
        Map<String, Double> rounded = new TreeMap<>();
        revenue.forEach((currency, amount) -> rounded.put(currency, Math.round(amount * 100) / 100.0));
        f.put("revenue", rounded);
        if (lastSliding != null) {
            Map<String, Object> rates = new LinkedHashMap<>();
            rates.put("window_start", Instant.ofEpochMilli(lastSliding.path("window_start").asLong()).toString());
            rates.put("window_end", Instant.ofEpochMilli(lastSliding.path("window_end").asLong()).toString());
            for (String r : new String[] {"view_to_cart_rate", "cart_to_purchase_rate", "conversion_rate", "cart_abandonment_rate",
                                          "bounce_rate", "repeat_purchase_share", "rec_hit_rate_at_10"}) {
                JsonNode v = lastSliding.get(r);
                rates.put(r, v == null || v.isNull() ? null : v.asDouble());
            }
            f.put("last_sliding_window", rates);
        }
        return f;
    }

    /** The plain table printed at the end of an evaluation. */
    public String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "| measure | engine | co-visitation | popularity so far | recently viewed |%n"));
        t.append(String.format(Locale.ROOT, "|---|---|---|---|---|%n"));
        t.append(scoreRow("hit rate @10", s -> percent(s.hitRate())));
        t.append(scoreRow("MRR@10", s -> String.format(Locale.ROOT, "%.4f", s.mrr())));
        t.append(scoreRow("events evaluated", s -> String.format(Locale.ROOT, "%,d", s.evaluations())));
        t.append(String.format(Locale.ROOT, "%nengine / co-visitation: %s (hit rate @10)%n", ratio(engine.hitRate(), coVisitation.hitRate())));
        t.append(String.format(Locale.ROOT, "%n| measure | value |%n|---|---|%n"));
        t.append(String.format(Locale.ROOT, "| events replayed | %,d |%n", events));
        t.append(String.format(Locale.ROOT, "| catalog coverage | %s (%,d of %,d products) |%n", percent(catalogCoverage()),
                productsRecommended, productsInData));
        t.append(String.format(Locale.ROOT, "| abandoned-cart triggers | %,d |%n", triggers));
        t.append(String.format(Locale.ROOT, "| recoveries | %,d |%n", recoveries));
        for (Map.Entry<String, Object> f : funnel.entrySet()) {
            if (f.getValue() instanceof Map<?, ?> parts) {
                parts.forEach((k, v) -> t.append(String.format(Locale.ROOT, "| funnel: %s %s | %s |%n", f.getKey(), k, cell(v))));
            } else {
                t.append(String.format(Locale.ROOT, "| funnel: %s | %s |%n", f.getKey(), cell(f.getValue())));
            }
        }
        return t.toString();
    }

    /** One measure of the engine and the baselines, in the header's order. */
    private String scoreRow(String measure, Function<Score, String> value) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", measure, value.apply(engine), value.apply(coVisitation),
                value.apply(popularity), value.apply(recentlyViewed));
    }

    private static String ratio(double a, double b) {
        return b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f×", a / b);
    }

    private static String cell(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        return v instanceof Long l ? String.format(Locale.ROOT, "%,d", l) : String.valueOf(v);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    public ObjectNode json() {
        ObjectNode n = JSON.createObjectNode();
        n.put("events", events);
        n.set("engine", score(engine).put("protocol_mismatches", protocolMismatches));
        n.set("co_visitation", score(coVisitation));
        n.set("popularity_so_far", score(popularity));
        n.set("recently_viewed", score(recentlyViewed));
        n.putObject("catalog_coverage").put("share", catalogCoverage()).put("products_recommended", productsRecommended)
                .put("products_in_data", productsInData);
        n.put("triggers", triggers);
        n.put("recoveries", recoveries);
        n.set("funnel", JSON.valueToTree(funnel));
        return n;
    }

    private static ObjectNode score(Score s) {
        return JSON.createObjectNode().put("evaluations", s.evaluations()).put("hits", s.hits()).put("hit_rate_at_10", s.hitRate())
                .put("mrr_at_10", s.mrr());
    }
}
