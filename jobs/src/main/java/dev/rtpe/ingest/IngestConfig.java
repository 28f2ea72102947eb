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
    public final EventLimits limits;
    public final Duration dedupeHorizon;
    public final Duration maxOutOfOrderness;
    public final Duration idleTimeout;

    private IngestConfig(Flags f) {
        job = JobSettings.from(f);
        browseTopic = f.string("browse-topic", "browse-events");
        cartTopic = f.string("cart-topic", "cart-events");
        eventsTopic = f.string("events-topic", "shopper-events");
        deadLetterTopic = f.string("dead-letter-topic", "dead-letter");
        groupId = f.string("group-id", "rtpe-ingest");
        limits = new EventLimits(
                f.integer("max-payload-bytes", EventLimits.DEFAULT_MAX_PAYLOAD_BYTES),
                f.instant("min-event-time", EventLimits.DEFAULT_MIN_EVENT_TIME),
                f.duration("max-future-skew", EventLimits.DEFAULT_MAX_FUTURE_SKEW));
        dedupeHorizon = f.duration("dedupe-horizon", DropRepeatedEvents.DEFAULT_HORIZON);
        maxOutOfOrderness = f.duration("max-out-of-orderness", EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS);
        idleTimeout = f.duration("idle-timeout", EventTime.DEFAULT_IDLE_TIMEOUT);
        f.rejectUnknown();
    }

    /**
     * Parses raw input records: each input topic may carry only its own event types. One topic
     * named for both carries every type, in one order (scripts/evaluate.sh replays that way).
     */
    public RecordParser parser() {
        Map<String, EventType.InputTopic> topics = browseTopic.equals(cartTopic) ? Map.of()
                : Map.of(browseTopic, EventType.InputTopic.BROWSE, cartTopic, EventType.InputTopic.CART);
        return new RecordParser("ingest", topics, limits, System::currentTimeMillis);
    }

    public List<String> inputTopics() {
        return browseTopic.equals(cartTopic) ? List.of(browseTopic) : List.of(browseTopic, cartTopic);
    }

    public static IngestConfig fromArgs(String... args) {
        return new IngestConfig(Flags.parse(args));
    }
}
