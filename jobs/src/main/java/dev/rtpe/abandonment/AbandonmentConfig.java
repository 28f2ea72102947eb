package dev.rtpe.abandonment;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.Flags;
import dev.rtpe.common.JobSettings;

/** Everything the abandonment job can be told; the README lists each flag and default. */
public final class AbandonmentConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final JobSettings job;
    public final String eventsTopic;
    public final String triggersTopic;
    public final String deadLetterTopic;
    public final String groupId;
    /** Stable per application and cluster: the Kafka transactions of the exactly-once sink are named after it. */
    public final String transactionalIdPrefix;
    public final Duration transactionTimeout;
    /** Watermark alignment of the shopper-events partitions during a catch-up. */
    public final Duration maxInputDrift;
    public final Duration dedupeHorizon;

    /** Inactivity before each stage fires, in order. */
    public final List<Duration> stages;
    /** A purchase this long after a trigger counts as a recovery. */
    public final Duration attributionWindow;
    /** At most one trigger per customer within this window. */
    public final Duration frequencyCap;
    /** Null: no quiet hours. */
    public final QuietHours quietHours;
    /** Used when the events carry no time zone. */
    public final ZoneId defaultTimeZone;
    /** Events older than the watermark minus this are refused (counted). */
    public final Duration maxLateness;
    public final Duration customerTtl;
    public final int stateCacheEntries;
    /** Lines a cart keeps at most; beyond it, the least recently changed goes (counted). */
    public final int maxCartLines;

    /** As many lines as an event may list: 200 lines of the longest ids still make a trigger of about 320 KB, far below 1 MiB. */
    static final int MAX_CART_LINES_LIMIT = 200;

    private AbandonmentConfig(Flags f) {
        job = JobSettings.from(f, Duration.ofSeconds(10));
        eventsTopic = f.string("events-topic", "shopper-events");
        triggersTopic = f.string("triggers-topic", "cart-abandonment-triggers");
        deadLetterTopic = f.string("dead-letter-topic", "dead-letter");
        groupId = f.string("group-id", "rtpe-abandonment");
        transactionalIdPrefix = f.string("transactional-id-prefix", "rtpe-abandonment");
        transactionTimeout = f.duration("transaction-timeout", Duration.ofMinutes(10));
        maxInputDrift = f.duration("max-input-drift", EventTime.DEFAULT_MAX_INPUT_DRIFT);
        dedupeHorizon = f.duration("dedupe-horizon", DropRepeatedEvents.DEFAULT_HORIZON);
        stages = parseStages(f.string("stages", "30min,24h"));
        attributionWindow = f.duration("attribution-window", Duration.ofDays(7));
        frequencyCap = f.duration("frequency-cap", Duration.ofHours(16));
        String quiet = f.string("quiet-hours", "");
        quietHours = quiet.isBlank() ? null : QuietHours.parse(quiet);
        defaultTimeZone = ZoneId.of(f.string("default-time-zone", "UTC"));
        maxLateness = f.duration("max-lateness", Duration.ofHours(24));
        customerTtl = f.duration("customer-ttl", Duration.ofDays(90));
        stateCacheEntries = f.integer("state-cache-entries", 20_000);
        maxCartLines = f.integer("max-cart-lines", 100);
        f.rejectUnknown();
        if (transactionTimeout.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("--transaction-timeout must not exceed the broker's transaction.max.timeout.ms (15 min by default)");
        }
        if (maxCartLines < 1 || maxCartLines > MAX_CART_LINES_LIMIT) {
            throw new IllegalArgumentException("--max-cart-lines must be between 1 and " + MAX_CART_LINES_LIMIT + ", got " + maxCartLines);
        }
        if (maxLateness.compareTo(customerTtl) >= 0) {
            throw new IllegalArgumentException("--max-lateness must be shorter than --customer-ttl");
        }
    }

    public static AbandonmentConfig fromArgs(String... args) {
        return new AbandonmentConfig(Flags.parse(args));
    }

    /** "30min,24h,72h": strictly increasing delays. */
    static List<Duration> parseStages(String spec) {
        List<Duration> stages = new ArrayList<>();
        for (String part : spec.split(",")) {
            Duration d = org.apache.flink.util.TimeUtils.parseDuration(part.trim());
            if (d.isZero() || d.isNegative() || (!stages.isEmpty() && d.compareTo(stages.get(stages.size() - 1)) <= 0)) {
                throw new IllegalArgumentException("--stages must be increasing positive durations such as 30min,24h; got " + spec);
            }
            stages.add(d);
        }
        if (stages.size() > 30) {
            throw new IllegalArgumentException("--stages: at most 30 stages");
        }
        return List.copyOf(stages);
    }
}
