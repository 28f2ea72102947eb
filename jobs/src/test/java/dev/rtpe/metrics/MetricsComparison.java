package dev.rtpe.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.rtpe.common.ShopperEvent;
import dev.rtpe.devkit.TopicSnapshot;
import dev.rtpe.testing.Contracts;

/**
 * What {@code conversion-metrics} must hold for a list of events: every window a plain recount
 * ({@link FunnelRecount}) gives, equal (distinct counts within their error), with rates that follow
 * from the record's counts, and no window the recount does not expect.
 */
public final class MetricsComparison {
    private final Map<String, FunnelRecount.Window> expected;
    private final long cutoff;
    private final int lgK;

    private MetricsComparison(Map<String, FunnelRecount.Window> expected, long cutoff, int lgK) {
        this.expected = expected;
        this.cutoff = cutoff;
        this.lgK = lgK;
    }

    /** The windows of {@code events} (and {@code evaluations}) ending at or before {@code cutoff}. */
    static MetricsComparison of(List<ShopperEvent> events, List<FunnelRecount.Evaluation> evaluations, MetricsConfig config, long cutoff) {
        return new MetricsComparison(FunnelRecount.of(events, evaluations, config, cutoff), cutoff, config.sketchLgK);
    }

    public static MetricsComparison of(List<ShopperEvent> events, MetricsConfig config, long cutoff) {
        return of(events, List.of(), config, cutoff);
    }

    Map<String, FunnelRecount.Window> expected() {
        return expected;
    }

    public int windows() {
        return expected.size();
    }

    /** Waits until the topic holds what is expected, or the timeout passes; returns the differences left. */
    public List<String> awaitEqual(String bootstrapServers, String topic, double sigmas, Duration timeout) throws Exception {
        List<String> differences = List.of("nothing read yet");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!differences.isEmpty() && System.nanoTime() < deadline) {
            differences = differences(latestPerKey(bootstrapServers, topic), sigmas);
            if (!differences.isEmpty()) {
                Thread.sleep(1_000); // polling a condition: corrections may still be on their way
            }
        }
        return differences;
    }

    public List<String> differences(Map<String, JsonNode> latest, double sigmas) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, FunnelRecount.Window> e : expected.entrySet()) {
            JsonNode r = latest.get(e.getKey());
            if (r == null) {
                out.add(e.getKey() + ": missing");
                continue;
            }
            for (String d : FunnelRecount.differences(e.getValue(), r, lgK, sigmas)) {
                out.add(e.getKey() + ": " + d);
            }
            out.addAll(ratesFollowFromCounts(e.getKey(), r));
        }
        for (String key : latest.keySet()) {
            long end = latest.get(key).get("window_end").asLong();
            if (end <= cutoff && !expected.containsKey(key)) {
                out.add(key + ": not expected");
            }
        }
        return out;
    }

    /** The latest record per key: the upsert view a consumer keeps. Each is checked against the contract and its key. */
    public static Map<String, JsonNode> latestPerKey(String bootstrapServers, String topic) throws Exception {
        Map<String, JsonNode> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(bootstrapServers, topic, "read_uncommitted")) {
            JsonNode json = Contracts.JSON.readTree(r.value());
            String key = new String(r.key(), StandardCharsets.UTF_8);
            List<String> violations = Contracts.violations("conversion-metrics", json);
            String expectedKey = json.get("dimension").asText() + "|" + json.get("dimension_value").asText() + "|"
                    + json.get("window_start").asLong() + "|" + json.get("window_size_ms").asLong();
            if (!violations.isEmpty() || !expectedKey.equals(key)) {
                throw new AssertionError(key + ": " + violations + " (key should be " + expectedKey + ")");
            }
            latest.put(key, json);
        }
        return latest;
    }

    private static List<String> ratesFollowFromCounts(String key, JsonNode r) {
        List<String> out = new ArrayList<>();
        rate(out, key, r, "view_to_cart_rate", r.get("sessions_with_cart").asLong(), r.get("sessions_with_view").asLong());
        rate(out, key, r, "cart_to_purchase_rate", r.get("sessions_with_order").asLong(), r.get("sessions_with_cart").asLong());
        rate(out, key, r, "conversion_rate", r.get("sessions_with_order").asLong(), r.get("sessions").asLong());
        rate(out, key, r, "bounce_rate", r.get("bounces").asLong(), r.get("sessions_started").asLong());
        rate(out, key, r, "repeat_purchase_share", r.get("repeat_orders").asLong(), r.get("orders").asLong());
        rate(out, key, r, "rec_hit_rate_at_10", r.get("rec_hits").asLong(), r.get("rec_evaluations").asLong());
        long carts = r.get("sessions_with_cart").asLong();
        JsonNode abandonment = r.get("cart_abandonment_rate");
        if (carts == 0 ? !abandonment.isNull() : abandonment.asDouble() != 1 - (double) r.get("orders").asLong() / carts) {
            out.add(key + ": cart_abandonment_rate " + abandonment);
        }
        return out;
    }

    private static void rate(List<String> out, String key, JsonNode r, String field, long numerator, long denominator) {
        JsonNode v = r.get(field);
        boolean ok = denominator == 0 ? v.isNull() : v.isNumber() && v.asDouble() == (double) numerator / denominator;
        if (!ok) {
            out.add(key + ": " + field + " " + v + " is not " + numerator + "/" + denominator);
        }
    }
}
