package dev.rtpe.common;

import java.io.Serializable;
import java.util.Map;

/**
 * Turns one Kafka record into an event, or into a dead letter that says why not. Never throws on
 * bad input. Ingest reads raw input topics with it ({@link #forInputTopics}); downstream jobs read
 * {@code shopper-events} ({@link #forShopperEvents}), which also carries ingest's watermark records.
 */
public final class RecordParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String producer;
    private final Map<String, EventType.InputTopic> inputTopics;
    private final ShopperEventReader reader;
    /** Raw input: ingest stamps each accepted event with its own clock. Null for shopper-events. */
    private final ShopperEventReader.Clock ingestClock;
    private final long maxClockLeadMillis;
    /** Record timestamps before this are a producer's broken clock, not when Kafka received the record. */
    private final long minRecordTimestamp;

    private RecordParser(String producer, Map<String, EventType.InputTopic> inputTopics, ShopperEventReader reader,
                         ShopperEventReader.Clock ingestClock, long maxClockLeadMillis, long minRecordTimestamp) {
        this.producer = producer;
        this.inputTopics = Map.copyOf(inputTopics);
        this.reader = reader;
        this.ingestClock = ingestClock;
        this.maxClockLeadMillis = maxClockLeadMillis;
        this.minRecordTimestamp = minRecordTimestamp;
    }

    /**
     * Ingest's parser of raw input.
     *
     * @param inputTopics raw input topics and the event types each may carry
     * @param clock ingest's clock: the "not in the future" rule, {@code ingested_at} and the clock lead
     */
    public static RecordParser forInputTopics(String producer, Map<String, EventType.InputTopic> inputTopics, EventLimits limits,
                                              ShopperEventReader.Clock clock) {
        return new RecordParser(producer, inputTopics, new ShopperEventReader(limits, clock), clock, limits.maxClockLeadMillis,
                limits.minEventTimeMillis);
    }

    /** A downstream job's parser of {@code shopper-events}: every event type, as ingest wrote it. */
    public static RecordParser forShopperEvents(String producer) {
        return new RecordParser(producer, Map.of(), ShopperEventReader.canonical(), null, 0, 0);
    }

    /** Whether this parser reads shopper-events, where watermark records are expected. */
    public boolean readsWatermarks() {
        return ingestClock == null;
    }

    public ParsedRecord parse(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        try {
            ShopperEvent event = reader.read(value, inputTopics.get(topic));
            if (ingestClock != null) {
                EventTime.stampIngestion(event, ingestClock.nowMillis(), timestamp >= minRecordTimestamp ? timestamp : 0, maxClockLeadMillis);
            }
            return ParsedRecord.accepted(event);
        } catch (Rejection r) {
            return rejected(r, topic, partition, offset, timestamp, key, value);
        }
    }

    /** A record that carries ingest's watermark header. */
    public ParsedRecord parseWatermark(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        try {
            return ParsedRecord.watermark(WatermarkRecord.read(value, partition));
        } catch (Rejection r) {
            return rejected(r, topic, partition, offset, timestamp, key, value);
        }
    }

    private ParsedRecord rejected(Rejection r, String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        return ParsedRecord.rejected(DeadLetter.of(producer, r, topic, partition, offset, timestamp, key, value, System.currentTimeMillis()));
    }
}
