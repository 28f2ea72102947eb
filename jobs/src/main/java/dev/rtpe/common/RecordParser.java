package dev.rtpe.common;

import java.io.Serializable;
import java.util.Map;

/**
 * Turns one Kafka record into an event, or into a dead letter that says why not. Never throws on
 * bad input. Ingest reads raw input topics with it; downstream jobs read {@code shopper-events}.
 */
public final class RecordParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String producer;
    private final Map<String, EventType.InputTopic> inputTopics;
    private final ShopperEventReader reader;

    /**
     * @param producer the job name written into dead letters
     * @param inputTopics raw input topics and the event types each may carry; records of any other
     *     topic may carry every type
     */
    public RecordParser(String producer, Map<String, EventType.InputTopic> inputTopics, EventLimits limits,
                        ShopperEventReader.Clock clock) {
        this.producer = producer;
        this.inputTopics = Map.copyOf(inputTopics);
        this.reader = new ShopperEventReader(limits, clock);
    }

    public ParsedRecord parse(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        try {
            return ParsedRecord.accepted(reader.read(value, inputTopics.get(topic)));
        } catch (Rejection r) {
            return ParsedRecord.rejected(
                    DeadLetter.of(producer, r, topic, partition, offset, timestamp, key, value, System.currentTimeMillis()));
        }
    }
}
