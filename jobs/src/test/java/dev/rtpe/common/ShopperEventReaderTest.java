package dev.rtpe.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.Examples;
import dev.rtpe.testing.Examples.Example;
import dev.rtpe.testing.MalformedInputCorpus;

class ShopperEventReaderTest {
    private static final long NOW = Instant.parse("2026-11-23T08:00:00Z").toEpochMilli();
    private final ShopperEventReader reader = new ShopperEventReader(EventLimits.defaults(), () -> NOW);

    private ShopperEvent read(Map<String, Object> m, EventType.InputTopic topic) throws Exception {
        return reader.read(Contracts.JSON.writeValueAsBytes(m), topic);
    }

    @Test
    void anOffsetTimeIsNormalisedToUtcMillis() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.put("event_time", "2026-11-23T08:24:58.123+01:00");
        assertEquals(Instant.parse("2026-11-23T07:24:58.123Z").toEpochMilli(), read(m, EventType.InputTopic.BROWSE).eventTime);
    }

    @Test
    void defaultsAreApplied() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.cartEvent();
        m.remove("quantity");
        ShopperEvent e = read(m, EventType.InputTopic.CART);
        assertEquals(1, e.quantity, "add_to_cart defaults to one unit");
        assertTrue(e.consentPersonalization, "personalization defaults to granted");
        assertFalse(e.consentMarketing, "marketing defaults to not granted");
        assertEquals("c:c-10293", e.customerKey);
    }

    @Test
    void anonymousVisitorsGetTheirOwnKeySpace() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.remove("customer_id");
        m.put("anonymous_id", "c-10293");
        ShopperEvent e = read(m, EventType.InputTopic.BROWSE);
        assertTrue(e.isAnonymous());
        assertEquals("a:c-10293", e.customerKey, "an anonymous id equal to a customer id must not share its key");
    }

    @Test
    void unknownFieldsAndNullsAreIgnored() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.put("page", Map.of("url", "https://shop.example/p/1", "tags", new int[] {1, 2}));
        m.put("brand", null);
        ShopperEvent e = read(m, EventType.InputTopic.BROWSE);
        assertNull(e.brand);
        assertEquals("1004856", e.productId);
    }

    @Test
    void theFutureLimitFollowsTheClockAndTheConfiguredSkew() throws Exception {
        Map<String, Object> m = MalformedInputCorpus.browseEvent();
        m.put("event_time", NOW + Duration.ofHours(2).toMillis());
        ShopperEventReader strict = new ShopperEventReader(
                new EventLimits(64 * 1024, EventLimits.DEFAULT_MIN_EVENT_TIME, Duration.ofHours(1), Duration.ofSeconds(5)), () -> NOW);
        Rejection r = assertThrows(Rejection.class, () -> strict.read(Contracts.JSON.writeValueAsBytes(m), null));
        assertEquals(RejectReason.EVENT_TIME_OUT_OF_RANGE, r.reason());
        assertEquals("e-valid-1", r.eventId(), "the event id is reported when it was readable");
        assertEquals(NOW + Duration.ofHours(2).toMillis(), read(m, null).eventTime, "a day of skew is allowed by default");
    }

    @Test
    void anIdOfOnlySpacesIsBlankButOneWithLettersIsNot() {
        assertFalse(ShopperEventReader.isCleanText("   ", 128));
        assertTrue(ShopperEventReader.isCleanText(" a ", 128));
        assertFalse(ShopperEventReader.isCleanText("a\tb", 128));
        assertTrue(ShopperEventReader.isCleanText("Müller 🛒", 128));
    }

    static Stream<Example> validInputExamples() {
        return Stream.concat(Examples.of("browse-events").stream(), Examples.of("cart-events").stream()).filter(Example::valid);
    }

    /** shopper-events is read with the same reader: what ingest writes, the downstream jobs read back unchanged. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("validInputExamples")
    void canonicalEventsRoundTrip(Example example) throws Exception {
        ShopperEvent parsed = new ShopperEventReader(EventLimits.defaults()).read(example.bytes(), null);
        parsed.ingestedAt = 1795418698140L;
        byte[] canonical = new ShopperEventWriter().write(parsed);
        ShopperEvent again = ShopperEventReader.canonical().read(canonical, null);
        assertEquals(parsed, again, new String(canonical, StandardCharsets.UTF_8));
    }
}
