package dev.rtpe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.rtpe.common.Flags;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;

/**
 * The measuring side of {@code scripts/bench.sh}, which starts and stops the broker and the engine
 * around it. Every time is a broker append time (the bench broker runs with LogAppendTime), so
 * latency is from an event's append to {@code browse-events}/{@code cart-events} to its shopper's
 * list being appended to {@code recommendations}.
 *
 * <pre>
 *   kafka      --events N          raw produce and consume rate on the broker (a ceiling)
 *   preload    --events N [--simulated-rate 1000] [--categories C --products P --category-zipf S --uncategorized-share F | --small-catalog]
 *                                  simulated events into the input topics, as fast as possible
 *   drain      --topic T --expect N   reads T until N records; rate from first to last append
 *   sustained  --events N          waits until every engine job has committed all its input
 *   latency    --rate R --duration D --warm-up W --trigger-wait T   paced load: list latency and trigger delay
 *   state      --from C0 --to C1 --products P --rest URL --rocksdb-dir DIR   state for C1 distinct customers
 *   charts                         the run's scale points: points.json and scale-*.png ({@link ScaleCharts})
 * </pre>
 * Each writes {@code <out>/<phase>.json}.
 */
public final class BenchDriver {
    static final ObjectMapper JSON = new ObjectMapper();

