package dev.rtpe.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Bad input of every kind we have seen or can imagine, each with the dead-letter reason it must get.
 * Used by the parser tests and by the end-to-end test against a real broker.
 */
public final class MalformedInputCorpus {
    public static final String BROWSE = "browse-events";
    public static final String CART = "cart-events";

    /** One malformed record: a short name, the input topic it is sent to, its bytes (null = tombstone). */
    public record Case(String name, String topic, byte[] value, String expectedReason) {
        @Override
        public String toString() {
            return name + " -> " + expectedReason;
        }
    }

    private MalformedInputCorpus() {}

    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // Envelope and encoding
        c.add(raw("empty value", BROWSE, new byte[0], "empty_payload"));
        c.add(raw("tombstone (null value)", BROWSE, null, "empty_payload"));
        c.add(json("oversized payload", BROWSE, m -> m.put("padding", "x".repeat(70 * 1024)), "payload_too_large"));
        c.add(raw("invalid UTF-8 in a string", BROWSE, invalidUtf8(), "invalid_utf8"));
        c.add(raw("UTF-16 encoded JSON", BROWSE, utf16(), "invalid_utf8"));
        // Syntax
        c.add(text("plain text", BROWSE, "hello, world", "malformed_json"));
        c.add(text("truncated JSON", BROWSE, "{\"schema_version\":1,\"event_id\":\"e-1\"", "malformed_json"));
        c.add(text("garbage after the object", BROWSE, validBrowse() + " xyz", "malformed_json"));
        c.add(text("two objects in one record", BROWSE, validBrowse() + validBrowse(), "malformed_json"));
        c.add(text("single-quoted JSON", BROWSE, validBrowse().replace('"', '\''), "malformed_json"));
        c.add(text("JSON with a comment", BROWSE, "/* hi */" + validBrowse(), "malformed_json"));
        c.add(text("whitespace only", BROWSE, "   \n ", "malformed_json"));
        c.add(text("NaN literal as price", BROWSE, validBrowse().replace("130.76", "NaN"), "malformed_json"));
        c.add(text("top-level array", BROWSE, "[" + validBrowse() + "]", "not_a_json_object"));
        c.add(text("top-level string", BROWSE, "\"view_item\"", "not_a_json_object"));
        c.add(text("top-level number", BROWSE, "42", "not_a_json_object"));
        c.add(text("top-level null", BROWSE, "null", "not_a_json_object"));
        c.add(text("duplicate field", BROWSE, validBrowse().replace("{", "{\"event_id\":\"dup-1\","), "duplicate_field"));
        c.add(text("nesting 100 deep", BROWSE,
                validBrowse().replace("{", "{\"deep\":" + "[".repeat(100) + "]".repeat(100) + ","), "json_limits_exceeded"));
        c.add(text("100-digit number", BROWSE, validBrowse().replace("130.76", "1" + "0".repeat(99)), "json_limits_exceeded"));
        // Missing fields and wrong types
        c.add(json("missing event_id", BROWSE, m -> m.remove("event_id"), "missing_field"));
        c.add(json("missing event_type", BROWSE, m -> m.remove("event_type"), "missing_field"));
        c.add(json("missing event_time", BROWSE, m -> m.remove("event_time"), "missing_field"));
        c.add(json("missing schema_version", BROWSE, m -> m.remove("schema_version"), "missing_field"));
        c.add(json("missing channel", BROWSE, m -> m.remove("channel"), "missing_field"));
        c.add(json("price without currency", BROWSE, m -> m.remove("currency"), "missing_field"));
        c.add(json("price as string", BROWSE, m -> m.put("price", "130.76"), "wrong_type"));
        c.add(json("event_time as boolean", BROWSE, m -> m.put("event_time", true), "wrong_type"));
        c.add(json("customer_id as number", BROWSE, m -> m.put("customer_id", 541312140), "wrong_type"));
        c.add(json("consent as string", BROWSE, m -> m.put("consent", "yes"), "wrong_type"));
        c.add(json("items as object", CART, m -> m.put("items", Map.of("product_id", "p1")), "wrong_type", true));
        c.add(json("quantity with decimals", CART, m -> m.put("quantity", 2.5), "wrong_type", true));
        // Vocabulary
        c.add(json("schema_version 2", BROWSE, m -> m.put("schema_version", 2), "unsupported_schema_version"));
        c.add(json("unknown event type", BROWSE, m -> m.put("event_type", "page_view"), "unknown_event_type"));
        c.add(json("purchase on browse-events", BROWSE, m -> m.put("event_type", "purchase"), "event_type_not_allowed_on_topic"));
        c.add(json("view_item on cart-events", CART, m -> m.put("event_type", "view_item"), "event_type_not_allowed_on_topic", true));
        // Time
        c.add(json("event_time in words", BROWSE, m -> m.put("event_time", "yesterday"), "invalid_event_time"));
        c.add(json("event_time without offset", BROWSE, m -> m.put("event_time", "2026-11-23T07:24:58"), "invalid_event_time"));
        c.add(json("event_time 1970", BROWSE, m -> m.put("event_time", 0), "event_time_out_of_range"));
        c.add(json("event_time in seconds, not ms", BROWSE, m -> m.put("event_time", 1795418698L), "event_time_out_of_range"));
        c.add(json("event_time year 3000", BROWSE, m -> m.put("event_time", "3000-01-01T00:00:00Z"), "event_time_out_of_range"));
        // Identity and identifiers
        c.add(json("no customer_id nor anonymous_id", BROWSE, m -> m.remove("customer_id"), "missing_identity"));
        c.add(json("event_id with spaces", BROWSE, m -> m.put("event_id", "event 1"), "invalid_identifier"));
        c.add(json("event_id of 200 characters", BROWSE, m -> m.put("event_id", "e".repeat(200)), "invalid_identifier"));
        c.add(json("control character in customer_id", BROWSE, m -> m.put("customer_id", "c-1\u0001"), "invalid_identifier"));
        c.add(json("empty session_id", BROWSE, m -> m.put("session_id", ""), "invalid_identifier"));
        c.add(json("category of 300 characters", BROWSE, m -> m.put("category", "c".repeat(300)), "invalid_text"));
        c.add(json("channel tv", BROWSE, m -> m.put("channel", "tv"), "invalid_channel"));
        // Money and quantities
        c.add(json("negative price", BROWSE, m -> m.put("price", -5), "invalid_price"));
        c.add(json("price of a billion", BROWSE, m -> m.put("price", 1e9), "invalid_price"));
        c.add(json("quantity 0", CART, m -> m.put("quantity", 0), "invalid_quantity", true));
        c.add(json("quantity of a trillion", CART, m -> m.put("quantity", 1_000_000_000_000L), "invalid_quantity", true));
        c.add(json("lowercase currency", BROWSE, m -> m.put("currency", "usd"), "invalid_currency"));
        c.add(json("four-letter currency", BROWSE, m -> m.put("currency", "EURO"), "invalid_currency"));
        c.add(json("negative order total", CART, m -> purchase(m).put("value", -10), "invalid_value", true));
        c.add(json("purchase without items", CART, m -> purchase(m).put("items", List.of()), "invalid_items", true));
        c.add(json("purchase with 201 items", CART, m -> purchase(m).put("items", manyItems(201)), "invalid_items", true));
        c.add(json("unknown time zone", BROWSE, m -> m.put("time_zone", "Mars/Olympus"), "invalid_time_zone"));
        return c;
    }

    /** A valid browse-events message every JSON case starts from. */
    public static Map<String, Object> browseEvent() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema_version", 1);
        m.put("event_id", "e-valid-1");
        m.put("event_type", "view_item");
        m.put("event_time", "2026-11-23T07:24:58.123Z");
        m.put("customer_id", "c-10293");
        m.put("session_id", "s-7f3a9c");
        m.put("channel", "web");
        m.put("product_id", "1004856");
        m.put("category", "electronics.smartphone");
        m.put("price", 130.76);
        m.put("currency", "USD");
        return m;
    }

    /** The same shopper putting the product in the cart: valid on cart-events. */
    public static Map<String, Object> cartEvent() {
        Map<String, Object> m = browseEvent();
        m.put("event_type", "add_to_cart");
        m.put("quantity", 1);
        return m;
    }

    private static Map<String, Object> purchase(Map<String, Object> m) {
        m.put("event_type", "purchase");
        m.put("order_id", "o-1");
        m.put("items", manyItems(1));
        m.put("value", 130.76);
        return m;
    }

    private static List<Map<String, Object>> manyItems(int n) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(Map.of("product_id", "p" + i, "price", 1.0, "quantity", 1));
        }
        return items;
    }

    private static String validBrowse() {
        try {
            return Contracts.JSON.writeValueAsString(browseEvent());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] invalidUtf8() {
        byte[] valid = validBrowse().replace("c-10293", "c-10293X").getBytes(StandardCharsets.UTF_8);
        int at = new String(valid, StandardCharsets.UTF_8).indexOf("c-10293X") + 7;
        byte[] bad = Arrays.copyOf(valid, valid.length);
        bad[at] = (byte) 0xFF;
        return bad;
    }

    private static byte[] utf16() {
        return validBrowse().getBytes(StandardCharsets.UTF_16LE);
    }

    private static Case raw(String name, String topic, byte[] value, String reason) {
        return new Case(name, topic, value, reason);
    }

    private static Case text(String name, String topic, String value, String reason) {
        return new Case(name, topic, value.getBytes(StandardCharsets.UTF_8), reason);
    }

    private static Case json(String name, String topic, Consumer<Map<String, Object>> change, String reason) {
        return json(name, topic, change, reason, false);
    }

    private static Case json(String name, String topic, Consumer<Map<String, Object>> change, String reason, boolean fromCart) {
        Map<String, Object> m = fromCart ? cartEvent() : browseEvent();
        m.put("event_id", "e-bad-" + Math.abs(name.hashCode()));
        change.accept(m);
        try {
            return new Case(name, topic, Contracts.JSON.writeValueAsBytes(m), reason);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
