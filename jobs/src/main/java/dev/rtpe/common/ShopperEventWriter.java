package dev.rtpe.common;

import static dev.rtpe.common.JsonWriting.optionalNumber;
import static dev.rtpe.common.JsonWriting.optionalString;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;

/** Writes a {@link ShopperEvent} as a {@code shopper-events} message (see schemas/shopper-events.schema.json). */
public final class ShopperEventWriter {
    private final JsonWriting json = new JsonWriting();

    /** A canonical {@code shopper-events} record. */
    public byte[] write(ShopperEvent e) {
        return json.object(g -> fields(g, e, true));
    }

    /** An input record for {@code browse-events} or {@code cart-events}: without what ingest adds. */
    public byte[] writeInput(ShopperEvent e) {
        return json.object(g -> fields(g, e, false));
    }

    private static void fields(JsonGenerator g, ShopperEvent e, boolean canonical) throws IOException {
        g.writeNumberField("schema_version", ShopperEvent.SCHEMA_VERSION);
        g.writeStringField("event_id", e.eventId);
        g.writeStringField("event_type", e.eventType.wireName);
        g.writeNumberField("event_time", e.eventTime);
        if (canonical) {
            g.writeStringField("customer_key", e.customerKey);
        }
        optionalString(g, "customer_id", e.customerId);
        optionalString(g, "anonymous_id", e.anonymousId);
        g.writeStringField("session_id", e.sessionId);
        g.writeStringField("channel", e.channel.wireName);
        optionalString(g, "product_id", e.productId);
        optionalString(g, "category", e.category);
        optionalString(g, "brand", e.brand);
        optionalNumber(g, "price", e.price);
        optionalString(g, "currency", e.currency);
        if (e.quantity != 0) {
            g.writeNumberField("quantity", e.quantity);
        }
        optionalString(g, "search_term", e.searchTerm);
        optionalString(g, "item_list_id", e.itemListId);
        optionalString(g, "order_id", e.orderId);
        optionalNumber(g, "value", e.value);
        if (e.items != null) {
            g.writeArrayFieldStart("items");
            for (LineItem item : e.items) {
                item(g, item);
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("consent");
        g.writeBooleanField("personalization", e.consentPersonalization);
        g.writeBooleanField("marketing", e.consentMarketing);
        g.writeEndObject();
        optionalString(g, "time_zone", e.timeZone);
        if (canonical) {
            g.writeNumberField("ingested_at", e.ingestedAt);
            if (e.reportedEventTime != 0) {
                g.writeNumberField("reported_event_time", e.reportedEventTime);
            }
        }
    }

    private static void item(JsonGenerator g, LineItem item) throws IOException {
        g.writeStartObject();
        g.writeStringField("product_id", item.productId);
        optionalString(g, "category", item.category);
        optionalString(g, "brand", item.brand);
        optionalNumber(g, "price", item.price);
        if (item.quantity != 0) {
            g.writeNumberField("quantity", item.quantity);
        }
        g.writeEndObject();
    }
}
