package dev.rtpe.common;

import java.io.CharConversionException;
import java.io.IOException;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.ethlo.time.ITU;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * Reads one shopper event from JSON bytes and checks it against the contract in {@code schemas/}.
 * Ingest uses it on raw input ({@link #ShopperEventReader(EventLimits, Clock)}), with its admission
 * limits; downstream jobs use it on {@code shopper-events} ({@link #canonical()}), which is the same
 * format plus what ingest adds ({@code customer_key}, {@code ingested_at}, {@code reported_event_time}).
 * Raw input may not set what ingest adds: those fields are ignored there.
 *
 * <p>It streams tokens straight into a {@link ShopperEvent} (no JSON tree), and reports the first
 * broken rule as a {@link Rejection}. Unknown fields are skipped, so producers may add fields.
 */
public final class ShopperEventReader implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_TEXT_LENGTH = 256;
    public static final int MAX_ITEMS = 200;
    public static final int MAX_QUANTITY = 1000;
    public static final double MAX_PRICE = 1_000_000;
    public static final double MAX_VALUE = 100_000_000;
    public static final int MAX_NESTING_DEPTH = 16;

    private static final Set<String> ZONE_IDS = ZoneId.getAvailableZoneIds();

    private final EventLimits limits;
    private final Clock clock;
    /** Reads shopper-events: ingest's fields are read, and ingest's admission limits are not applied again. */
    private final boolean canonical;
    private transient JsonFactory json;

    /** Wall clock for the "not in the future" rule; a seam for tests. */
    @FunctionalInterface
    public interface Clock extends Serializable {
        long nowMillis();
    }

    public ShopperEventReader(EventLimits limits) {
        this(limits, System::currentTimeMillis);
    }

    public ShopperEventReader(EventLimits limits, Clock clock) {
        this(limits, clock, false);
    }

    private ShopperEventReader(EventLimits limits, Clock clock, boolean canonical) {
        this.limits = limits;
        this.clock = clock;
        this.canonical = canonical;
    }

    /** The reader of {@code shopper-events}: the contract's structure, without ingest's admission limits. */
    public static ShopperEventReader canonical() {
        return new ShopperEventReader(new EventLimits(EventLimits.CANONICAL_MAX_PAYLOAD_BYTES, Instant.EPOCH,
                Duration.ofDays(36_500), Duration.ZERO), System::currentTimeMillis, true);
    }

    /**
     * Reads and validates one event.
     *
     * @param onlyFrom the input topic the record came from, which restricts its event types; null
     *     for {@code shopper-events}, which carries every type
     */
    public ShopperEvent read(byte[] payload, EventType.InputTopic onlyFrom) throws Rejection {
        checkEnvelope(payload);
        RawFields raw = new RawFields();
        ShopperEvent event = new ShopperEvent();
        try (JsonParser p = json().createParser(payload)) {
            readObject(p, event, raw);
        } catch (Rejection r) {
            throw r.withEventId(event.eventId);
        } catch (StreamConstraintsException e) {
            throw new Rejection(RejectReason.JSON_LIMITS_EXCEEDED, null, e.getOriginalMessage()).withEventId(event.eventId);
        } catch (CharConversionException e) {
            throw new Rejection(RejectReason.INVALID_UTF8, null, e.getMessage());
        } catch (JsonParseException e) {
            throw classifyParseError(e).withEventId(event.eventId);
        } catch (IOException e) {
            throw new Rejection(RejectReason.MALFORMED_JSON, null, e.getMessage());
        }
        try {
            validate(event, raw, onlyFrom);
        } catch (Rejection r) {
            throw r.withEventId(event.eventId);
        }
        return event;
    }

    /** Fields that need checking after the whole object is read. */
    private static final class RawFields {
        boolean sawSchemaVersion;
        long schemaVersion;
        String eventType;
        String eventTimeText;
        boolean sawEventTimeMillis;
        long eventTimeMillis;
        String channel;
    }

    // ---- envelope and syntax -------------------------------------------------------------

    private void checkEnvelope(byte[] payload) throws Rejection {
        if (payload == null || payload.length == 0) {
            throw new Rejection(RejectReason.EMPTY_PAYLOAD, null, "record has no value");
        }
        if (payload.length > limits.maxPayloadBytes) {
            throw new Rejection(RejectReason.PAYLOAD_TOO_LARGE, null,
                    "record is " + payload.length + " bytes, the limit is " + limits.maxPayloadBytes);
        }
        // JSON on Kafka is UTF-8; a NUL in the first bytes means UTF-16/32, which Jackson would otherwise guess.
        for (int i = 0; i < Math.min(4, payload.length); i++) {
            if (payload[i] == 0) {
                throw new Rejection(RejectReason.INVALID_UTF8, null, "payload is not UTF-8 (NUL byte at " + i + ")");
            }
        }
    }

    private static Rejection classifyParseError(JsonParseException e) {
        String message = e.getOriginalMessage();
        if (message.startsWith("Duplicate field")) {
            return new Rejection(RejectReason.DUPLICATE_FIELD, null, message);
        }
        if (message.contains("UTF-8") || message.contains("UTF8")) {
            return new Rejection(RejectReason.INVALID_UTF8, null, message);
        }
        return new Rejection(RejectReason.MALFORMED_JSON, null, message);
    }

    private void readObject(JsonParser p, ShopperEvent e, RawFields raw) throws IOException, Rejection {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new Rejection(RejectReason.MALFORMED_JSON, null, "no JSON value, only whitespace");
        }
        if (first != JsonToken.START_OBJECT) {
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new Rejection(RejectReason.MALFORMED_JSON, null, "content after the top-level value");
            }
            throw new Rejection(RejectReason.NOT_A_JSON_OBJECT, null, "top-level value is " + describe(first) + ", not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            readField(p, name, p.nextToken(), e, raw);
        }
        if (p.nextToken() != null) {
            throw new Rejection(RejectReason.MALFORMED_JSON, null, "content after the top-level object");
        }
    }

    private void readField(JsonParser p, String name, JsonToken t, ShopperEvent e, RawFields raw)
            throws IOException, Rejection {
        switch (name) {
            case "schema_version":
                raw.sawSchemaVersion = t != JsonToken.VALUE_NULL;
                raw.schemaVersion = integer(p, t, name, 0);
                break;
            case "event_id": e.eventId = text(p, t, name); break;
            case "event_type": raw.eventType = text(p, t, name); break;
            case "event_time": readEventTime(p, t, raw); break;
            case "customer_id": e.customerId = text(p, t, name); break;
            case "anonymous_id": e.anonymousId = text(p, t, name); break;
            case "session_id": e.sessionId = text(p, t, name); break;
            case "channel": raw.channel = text(p, t, name); break;
            case "product_id": e.productId = text(p, t, name); break;
            case "category": e.category = text(p, t, name); break;
            case "brand": e.brand = text(p, t, name); break;
            case "price": e.price = number(p, t, name); break;
            case "currency": e.currency = text(p, t, name); break;
            case "quantity": e.quantity = quantity(p, t, name); break;
            case "search_term": e.searchTerm = text(p, t, name); break;
            case "item_list_id": e.itemListId = text(p, t, name); break;
            case "order_id": e.orderId = text(p, t, name); break;
            case "value": e.value = number(p, t, name); break;
            case "items": e.items = items(p, t); break;
            case "consent": readConsent(p, t, e); break;
            case "time_zone": e.timeZone = text(p, t, name); break;
            case "ingested_at": e.ingestedAt = setByIngest(p, t, name); break;
            case "reported_event_time": e.reportedEventTime = setByIngest(p, t, name); break;
            default: p.skipChildren();
        }
    }

    /** A field only ingest sets: read on shopper-events, ignored in raw input (a producer cannot set it). */
    private long setByIngest(JsonParser p, JsonToken t, String name) throws IOException, Rejection {
        if (canonical) {
            return integer(p, t, name, 0);
        }
        p.skipChildren();
        return 0;
    }

    private static void readEventTime(JsonParser p, JsonToken t, RawFields raw) throws IOException, Rejection {
        if (t == JsonToken.VALUE_STRING) {
            raw.eventTimeText = p.getText();
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
            raw.eventTimeMillis = integer(p, t, "event_time", 0);
            raw.sawEventTimeMillis = true;
        } else if (t != JsonToken.VALUE_NULL) {
            throw wrongType("event_time", "an RFC 3339 string or epoch milliseconds", t);
        }
    }

    private static void readConsent(JsonParser p, JsonToken t, ShopperEvent e) throws IOException, Rejection {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw wrongType("consent", "an object", t);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "personalization": e.consentPersonalization = bool(v, "consent.personalization", true); break;
                case "marketing": e.consentMarketing = bool(v, "consent.marketing", false); break;
                default: p.skipChildren();
            }
        }
    }

    private static LineItem[] items(JsonParser p, JsonToken t) throws IOException, Rejection {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw wrongType("items", "an array", t);
        }
        List<LineItem> items = new ArrayList<>();
        JsonToken next;
        while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
            String path = "items[" + items.size() + "]";
            if (items.size() == MAX_ITEMS) {
                throw new Rejection(RejectReason.INVALID_ITEMS, "items", "more than " + MAX_ITEMS + " items");
            }
            if (next != JsonToken.START_OBJECT) {
                throw wrongType(path, "an object", next);
            }
            items.add(item(p, path));
        }
        return items.toArray(new LineItem[0]);
    }

    private static LineItem item(JsonParser p, String path) throws IOException, Rejection {
        LineItem item = new LineItem();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "product_id": item.productId = text(p, v, path + ".product_id"); break;
                case "category": item.category = text(p, v, path + ".category"); break;
                case "brand": item.brand = text(p, v, path + ".brand"); break;
                case "price": item.price = number(p, v, path + ".price"); break;
                case "quantity": item.quantity = quantity(p, v, path + ".quantity"); break;
                default: p.skipChildren();
            }
        }
        return item;
    }

    // ---- typed token access ---------------------------------------------------------------

    private static String text(JsonParser p, JsonToken t, String field) throws IOException, Rejection {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw wrongType(field, "a string", t);
    }

    private static double number(JsonParser p, JsonToken t, String field) throws IOException, Rejection {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return Double.NaN;
        }
        throw wrongType(field, "a number", t);
    }

    /** An integer; one too big for a long comes back as Long.MAX_VALUE, which every caller's range rejects. */
    private static long integer(JsonParser p, JsonToken t, String field, long ifNull) throws IOException, Rejection {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? Long.MAX_VALUE : p.getLongValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return ifNull;
        }
        throw wrongType(field, "an integer", t);
    }

    /** Units: 0 when absent, else a whole number from 1 to MAX_QUANTITY. */
    private static int quantity(JsonParser p, JsonToken t, String field) throws IOException, Rejection {
        long v = integer(p, t, field, 0);
        if (t != JsonToken.VALUE_NULL && (v < 1 || v > MAX_QUANTITY)) {
            throw new Rejection(RejectReason.INVALID_QUANTITY, field, field + " must be a whole number from 1 to " + MAX_QUANTITY + ", got " + v);
        }
        return (int) v;
    }

    private static boolean bool(JsonToken t, String field, boolean ifNull) throws Rejection {
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return false;
        }
        if (t == JsonToken.VALUE_NULL) {
            return ifNull;
        }
        throw wrongType(field, "true or false", t);
    }

    private static Rejection wrongType(String field, String expected, JsonToken actual) {
        return new Rejection(RejectReason.WRONG_TYPE, field, field + " must be " + expected + ", got " + describe(actual));
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT: return "an integer";
            case VALUE_NUMBER_FLOAT: return "a decimal number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return t.toString();
        }
    }

    // ---- contract rules ---------------------------------------------------------------------

    private void validate(ShopperEvent e, RawFields raw, EventType.InputTopic onlyFrom) throws Rejection {
        requireSchemaVersion(raw);
        e.eventType = requireEventType(raw.eventType, onlyFrom);
        requireEventId(e.eventId);
        e.eventTime = requireEventTime(raw);
        e.customerKey = requireIdentity(e.customerId, e.anonymousId);
        requireIdentifier(e.sessionId, "session_id");
        e.channel = requireChannel(raw.channel);
        checkOptionalText(e.category, "category");
        checkOptionalText(e.brand, "brand");
        checkTimeZone(e.timeZone);
        checkOptionalPrice(e.price, "price");
        checkOptionalValue(e.value);
        checkItems(e.items, e.eventType == EventType.PURCHASE);
        if (e.itemListId != null) {
            requireIdentifier(e.itemListId, "item_list_id");
        }
        requireTypeSpecificFields(e);
        requireCurrencyWhenMoney(e);
    }

    private static void requireSchemaVersion(RawFields raw) throws Rejection {
        if (!raw.sawSchemaVersion) {
            throw missing("schema_version");
        }
        if (raw.schemaVersion != ShopperEvent.SCHEMA_VERSION) {
            throw new Rejection(RejectReason.UNSUPPORTED_SCHEMA_VERSION, "schema_version",
                    "schema_version " + raw.schemaVersion + " is not supported; this engine reads version " + ShopperEvent.SCHEMA_VERSION);
        }
    }

    private static EventType requireEventType(String name, EventType.InputTopic onlyFrom) throws Rejection {
        if (name == null) {
            throw missing("event_type");
        }
        EventType type = EventType.fromWireName(name);
        if (type == null) {
            throw new Rejection(RejectReason.UNKNOWN_EVENT_TYPE, "event_type", "'" + abbreviate(name) + "' is not a known event type");
        }
        if (onlyFrom != null && type.inputTopic != onlyFrom) {
            throw new Rejection(RejectReason.EVENT_TYPE_NOT_ALLOWED_ON_TOPIC, "event_type",
                    name + " events belong on the " + type.inputTopic.name().toLowerCase() + " events topic");
        }
        return type;
    }

    private static void requireEventId(String id) throws Rejection {
        if (id == null) {
            throw missing("event_id");
        }
        if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new Rejection(RejectReason.INVALID_IDENTIFIER, "event_id", "event_id must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '!' || c > '~') {
                throw new Rejection(RejectReason.INVALID_IDENTIFIER, "event_id", "event_id must be printable ASCII without spaces");
            }
        }
    }

    private long requireEventTime(RawFields raw) throws Rejection {
        long millis;
        if (raw.eventTimeText != null) {
            millis = parseRfc3339(raw.eventTimeText);
        } else if (raw.sawEventTimeMillis) {
            millis = raw.eventTimeMillis;
        } else {
            throw missing("event_time");
        }
        if (canonical) {
            return millis; // admitted by ingest already
        }
        long latest = clock.nowMillis() + limits.maxFutureSkewMillis;
        if (millis < limits.minEventTimeMillis || millis > latest) {
            throw new Rejection(RejectReason.EVENT_TIME_OUT_OF_RANGE, "event_time",
                    "event_time " + describeMillis(millis) + " is outside [" + Instant.ofEpochMilli(limits.minEventTimeMillis)
                            + ", now + " + Duration.ofMillis(limits.maxFutureSkewMillis) + "]");
        }
        return millis;
    }

    private static long parseRfc3339(String text) throws Rejection {
        try {
            return ITU.parseDateTime(text).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new Rejection(RejectReason.INVALID_EVENT_TIME, "event_time",
                    "event_time '" + abbreviate(text) + "' is not an RFC 3339 date-time with offset, such as 2026-11-23T07:24:58.123Z");
        }
    }

    private static String describeMillis(long millis) {
        try {
            return Instant.ofEpochMilli(millis).toString();
        } catch (DateTimeException e) {
            return millis + " ms";
        }
    }

    private static String requireIdentity(String customerId, String anonymousId) throws Rejection {
        if (customerId == null && anonymousId == null) {
            throw new Rejection(RejectReason.MISSING_IDENTITY, "customer_id",
                    "an event needs customer_id, or anonymous_id for a visitor who is not logged in");
        }
        if (customerId != null) {
            requireIdentifier(customerId, "customer_id");
        }
        if (anonymousId != null) {
            requireIdentifier(anonymousId, "anonymous_id");
        }
        return ShopperEvent.customerKeyOf(customerId, anonymousId);
    }

    private static Channel requireChannel(String name) throws Rejection {
        if (name == null) {
            throw missing("channel");
        }
        Channel channel = Channel.fromWireName(name);
        if (channel == null) {
            throw new Rejection(RejectReason.INVALID_CHANNEL, "channel",
                    "'" + abbreviate(name) + "' is not a channel; use web, mobile_web, app, pos or other");
        }
        return channel;
    }

    /** Identifiers: 1 to 128 characters, not only spaces, no control characters (as in common.schema.json). */
    private static void requireIdentifier(String value, String field) throws Rejection {
        if (value == null) {
            throw missing(field);
        }
        if (!isCleanText(value, MAX_ID_LENGTH)) {
            throw new Rejection(RejectReason.INVALID_IDENTIFIER, field,
                    field + " must be 1 to " + MAX_ID_LENGTH + " characters, not blank, without control characters");
        }
    }

    private static void checkOptionalText(String value, String field) throws Rejection {
        if (value != null && !isCleanText(value, MAX_TEXT_LENGTH)) {
            throw new Rejection(RejectReason.INVALID_TEXT, field,
                    field + " must be 1 to " + MAX_TEXT_LENGTH + " characters, not blank, without control characters");
        }
    }

    static boolean isCleanText(String s, int maxLength) {
        if (s.isEmpty() || (s.length() > maxLength && s.codePointCount(0, s.length()) > maxLength)) {
            return false;
        }
        boolean blank = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return false;
            }
            if (c != ' ') {
                blank = false;
            }
        }
        return !blank;
    }

    private static void checkTimeZone(String zone) throws Rejection {
        if (zone != null && !ZONE_IDS.contains(zone)) {
            throw new Rejection(RejectReason.INVALID_TIME_ZONE, "time_zone",
                    "'" + abbreviate(zone) + "' is not an IANA time zone such as Europe/Berlin");
        }
    }

    private static void checkOptionalPrice(double price, String field) throws Rejection {
        if (!Double.isNaN(price) && !(price >= 0 && price <= MAX_PRICE)) {
            throw new Rejection(RejectReason.INVALID_PRICE, field, field + " must be between 0 and " + (long) MAX_PRICE + ", got " + price);
        }
    }

    private static void checkOptionalValue(double value) throws Rejection {
        if (!Double.isNaN(value) && !(value >= 0 && value <= MAX_VALUE)) {
            throw new Rejection(RejectReason.INVALID_VALUE, "value", "value must be between 0 and " + (long) MAX_VALUE + ", got " + value);
        }
    }

    private static void checkItems(LineItem[] items, boolean isOrder) throws Rejection {
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.length; i++) {
            LineItem item = items[i];
            String path = "items[" + i + "]";
            requireIdentifier(item.productId, path + ".product_id");
            checkOptionalText(item.category, path + ".category");
            checkOptionalText(item.brand, path + ".brand");
            checkOptionalPrice(item.price, path + ".price");
            if (isOrder && !item.hasPrice()) {
                throw missing(path + ".price");
            }
            if (isOrder && item.quantity == 0) {
                throw missing(path + ".quantity");
            }
        }
    }

    private static void requireTypeSpecificFields(ShopperEvent e) throws Rejection {
        switch (e.eventType) {
            case VIEW_ITEM:
            case REMOVE_FROM_CART:
            case ADD_TO_WISHLIST:
                requireIdentifier(e.productId, "product_id");
                break;
            case ADD_TO_CART:
                requireIdentifier(e.productId, "product_id");
                if (!e.hasPrice()) {
                    throw missing("price");
                }
                if (e.quantity == 0) {
                    e.quantity = 1;
                }
                break;
            case SEARCH:
                if (e.searchTerm == null) {
                    throw missing("search_term");
                }
                checkOptionalText(e.searchTerm, "search_term");
                break;
            case PURCHASE:
                requireIdentifier(e.orderId, "order_id");
                if (e.items == null || e.items.length == 0) {
                    throw new Rejection(RejectReason.INVALID_ITEMS, "items", "a purchase needs at least one item");
                }
                if (!e.hasValue()) {
                    throw missing("value");
                }
                break;
            default:
                if (e.productId != null) {
                    requireIdentifier(e.productId, "product_id");
                }
        }
    }

    private static void requireCurrencyWhenMoney(ShopperEvent e) throws Rejection {
        boolean hasMoney = e.hasPrice() || e.hasValue();
        if (e.items != null) {
            for (LineItem item : e.items) {
                hasMoney |= item.hasPrice();
            }
        }
        if (e.currency == null) {
            if (hasMoney) {
                throw missing("currency");
            }
            return;
        }
        String c = e.currency;
        if (c.length() != 3 || !isUpper(c.charAt(0)) || !isUpper(c.charAt(1)) || !isUpper(c.charAt(2))) {
            throw new Rejection(RejectReason.INVALID_CURRENCY, "currency",
                    "currency must be an ISO 4217 code such as EUR, got '" + abbreviate(c) + "'");
        }
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static Rejection missing(String field) {
        return new Rejection(RejectReason.MISSING_FIELD, field, field + " is required");
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private JsonFactory json() {
        if (json == null) {
            json = JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(limits.maxPayloadBytes)
                            .maxNumberLength(64)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build();
        }
        return json;
    }
}
