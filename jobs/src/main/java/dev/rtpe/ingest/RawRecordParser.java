package dev.rtpe.ingest;

import java.io.Serializable;
import java.util.Map;

import dev.rtpe.common.DeadLetter;
import dev.rtpe.common.EventLimits;
import dev.rtpe.common.EventType;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.Rejection;
import dev.rtpe.common.ShopperEventReader;

/**
 * Turns one raw Kafka record from {@code browse-events} or {@code cart-events} into a canonical
 * event, or into a dead letter that says why not. Never throws on bad input.
 */
public final class RawRecordParser implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String PRODUCER = "ingest";

    private final Map<String, EventType.InputTopic> topics;
    private final ShopperEventReader reader;

    public RawRecordParser(String browseTopic, String cartTopic, EventLimits limits, ShopperEventReader.Clock clock) {
        this.topics = Map.of(browseTopic, EventType.InputTopic.BROWSE, cartTopic, EventType.InputTopic.CART);
        this.reader = new ShopperEventReader(limits, clock);
    }

    public static RawRecordParser of(IngestConfig config) {
        return new RawRecordParser(config.browseTopic, config.cartTopic, config.limits, System::currentTimeMillis);
    }

    public ParsedRecord parse(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        try {
            return ParsedRecord.accepted(reader.read(value, topics.get(topic)));
        } catch (Rejection r) {
            return ParsedRecord.rejected(
                    DeadLetter.of(PRODUCER, r, topic, partition, offset, timestamp, key, value, System.currentTimeMillis()));
        }
    }
}
