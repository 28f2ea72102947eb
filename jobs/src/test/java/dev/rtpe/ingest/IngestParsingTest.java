package dev.rtpe.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rtpe.common.DeadLetter;
import dev.rtpe.common.DeadLetterWriter;
import dev.rtpe.common.RecordParser;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.ShopperEventWriter;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.Examples;
import dev.rtpe.testing.Examples.Example;
import dev.rtpe.testing.MalformedInputCorpus;
import dev.rtpe.testing.MalformedInputCorpus.Case;
import dev.rtpe.testing.Parsers;

/** Ingest's parser agrees with the schemas, and sends every kind of bad input to dead-letter with its reason. */
class IngestParsingTest {
    private final RecordParser parser = Parsers.ingest();

    static Stream<Example> inputExamples() {
        return Stream.concat(Examples.of("browse-events").stream(), Examples.of("cart-events").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputExamples")
    void parserAgreesWithTheSchemaExamples(Example example) throws Exception {
        ParsedRecord r = parser.parse(example.topic(), 0, 7, 1L, null, example.bytes());
        if (example.valid()) {
            assertTrue(r.isAccepted(), example + " rejected: " + r.deadLetter);
            byte[] canonical = new ShopperEventWriter().write(r.event);
            assertEquals(List.of(), Contracts.violations("shopper-events", canonical), example.toString());
        } else {
            assertFalse(r.isAccepted(), example + " accepted");
            assertEquals(example.expectedReason(), r.deadLetter.reason, example + ": " + r.deadLetter);
            assertDeadLetterIsValid(r.deadLetter, example.bytes());
        }
    }

    static Stream<Case> corpus() {
        return MalformedInputCorpus.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void malformedInputGoesToDeadLetterWithItsReason(Case c) throws Exception {
        ParsedRecord r = parser.parse(c.topic(), 3, 1234, 1795418698000L, "k".getBytes(StandardCharsets.UTF_8), c.value());
        assertFalse(r.isAccepted(), c.name() + " was accepted");
        assertEquals(c.expectedReason(), r.deadLetter.reason, c.name() + ": " + r.deadLetter);
        assertEquals(c.topic(), r.deadLetter.sourceTopic);
        assertEquals(3, r.deadLetter.sourcePartition);
        assertEquals(1234, r.deadLetter.sourceOffset);
        assertDeadLetterIsValid(r.deadLetter, c.value());
    }

    @Test
    void corpusCoversAtLeastThirtyKindsOfBadInput() {
        List<Case> cases = MalformedInputCorpus.cases();
        Set<String> names = cases.stream().map(Case::name).collect(Collectors.toSet());
        assertEquals(cases.size(), names.size(), "case names are unique");
        assertTrue(cases.size() >= 30, "only " + cases.size() + " kinds");
        Set<String> reasons = cases.stream().map(Case::expectedReason).collect(Collectors.toSet());
        assertTrue(reasons.size() >= 20, "reasons covered: " + reasons);
    }

    @Test
    void theValidBaseOfTheCorpusIsAccepted() throws Exception {
        // Guards the corpus: each case breaks one thing, so the unbroken message must pass.
        for (var m : List.of(MalformedInputCorpus.browseEvent(), MalformedInputCorpus.cartEvent())) {
            String topic = m.get("event_type").equals("view_item") ? MalformedInputCorpus.BROWSE : MalformedInputCorpus.CART;
            ParsedRecord r = parser.parse(topic, 0, 0, 0, null, Contracts.JSON.writeValueAsBytes(m));
            assertTrue(r.isAccepted(), String.valueOf(r.deadLetter));
        }
    }

    @Test
    void oversizedPayloadIsKeptTruncatedAsBase64() throws Exception {
        byte[] big = new byte[200 * 1024];
        Arrays.fill(big, (byte) 'x');
        DeadLetter d = parser.parse(MalformedInputCorpus.BROWSE, 0, 0, 0, null, big).deadLetter;
        JsonNode json = Contracts.JSON.readTree(new DeadLetterWriter().write(d));
        assertEquals("payload_too_large", json.get("reason").asText());
        assertTrue(json.get("payload_truncated").asBoolean());
        assertEquals(big.length, json.get("payload_bytes").asInt());
        assertEquals("base64", json.get("payload_encoding").asText());
        assertArrayEquals(Arrays.copyOf(big, DeadLetter.MAX_KEPT_PAYLOAD_BYTES), Base64.getDecoder().decode(json.get("payload").asText()));
    }

    /** The dead letter conforms to its schema and gives back the exact bytes that were rejected. */
    private static void assertDeadLetterIsValid(DeadLetter d, byte[] original) throws Exception {
        byte[] written = new DeadLetterWriter().write(d);
        assertEquals(List.of(), Contracts.violations("dead-letter", written), d.toString());
        JsonNode json = Contracts.JSON.readTree(written);
        assertNotNull(json.get("detail").asText());
        byte[] payload = json.get("payload_encoding").asText().equals("utf8")
                ? json.get("payload").asText().getBytes(StandardCharsets.UTF_8)
                : Base64.getDecoder().decode(json.get("payload").asText());
        byte[] expected = original == null ? new byte[0] : original;
        if (json.get("payload_truncated").asBoolean()) {
            expected = Arrays.copyOf(expected, payload.length);
        }
        assertArrayEquals(expected, payload, "raw payload round-trips");
    }
}
