package dev.rtpe.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.MalformedInputCorpus;

/**
 * What ingest admitted, the other jobs read back: ingest's admission limits are applied once, by
 * ingest, so an ingest run with relaxed limits is not undone downstream.
 */
class ShopperEventsReadingTest {
    private static final RecordParser DOWNSTREAM = RecordParser.forShopperEvents("metrics");

    /** What ingest writes for a raw event it accepted under {@code limits}. */
    private static byte[] admitted(Map<String, Object> raw, EventLimits limits) throws Exception {
        RecordParser ingest = RecordParser.forInputTopics("ingest", Map.of(MalformedInputCorpus.BROWSE, EventType.InputTopic.BROWSE),
                limits, System::currentTimeMillis);
        ParsedRecord r = ingest.parse(MalformedInputCorpus.BROWSE, 0, 0, 0, null, Contracts.JSON.writeValueAsBytes(raw));
        assertTrue(r.isAccepted(), String.valueOf(r.deadLetter));
        return new ShopperEventWriter().write(r.event);
    }

    @Test
    void anEventAdmittedUnderAnEarlierMinimumTimeIsReadDownstream() throws Exception {
        Map<String, Object> raw = MalformedInputCorpus.browseEvent();
        raw.put("event_time", "1995-06-01T12:00:00Z");
        EventLimits relaxed = new EventLimits(EventLimits.DEFAULT_MAX_PAYLOAD_BYTES, Instant.parse("1990-01-01T00:00:00Z"),
                EventLimits.DEFAULT_MAX_FUTURE_SKEW, EventLimits.DEFAULT_MAX_CLOCK_LEAD);
        ParsedRecord read = DOWNSTREAM.parse("shopper-events", 0, 0, 0, null, admitted(raw, relaxed));
        assertTrue(read.isAccepted(), "dead-lettered downstream: " + read.deadLetter);
        assertEquals(Instant.parse("1995-06-01T12:00:00Z").toEpochMilli(), read.event.eventTime);
    }

    @Test
    void aLargeEventAdmittedUnderALargerPayloadLimitIsReadDownstream() throws Exception {
        Map<String, Object> raw = MalformedInputCorpus.browseEvent();
        raw.put("padding", "x".repeat(100_000)); // unknown fields are allowed, and dropped from the canonical event
        raw.put("brand", "b".repeat(200));
        EventLimits relaxed = new EventLimits(256 * 1024, EventLimits.DEFAULT_MIN_EVENT_TIME, EventLimits.DEFAULT_MAX_FUTURE_SKEW,
                EventLimits.DEFAULT_MAX_CLOCK_LEAD);
        ParsedRecord read = DOWNSTREAM.parse("shopper-events", 0, 0, 0, null, admitted(raw, relaxed));
        assertTrue(read.isAccepted(), String.valueOf(read.deadLetter));
    }

    @Test
    void ingestsStampsAreReadBackDownstream() throws Exception {
        Map<String, Object> raw = MalformedInputCorpus.browseEvent();
        raw.put("event_time", System.currentTimeMillis() + Duration.ofHours(8).toMillis());
        ParsedRecord read = DOWNSTREAM.parse("shopper-events", 0, 0, 0, null, admitted(raw, EventLimits.defaults()));
        assertTrue(read.event.reportedEventTime > read.event.eventTime, "the corrected time and the producer's both arrive");
        assertTrue(read.event.ingestedAt > 0);
    }
}
