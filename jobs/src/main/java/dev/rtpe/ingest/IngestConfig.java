package dev.rtpe.ingest;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.EventLimits;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.EventType;
import dev.rtpe.common.Flags;
import dev.rtpe.common.JobSettings;
import dev.rtpe.common.RecordParser;

/** Everything the ingest job can be told; every default runs against a local broker with no flags. */
public final class IngestConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final JobSettings job;
    public final String browseTopic;
    public final String cartTopic;
    public final String eventsTopic;
    public final String deadLetterTopic;
    public final String groupId;
    /** Admission rules; applied here only, the other jobs trust shopper-events. */
    public final EventLimits limits;
    public final Duration dedupeHorizon;
    /** Event time, owned by ingest: watermark delay, when a partition counts as caught up, alignment drift. */
    public final Duration maxOutOfOrderness;
    public final Duration idleTimeout;
    public final Duration maxInputDrift;
    /** When every input partition is idle, event time follows ingest's clock (off: only from the data, for replays). */
    public final boolean quietClock;

    private IngestConfig(Flags f) {
        job = JobSettings.from(f);
        browseTopic = f.string("browse-topic", "browse-events");
        cartTopic = f.string("cart-topic", "cart-events");
        eventsTopic = f.string("events-topic", "shopper-events");
        deadLetterTopic = f.string("dead-letter-topic", "dead-letter");
        groupId = f.string("group-id", "rtpe-ingest");
        limits = EventLimits.from(f);
        dedupeHorizon = f.duration("dedupe-horizon", DropRepeatedEvents.DEFAULT_HORIZON);
        maxOutOfOrderness = f.duration("max-out-of-orderness", EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS);
        idleTimeout = f.duration("idle-timeout", EventTime.DEFAULT_IDLE_TIMEOUT);
        maxInputDrift = f.duration("max-input-drift", EventTime.DEFAULT_MAX_INPUT_DRIFT);
        quietClock = f.bool("quiet-clock", true);
        f.rejectUnknown();
        if (browseTopic.equals(cartTopic)) {
            throw new IllegalArgumentException("--browse-topic and --cart-topic must be different topics: each carries its own"
                    + " event types (got " + browseTopic + " for both)");
        }
        requirePositive("idle-timeout", idleTimeout);
        requirePositive("max-input-drift", maxInputDrift);
        if (maxOutOfOrderness.isNegative()) {
            throw new IllegalArgumentException("--max-out-of-orderness must not be negative, got " + maxOutOfOrderness);
        }
    }

    private static void requirePositive(String flag, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("--" + flag + " must be positive, got " + d);
        }
    }

    /** Parses raw input records: each input topic may carry only its own event types. */
    public RecordParser parser() {
        return RecordParser.forInputTopics("ingest", Map.of(browseTopic, EventType.InputTopic.BROWSE, cartTopic, EventType.InputTopic.CART),
                limits, System::currentTimeMillis);
    }

    public List<String> inputTopics() {
        return List.of(browseTopic, cartTopic);
    }

    public static IngestConfig fromArgs(String... args) {
        return new IngestConfig(Flags.parse(args));
    }
}
