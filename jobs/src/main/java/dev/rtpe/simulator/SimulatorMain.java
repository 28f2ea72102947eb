package dev.rtpe.simulator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.rtpe.common.Flags;

/**
 * Sends simulated shoppers' events to {@code browse-events} and {@code cart-events}, in real time
 * or faster. See {@code scripts/simulate.sh --help} and the README for the flags.
 */
public final class SimulatorMain {
    private SimulatorMain() {}

    /** How the run is bounded and paced. */
    record Run(String bootstrapServers, long seed, double speed, Duration duration, long events, long startMillis,
               Duration warmUp, Path outFile) {
        boolean unpaced() {
            return Double.isInfinite(speed);
        }

        /** Simulated time and event count at which to stop. */
        boolean done(long simulatedMillis, long sent) {
            return (events > 0 && sent >= events) || (duration != null && simulatedMillis - startMillis >= duration.toMillis());
        }

        static Run from(Flags f, SimulationModel model, long now) {
            String speedFlag = f.string("speed", "1");
            double speed = speedFlag.equals("max") ? Double.POSITIVE_INFINITY : Double.parseDouble(speedFlag);
            if (!(speed > 0)) {
                throw new IllegalArgumentException("--speed must be a positive number or max, got " + speedFlag);
            }
            Duration duration = f.duration("duration", null);
            long events = f.integer("events", 0);
            // Faster than real time: end the simulated period about now, so event times look current.
            long span = duration != null ? duration.toMillis() : (long) (events / model.eventsPerSecond * 1000);
            long defaultStart = speed == 1 ? now : now - span;
            Instant start = f.instant("start-time", Instant.ofEpochMilli(defaultStart));
            return new Run(f.string("bootstrap-servers", "localhost:9092"), f.integer("seed", 42), speed, duration, events,
                    start.toEpochMilli(), f.duration("warm-up", Duration.ofMinutes(5)),
                    f.string("out-file", null) == null ? null : Path.of(f.string("out-file", null)));
        }
    }

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args);
        if (flags.string("help", null) != null) {
            System.out.println(USAGE);
            return;
        }
        SimulationModel model = SimulationModel.from(flags);
        Run run = Run.from(flags, model, System.currentTimeMillis());
        flags.rejectUnknown();
        simulate(model, run);
    }

    static void simulate(SimulationModel model, Run run) throws InterruptedException, IOException {
        AtomicBoolean stopping = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            try {
                main.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        // Sessions already under way at the start: simulate the warm-up without sending, so the
        // stream starts at its full rate instead of ramping up.
        ShopperSimulator simulator = new ShopperSimulator(model, run.seed(), run.startMillis() - run.warmUp().toMillis());
        System.out.printf("Simulating shoppers: %.0f events/s of simulated time, speed %s, seed %d, to %s and %s on %s%n",
                model.eventsPerSecond, run.unpaced() ? "max" : run.speed() + "x", run.seed(), model.browseTopic, model.cartTopic,
                run.bootstrapServers());
        long wallStart = System.currentTimeMillis();
        long sent = 0;
        long malformed = 0;
        long lastReport = wallStart;
        try (RecordSink out = run.outFile() != null ? RecordSink.file(run.outFile()) : RecordSink.kafka(run.bootstrapServers())) {
            while (!stopping.get()) {
                ShopperSimulator.Record r = simulator.next();
                if (r.sendAt() < run.startMillis()) {
                    continue;
                }
                if (run.done(r.sendAt(), sent)) {
                    break;
                }
                if (!run.unpaced()) {
                    long due = wallStart + (long) ((r.sendAt() - run.startMillis()) / run.speed());
                    long wait = due - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait); // pacing to the simulated clock
                    }
                }
                out.send(r);
                sent++;
                malformed += r.malformed() ? 1 : 0;
                long now = System.currentTimeMillis();
                if (now - lastReport >= 10_000) {
                    report(sent, malformed, simulator.sessionsStarted(), now - wallStart);
                    lastReport = now;
                }
            }
        }
        report(sent, malformed, simulator.sessionsStarted(), System.currentTimeMillis() - wallStart);
    }

    private static void report(long sent, long malformed, long sessions, long elapsedMillis) {
        System.out.printf("sent %d records (%d malformed) in %d sessions, %.0f records/s%n",
                sent, malformed, sessions, sent * 1000.0 / Math.max(1, elapsedMillis));
    }

    /** Where the records go: Kafka, or a file of JSON lines for scripts/replay.sh and scripts/evaluate.sh. */
    interface RecordSink extends AutoCloseable {
        void send(ShopperSimulator.Record r) throws IOException;

        @Override
        void close() throws IOException;

        static RecordSink kafka(String bootstrapServers) {
            KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers);
            return new RecordSink() {
                @Override
                public void send(ShopperSimulator.Record r) {
                    producer.send(new ProducerRecord<>(r.topic(), r.key().getBytes(StandardCharsets.UTF_8), r.value()));
                }

                @Override
                public void close() {
                    producer.close(); // flushes
                }
            };
        }

        static RecordSink file(Path path) throws IOException {
            OutputStream file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            return new RecordSink() {
                @Override
                public void send(ShopperSimulator.Record r) throws IOException {
                    file.write(r.value());
                    file.write('\n');
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "rtpe-simulator");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static final String USAGE = String.join("\n",
            "scripts/simulate.sh [flags]: simulated shoppers' events to browse-events and cart-events",
            "  --bootstrap-servers localhost:9092",
            "  --rate 20                 valid events per second of simulated time",
            "  --speed 1                 1 = real time; N = N times faster; max = as fast as possible",
            "  --duration 10m            stop after this much simulated time (default: run until stopped)",
            "  --events N                stop after N records",
            "  --out-file PATH           write the records as JSON lines to a file instead of Kafka (for scripts/evaluate.sh --format jsonl)",
            "  --seed 42                 the same seed and start time give the same records",
            "  --start-time <UTC>        simulated start (default now; faster runs end about now)",
            "  --warm-up 5m              sessions simulated before the start but not sent, so the rate is steady from the start",
            "  --customers 2000  --anonymous-share 0.3",
            "  Catalog (default: a marketplace-like catalog; deterministic for a seed):",
            "  --categories 1000          leaf categories, in a top.mid.leaf hierarchy (electronics.kalo.mira)",
            "  --products 100000          products in all, in categories of uneven size, best sellers first (Zipf 1.1)",
            "  --category-zipf 1.0        long tail of category popularity: the k-th category is visited as 1/k^s",
            "  --uncategorized-share 0.05 products without a category; their events carry none",
            "  --small-catalog            the 12-category demo catalog, 150 products each (--products N: N/12 each),",
            "                             equally popular, all categorized: what the simulator made before, record for record",
            "  --cart-rate 0.09          sessions with a view that add to cart",
            "  --purchase-rate 0.30      carts that are bought (the rest are abandoned)",
            "  --malformed-share 0.005   extra records that break the contract",
            "  --duplicate-share 0.002   events sent twice (producer retries)",
            "  --late-share 0.03         events 0.2-3 s older than their neighbours",
            "  --think-time 15s  --currency USD  --browse-topic browse-events  --cart-topic cart-events");
}