    private BenchDriver() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: BenchDriver preload|throughput|latency [flags]");
        }
        String phase = args[0];
        Flags f = Flags.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        String bootstrap = f.string("bootstrap-servers", "localhost:19092");
        Path out = Path.of(f.string("out", ".local/bench/results"));
        Files.createDirectories(out);
        ObjectNode result;
        Duration timeout = f.duration("timeout", Duration.ofMinutes(15));
        String name = f.string("name", phase);
        switch (phase) {
            case "kafka":
                result = Ceilings.rawKafka(bootstrap, f.integer("events", 200_000), model(f), f.integer("seed", 3));
                break;
            case "sustained":
                result = Sustained.untilCaughtUp(bootstrap, f.integer("events", 200_000), timeout);
                break;
            case "state":
                result = StateSize.grow(bootstrap, f.string("rest", "http://localhost:18081"), Path.of(f.string("rocksdb-dir", ".")),
                        f.integer("from", 0), f.integer("to", 100_000), f.integer("products", 100_000), timeout);
                break;
            case "preload":
                result = preload(bootstrap, f.integer("events", 200_000), f.integer("seed", 1), model(f),
                        f.decimal("simulated-rate", 1000));
                break;
            case "drain":
                result = drain(bootstrap, f.string("topic", "recommendations"), f.integer("expect", 200_000), timeout);
                break;
            case "latency":
                result = latency(bootstrap, model(f), f.decimal("rate", 5000), f.duration("duration", Duration.ofSeconds(60)),
                        f.duration("warm-up", Duration.ofSeconds(15)), f.duration("trigger-wait", Duration.ofSeconds(40)),
                        f.integer("seed", 2), out.resolve(name + ".png"));
                break;
            case "charts":
                f.rejectUnknown();
                System.out.println("charts: " + ScaleCharts.write(out).size() + " points in " + out.resolve("points.json"));
                return;
            default:
                throw new IllegalArgumentException("unknown phase " + phase);
        }
        f.rejectUnknown();
        Files.writeString(out.resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println(phase + ": " + result);
    }

    /**
     * Many shoppers, the simulator's marketplace-like catalog (its flags choose another shape), no
     * malformed or repeated records: every event must yield one list.
     */
    static SimulationModel model(Flags f) {
        SimulationModel m = new SimulationModel();
        m.customers = f.integer("customers", 100_000);
        m.readCatalogShape(f);
        m.malformedShare = 0;
        m.duplicateShare = 0;
        return m;
    }

    /**
     * {@code simulatedRate}: events per second of simulated time. A low rate spreads the events over
     * more event time, as a replay of a dataset does: then most events move their category's
     * trending list (published at most once a second per category).
     */
    static ObjectNode preload(String bootstrap, int events, long seed, SimulationModel model, double simulatedRate) throws Exception {
        model.eventsPerSecond = simulatedRate;
        ShopperSimulator simulator = new ShopperSimulator(model, seed, System.currentTimeMillis() - (long) (events / model.eventsPerSecond * 1000));
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < events; i++) {
                ShopperSimulator.Record r = simulator.next();
                producer.send(new ProducerRecord<>(r.topic(), r.key().getBytes(StandardCharsets.UTF_8), r.value()));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode o = JSON.createObjectNode();
        o.put("events", events);
        o.put("seconds", seconds);
        o.put("events_per_second", events / seconds);
        return o;
    }

    /**
     * Reads a topic from the start until {@code expect} records arrived. Two rates: over all (first
     * to last append), and steady, over the last three quarters, once the JVM has compiled the hot code.
     */
    static ObjectNode drain(String bootstrap, String topic, int expect, Duration timeout) {
        long[] appends = new long[expect];
        int count = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "earliest", "read_uncommitted")) {
            consumer.subscribe(List.of(topic));
            while (count < expect && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (count < expect) {
                        appends[count++] = r.timestamp();
                    }
                }
            }
        }
        java.util.Arrays.sort(appends, 0, count);
        ObjectNode o = JSON.createObjectNode();
        o.put("topic", topic);
        o.put("records", count);
        o.put("expected", expect);
        if (count > 4) {
            long first = appends[0];
            long last = appends[count - 1];
            long quarter = appends[count / 4];
            o.put("seconds", (last - first) / 1000.0);
            o.put("events_per_second", count * 1000.0 / Math.max(1, last - first));
            o.put("steady_events_per_second", (count - count / 4) * 1000.0 / Math.max(1, last - quarter));
        }
        return o;
    }

    /**
     * Sends at a steady rate and matches each list to the event that caused it. Events sent during
     * the warm-up are not measured.
     */
    static ObjectNode latency(String bootstrap, SimulationModel model, double rate, Duration duration, Duration warmUp,
                              Duration triggerWait, long seed, Path chart) throws Exception {
        model.eventsPerSecond = rate;
        Map<String, Long> appendedIn = new ConcurrentHashMap<>();
        Map<String, Long> appendedOut = new ConcurrentHashMap<>();
        Histogram histogram = new Histogram(60_000, 3);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong measuredAfter = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch readerReady = new CountDownLatch(1);
        Thread reader = new Thread(() -> readLists(bootstrap, appendedOut, stop, readerReady), "bench-reader");
        reader.start();
        readerReady.await();
        TriggerDelays triggers = TriggerDelays.start(bootstrap);

        // Simulated ahead of time, so the generator does not compete with the engine for the CPU.
        long simulatedStart = System.currentTimeMillis(); // event times a few seconds behind the send times: harmless
        ShopperSimulator simulator = new ShopperSimulator(model, seed, simulatedStart - Duration.ofMinutes(5).toMillis());
        List<ShopperSimulator.Record> records = new java.util.ArrayList<>();
        for (ShopperSimulator.Record r = simulator.next(); r.sendAt() - simulatedStart <= duration.toMillis(); r = simulator.next()) {
            if (r.sendAt() >= simulatedStart) {
                records.add(r);
            }
        }
        long wallStart = System.currentTimeMillis();
        triggers.measureDueFrom(wallStart + warmUp.toMillis());
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (ShopperSimulator.Record r : records) {
                long due = wallStart + r.sendAt() - simulatedStart;
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                String eventId = r.eventId();
                boolean measured = r.sendAt() - simulatedStart >= warmUp.toMillis();
                producer.send(new ProducerRecord<>(r.topic(), r.key().getBytes(StandardCharsets.UTF_8), r.value()), (meta, error) -> {
                    if (error == null && measured) {
                        appendedIn.put(eventId, meta.timestamp());
                    }
                });
                sent++;
            }
            producer.flush();
        }
        double achieved = sent * 1000.0 / (System.currentTimeMillis() - wallStart);
        // Wait until every measured event has its list, or 30 s pass.
        long deadline = System.currentTimeMillis() + 30_000;
        while (!appendedOut.keySet().containsAll(appendedIn.keySet()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        stop.set(true);
        reader.join();
        triggers.stopAfter(triggerWait);
        Histogram triggerDelays = triggers.visible();
        long missing = 0;
        for (Map.Entry<String, Long> in : appendedIn.entrySet()) {
            Long outAt = appendedOut.get(in.getKey());
            if (outAt == null) {
                missing++;
            } else {
                histogram.recordValue(Math.max(0, Math.min(outAt - in.getValue(), histogram.getHighestTrackableValue())));
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("target_events_per_second", rate);
        o.put("achieved_events_per_second", achieved);
        o.put("measured_events", histogram.getTotalCount());
        o.put("events_without_list", missing);
        o.put("p50_ms", histogram.getValueAtPercentile(50));
        o.put("p95_ms", histogram.getValueAtPercentile(95));
        o.put("p99_ms", histogram.getValueAtPercentile(99));
        o.put("max_ms", histogram.getMaxValue());
        percentiles(o.putObject("percentiles_ms"), histogram);
        ObjectNode t = o.putObject("trigger_delay");
        t.put("triggers", triggerDelays.getTotalCount());
        t.put("records_read", triggers.seen());
        percentiles(t.putObject("percentiles_ms"), triggerDelays);
        percentiles(t.putObject("appended_percentiles_ms"), triggers.appended());
        percentiles(t.putObject("commit_wait_percentiles_ms"), triggers.commitWait());
        LatencyChart.write(chart, String.format("rtpe at %.0f events/s: event to list, and trigger after its due time", achieved),
                List.of("event appended -> list appended", "trigger due -> trigger read committed"), List.of(histogram, triggerDelays));
        return o;
    }

    private static void percentiles(ObjectNode o, Histogram h) {
        for (double p : new double[] {10, 25, 50, 75, 90, 95, 99, 99.9, 100}) {
            o.put(String.valueOf(p), h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p));
        }
    }

    private static void readLists(String bootstrap, Map<String, Long> appendedOut, AtomicBoolean stop, CountDownLatch ready) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "latest", "read_uncommitted")) {
            consumer.subscribe(List.of("recommendations"));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.assignment().forEach(consumer::position); // fixes the start at the current end
            ready.countDown();
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    appendedOut.putIfAbsent(causeEventId(r.value()), r.timestamp());
                }
            }
        }
    }

    /** cause.event_id of a recommendations record, streamed: the bench must not eat the engine's CPU. */
    static String causeEventId(byte[] json) {
        try (JsonParser p = JSON.getFactory().createParser(json)) {
            int depth = 0;
            boolean inCause = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (depth == 1 && name.equals("cause")) {
                        inCause = true;
                    } else if (inCause && depth == 2 && name.equals("event_id")) {
                        p.nextToken();
                        return p.getText();
                    } else if (depth == 1 && !name.equals("cause")) {
                        inCause = false;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable recommendations record", e);
        }
        throw new IllegalStateException("recommendations record without cause.event_id");
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A throwaway consumer group: {@code reset} earliest or latest, {@code isolation} read_committed or read_uncommitted. */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String reset, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "rtpe-bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
