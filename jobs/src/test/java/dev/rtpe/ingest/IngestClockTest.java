package dev.rtpe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.RecordParser;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.MalformedInputCorpus;
import dev.rtpe.testing.Parsers;

/** What ingest's own clock decides about an event: when it was ingested, and how far ahead its time may be. */
class IngestClockTest {
    private static final long NOW = Instant.parse("2026-11-23T08:00:00Z").toEpochMilli();
    private final RecordParser parser = Parsers.ingest(() -> NOW);

    private ParsedRecord parse(Map<String, Object> event) throws Exception {
        return parse(event, 0);
    }

    private ParsedRecord parse(Map<String, Object> event, long recordTimestamp) throws Exception {
        return parser.parse(MalformedInputCorpus.BROWSE, 0, 0, recordTimestamp, null, Contracts.JSON.writeValueAsBytes(event));
    }

    @Test
    void ingestStampsIngestedAtAndIgnoresAProducersValue() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.put("ingested_at", 1_000L);
        ParsedRecord r = parse(m);
        assertTrue(r.isAccepted(), String.valueOf(r.deadLetter));
        assertEquals(NOW, r.event.ingestedAt, "ingested_at is ingest's to stamp");
    }

    @Test
    void anEventAheadOfIngestsClockIsHeldAtTheClockPlusTheAllowedLeadAndKeepsItsReportedTime() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        long eightHoursAhead = NOW + Duration.ofHours(8).toMillis();
        m.put("event_time", eightHoursAhead);
        ParsedRecord r = parse(m);
        assertTrue(r.isAccepted(), "within the day of skew that is accepted: " + r.deadLetter);
        assertEquals(NOW + Duration.ofSeconds(5).toMillis(), r.event.eventTime, "a phone 8 h fast cannot move event time 8 h");
        assertEquals(eightHoursAhead, r.event.reportedEventTime, "what the producer said is kept");
    }

    /** Read from a backlog an hour late: the bound is when Kafka received it, not when ingest read it. */
    @Test
    void inABacklogTheBoundIsTheRecordTimestamp() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        long receivedAnHourAgo = NOW - Duration.ofHours(1).toMillis();
        m.put("event_time", receivedAnHourAgo + Duration.ofHours(8).toMillis());
        ParsedRecord r = parse(m, receivedAnHourAgo);
        assertEquals(receivedAnHourAgo + 5_000, r.event.eventTime);
        assertEquals(NOW, r.event.ingestedAt);
    }

    @Test
    void aProducerClockAheadOfIngestsDoesNotWidenTheBound() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.put("event_time", NOW + Duration.ofHours(8).toMillis());
        ParsedRecord r = parse(m, NOW + Duration.ofHours(8).toMillis());
        assertEquals(NOW + 5_000, r.event.eventTime);
    }

    @Test
    void anEventWithinTheLeadKeepsItsTime() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.put("event_time", NOW + 3_000);
        ParsedRecord r = parse(m);
        assertEquals(NOW + 3_000, r.event.eventTime);
        assertEquals(0, r.event.reportedEventTime, "nothing corrected, nothing reported");
    }

    @Test
    void aProducersReportedEventTimeIsIgnoredToo() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.put("reported_event_time", 42L);
        ParsedRecord r = parse(m);
        assertEquals(0, r.event.reportedEventTime);
    }
}
