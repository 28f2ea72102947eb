package dev.rtpe.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rtpe.common.Flags;
import dev.rtpe.devkit.TopicSnapshot;
import dev.rtpe.evaluate.EvaluateMain;

/**
 * The outputs of one engine run, read as their users read them, and the comparison of a faulted run
 * with the fault-free one (scripts/chaos.sh):
 * <ul>
 *   <li>{@code close-input --input F}: ends every input partition with one closing event, an hour after
 *       the input's last, so that event time at the end is the same in every run (see {@link #closeInput});</li>
 *   <li>{@code await}: waits until every job has processed every event of the preloaded input;</li>
 *   <li>{@code snapshot --out F}: writes what the outputs hold to F;</li>
 *   <li>{@code compare --reference A --faulted B --malformed M --out R}: prints the differences and
 *       writes them as JSON; exits 1 when there are any.</li>
 * </ul>
 */
public final class ChaosOutputs {
    static final ObjectMapper JSON = new ObjectMapper();

    private ChaosOutputs() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ChaosOutputs await|snapshot|compare [flags]");
        }
        Flags flags = Flags.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "close-input" -> {
                String bootstrap = flags.string("bootstrap-servers", "localhost:9092");
                Path input = Path.of(flags.string("input", null));
                flags.rejectUnknown();
                closeInput(bootstrap, input);
            }
            case "await" -> {
                String bootstrap = flags.string("bootstrap-servers", "localhost:9092");
                String rest = "http://localhost:" + flags.string("ui-port", "8081");
                Duration timeout = flags.duration("timeout", Duration.ofMinutes(20));
                flags.rejectUnknown();
                EvaluateMain.awaitProcessed(bootstrap, List.of("browse-events", "cart-events"), rest, timeout);
            }
            case "snapshot" -> {
                String bootstrap = flags.string("bootstrap-servers", "localhost:9092");
                Path out = Path.of(flags.string("out", "outputs.json"));
                flags.rejectUnknown();
                JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), snapshot(bootstrap));
            }
            case "compare" -> {
                JsonNode reference = JSON.readTree(Path.of(flags.string("reference", null)).toFile());
                JsonNode faulted = JSON.readTree(Path.of(flags.string("faulted", null)).toFile());
                long malformed = flags.integer("malformed", -1);
                Path out = Path.of(flags.string("out", "chaos-comparison.json"));
                String faults = flags.string("faults", "");
                String recoveries = flags.string("recoveries", "");
                String restarts = flags.string("restarts", "");
                String stalled = flags.string("stalled", "").trim();
                flags.rejectUnknown();
                ObjectNode result = compare(reference, faulted, malformed);
                // A job whose event time stopped short of the input's end: its last outputs never came.
                result.put("differences", result.get("differences").asLong() + (stalled.isEmpty() ? 0 : 1));
                ((ArrayNode) result.get("checks")).addObject().put("check", "event time reached the end of the input"
                        + (stalled.isEmpty() ? "" : " (stalled: " + stalled + ")")).put("reference", 1).put("faulted", 1)
                        .put("differences", stalled.isEmpty() ? 0 : 1);
                result.set("faults", strings(List.of(faults.isEmpty() ? new String[0] : faults.split("\\|"))));
                result.set("recoveries", strings(List.of(recoveries.isEmpty() ? new String[0] : recoveries.split("\\|"))));
                result.put("restarts", restarts.trim());
                System.out.print(table(result));
                Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
                System.exit(result.get("differences").asLong() == 0 ? 0 : 1);
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0] + "; use await, snapshot or compare");
        }
    }

    /**
     * Without this, the end of a run depends on timing: a partition that runs out of events turns
     * idle, event time goes on with the others, and which partition ran out last decides how far
     * event time gets, so how many of the last stages and minutes come due. One event per partition,
     * an hour after the last of the input, ends every partition at the same event time.
     */
    static void closeInput(String bootstrap, Path input) throws Exception {
        java.time.Instant last = java.time.Instant.EPOCH;
        for (String line : Files.readAllLines(input)) {
            try {
                java.time.Instant t = java.time.Instant.parse(JSON.readTree(line).path("event_time").asText());
                last = t.isAfter(last) ? t : last;
            } catch (Exception malformed) {
                // the input's deliberately malformed records have no usable time
            }
        }
        String at = last.plus(Duration.ofHours(1)).toString();
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.idempotence", "true");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(p,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            for (String topic : List.of("browse-events", "cart-events")) {
                String type = topic.equals("browse-events") ? "view_item" : "add_to_cart";
                for (var partition : producer.partitionsFor(topic)) {
                    String id = "chaos-end-" + topic + "-" + partition.partition();
                    String event = "{\"schema_version\":1,\"event_id\":\"" + id + "\",\"event_type\":\"" + type
                            + "\",\"event_time\":\"" + at + "\",\"customer_id\":\"chaos-end\",\"session_id\":\"chaos-end\","
                            + "\"channel\":\"web\",\"product_id\":\"p-chaos-end\",\"price\":1.0,\"quantity\":1,\"currency\":\"USD\","
                            + "\"consent\":{\"personalization\":true,\"marketing\":false}}";
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, partition.partition(), "chaos-end", event)).get();
                }
            }
        }
        System.out.println("closing events at " + at);
    }

    /** What a run's outputs hold, in the form the comparison needs (sorted, so two files diff cleanly). */
    static ObjectNode snapshot(String bootstrap) throws Exception {
        ObjectNode s = JSON.createObjectNode();
        // Triggers as a messaging service reads them: committed transactions only. A message is its
        // type and trigger_id: a cart_recovered carries the id of the trigger it follows.
        List<String> triggerIds = new ArrayList<>();
        Map<String, JsonNode> triggers = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(bootstrap, "cart-abandonment-triggers", "read_committed")) {
            ObjectNode t = (ObjectNode) JSON.readTree(r.value());
            t.remove("emitted_at");
            String id = t.path("type").asText() + ":" + t.path("trigger_id").asText();
            triggerIds.add(id);
            triggers.put(id, t);
        }
        triggerIds.sort(null);
        s.set("trigger_ids", strings(triggerIds));
        ObjectNode byId = s.putObject("triggers"); // for a look at a difference
        triggers.forEach(byId::set);
        // Metrics as a dashboard reads an upsert topic: the last value of each key, without the wall-clock stamp.
        Map<String, JsonNode> windows = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(bootstrap, "conversion-metrics", "read_uncommitted")) {
            ObjectNode value = (ObjectNode) JSON.readTree(r.value());
            value.remove("emitted_at");
            windows.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), value);
        }
        ObjectNode metrics = s.putObject("metrics");
        windows.forEach(metrics::set);
        // Recommendations: which customers have a latest list (a compacted topic keyed by customer).
        Set<String> listed = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(bootstrap, "recommendations", "read_uncommitted")) {
            if (r.value() != null) {
                listed.add(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        s.set("customers_with_list", strings(listed));
        // Ingest's accounting: every valid event at least once, every malformed record once in dead letters.
        Set<String> eventIds = new TreeSet<>();
        Set<String> customers = new TreeSet<>();
        long shopperEvents = 0;
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(bootstrap, "shopper-events", "read_uncommitted")) {
            JsonNode e = JSON.readTree(r.value());
            if (!e.hasNonNull("event_id")) {
                continue; // ingest's watermark records share the topic
            }
            eventIds.add(e.path("event_id").asText());
            customers.add(e.path("customer_key").asText());
            shopperEvents++;
        }
        s.put("shopper_events_records", shopperEvents);
        s.put("shopper_events_distinct", eventIds.size());
        s.set("event_ids", strings(eventIds));
        s.set("input_customers", strings(customers));
        Set<String> rejected = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(bootstrap, "dead-letter", "read_uncommitted")) {
            JsonNode source = JSON.readTree(r.value()).path("source");
            rejected.add(source.path("topic").asText() + "/" + source.path("partition").asText() + "/" + source.path("offset").asText());
        }
        s.put("dead_letters_distinct", rejected.size());
        return s;
    }

    /** Each check: what the reference run had, what the faulted one had, and how many differ. */
    static ObjectNode compare(JsonNode reference, JsonNode faulted, long malformed) {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode checks = result.putArray("checks");
        long total = 0;
        total += check(checks, "triggers: the same messages, by type and trigger_id (read_committed)",
                reference.get("trigger_ids").size(), faulted.get("trigger_ids").size(),
                symmetricDifference(set(reference.get("trigger_ids")), set(faulted.get("trigger_ids"))));
        total += check(checks, "triggers: no message twice", 0, 0, repeats(faulted.get("trigger_ids")) + repeats(reference.get("trigger_ids")));
        long metricDiffs = 0;
        Set<String> keys = new TreeSet<>();
        reference.get("metrics").fieldNames().forEachRemaining(keys::add);
        faulted.get("metrics").fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            JsonNode a = reference.get("metrics").get(key);
            JsonNode b = faulted.get("metrics").get(key);
            if (a == null || b == null) {
                metricDiffs++;
                continue;
            }
            metricDiffs += Objects.equals(a, b) ? 0 : 1;
        }
        // rec_hits included: in event-time order the lists, and so the hits, do not depend on timing.
        total += check(checks, "metrics: the final value of every window key", reference.get("metrics").size(),
                faulted.get("metrics").size(), metricDiffs);
        Set<String> listed = set(faulted.get("customers_with_list"));
        long unlisted = set(faulted.get("input_customers")).stream().filter(c -> !listed.contains(c)).count();
        total += check(checks, "recommendations: every input customer has a latest list", reference.get("input_customers").size(),
                listed.size(), unlisted);
        total += check(checks, "shopper-events: every valid event at least once (distinct event_ids)",
                reference.get("shopper_events_distinct").asLong(), faulted.get("shopper_events_distinct").asLong(),
                symmetricDifference(set(reference.get("event_ids")), set(faulted.get("event_ids"))));
        long expectedDeadLetters = malformed >= 0 ? malformed : reference.get("dead_letters_distinct").asLong();
        total += check(checks, "dead letters: one per malformed record sent", expectedDeadLetters,
                faulted.get("dead_letters_distinct").asLong(),
                Math.abs(expectedDeadLetters - faulted.get("dead_letters_distinct").asLong())
                        + Math.abs(expectedDeadLetters - reference.get("dead_letters_distinct").asLong()));
        result.put("shopper_events_records_faulted", faulted.get("shopper_events_records").asLong());
        result.put("differences", total);
        return result;
    }

    private static long check(ArrayNode checks, String what, long reference, long faulted, long differences) {
        checks.addObject().put("check", what).put("reference", reference).put("faulted", faulted).put("differences", differences);
        return differences;
    }

    static String table(ObjectNode result) {
        StringBuilder b = new StringBuilder("| output compared | fault-free run | faulted run | differences |\n|---|---|---|---|\n");
        for (JsonNode c : result.get("checks")) {
            b.append("| ").append(c.get("check").asText()).append(" | ").append(c.get("reference").asLong()).append(" | ")
                    .append(c.get("faulted").asLong()).append(" | ").append(c.get("differences").asLong()).append(" |\n");
        }
        return b.append("differences in all: ").append(result.get("differences").asLong()).append('\n').toString();
    }

    private static long symmetricDifference(Set<String> a, Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).count() + b.stream().filter(x -> !a.contains(x)).count();
    }

    private static long repeats(JsonNode sorted) {
        long n = 0;
        for (int i = 1; i < sorted.size(); i++) {
            n += sorted.get(i).asText().equals(sorted.get(i - 1).asText()) ? 1 : 0;
        }
        return n;
    }

    private static Set<String> set(JsonNode array) {
        Set<String> s = new TreeSet<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            s.add(it.next().asText());
        }
        return s;
    }

    private static ArrayNode strings(Iterable<String> values) {
        ArrayNode a = JSON.createArrayNode();
        values.forEach(a::add);
        return a;
    }
}
