package dev.rtpe.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import dev.rtpe.common.Flags;

/** {@code scripts/replay.sh}: a public dataset file to the input topics. See {@link #USAGE}. */
public final class ReplayMain {
    private ReplayMain() {}

    /** What the command line asks for. */
    public record Options(DatasetFormat format, Path file, long limit, Duration sessionGap, boolean marketingConsent,
                          Replay.Target target) {
        public static Options from(Flags f) {
            String format = f.string("format", null);
            String file = f.string("file", null);
            if (format == null || file == null) {
                throw new IllegalArgumentException("--format and --file are required\n" + USAGE);
            }
            Path path = Path.of(file);
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException("cannot read --file " + path.toAbsolutePath());
            }
            String speed = f.string("speed", "max");
            double factor = speed.equals("max") ? Double.POSITIVE_INFINITY : Double.parseDouble(speed);
            if (!(factor > 0)) {
                throw new IllegalArgumentException("--speed must be a positive number or max, got " + speed);
            }
            return new Options(Formats.byName(format), path, f.integer("limit", 0), f.duration("session-gap", Duration.ofMinutes(30)),
                    Boolean.parseBoolean(f.string("marketing-consent", "false")),
                    new Replay.Target(f.string("bootstrap-servers", "localhost:9092"), f.string("browse-topic", "browse-events"),
                            f.string("cart-topic", "cart-events"), factor));
        }
    }

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args);
        if (flags.string("help", null) != null) {
            System.out.println(USAGE);
            return;
        }
        Options options;
        try {
            options = Options.from(flags);
            flags.rejectUnknown();
        } catch (IllegalArgumentException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(2);
            return;
        }
        Dataset data = load(options);
        replay(data, options.target());
    }

    /** Reads and sorts the file, reporting progress and what was malformed. */
    public static Dataset load(Options o) throws Exception {
        long size = Files.size(o.file());
        System.out.printf("Reading %s (%s format, %,d bytes)%n", o.file(), o.format().name(), size);
        Dataset data = Dataset.read(o.format(), o.file(), o.limit(), o.sessionGap(),
                bytes -> System.out.printf("  read %.0f%%%n", 100.0 * bytes / Math.max(1, size)));
        System.out.printf("%,d lines: %,d events, %,d malformed rows, %,d further lines of orders merged%n",
                data.lines, data.events.size(), data.malformedRows(), data.mergedOrderLines);
        for (Map.Entry<String, Long> m : data.malformed.entrySet()) {
            System.out.printf("  malformed, %s: %,d%n", m.getKey(), m.getValue());
        }
        data.malformedExamples.forEach(example -> System.out.println("  e.g. " + example));
        if (o.marketingConsent()) {
            // The datasets do not say; without consent no abandoned-cart message may be sent.
            data.events.forEach(e -> e.consentMarketing = true);
        }
        return data;
    }

    public static long replay(Dataset data, Replay.Target target) throws Exception {
        String topics = target.browseTopic().equals(target.cartTopic()) ? target.browseTopic()
                : target.browseTopic() + " and " + target.cartTopic();
        System.out.printf("Replaying %,d events to %s on %s, speed %s%n", data.events.size(), topics, target.bootstrapServers(),
                target.paced() ? target.speed() + "x" : "max");
        long sent = Replay.run(data.events, target, ReplayMain::printProgress);
        System.out.printf("Replayed %,d events%n", sent);
        return sent;
    }

    static void printProgress(long sent, long total, double rate) {
        long etaSeconds = rate > 0 ? (long) ((total - sent) / rate) : 0;
        System.out.printf(Locale.ROOT, "  %,d / %,d events (%.1f%%), %,.0f events/s, ETA %d:%02d%n", sent, total,
                100.0 * sent / Math.max(1, total), rate, etaSeconds / 60, etaSeconds % 60);
    }

    static final String USAGE = String.join("\n",
            "scripts/replay.sh --format F --file PATH [flags]: a public e-commerce dataset to browse-events and cart-events",
            "  --format F                rees46 | retailrocket | taobao | diginetica | jsonl (the input contract, one message per line)",
            "  --file PATH               the dataset file, plain or gzipped CSV",
            "  --speed max               max = as fast as possible; N = N times real time (1 = as it happened)",
            "  --limit N                 only the first N data lines",
            "  --session-gap 30min       for formats without sessions: inactivity that starts a new one",
            "  --marketing-consent true  mark every shopper as consenting to marketing (the datasets do not say; default false)",
            "  --bootstrap-servers localhost:9092  --browse-topic browse-events  --cart-topic cart-events");
}
