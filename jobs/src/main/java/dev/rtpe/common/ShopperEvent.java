package dev.rtpe.common;

import java.util.Arrays;
import java.util.Objects;

/**
 * The canonical shopper event, as written to {@code shopper-events} and read by every downstream job.
 * A Flink POJO (public fields, no-arg constructor) so it never falls back to Kryo. Optional numbers
 * use NaN or 0 instead of boxed types to keep the per-event path free of allocation.
 */
public class ShopperEvent {
    public static final int SCHEMA_VERSION = 1;

    public String eventId;
    public EventType eventType;
    /** Epoch milliseconds, UTC. */
    public long eventTime;
    /** Partition key: {@code c:<customer_id>} for known customers, {@code a:<anonymous_id>} otherwise. */
    public String customerKey;
    public String customerId;
    public String anonymousId;
    public String sessionId;
    public Channel channel;

    public String productId;
    public String category;
    public String brand;
    /** Unit price; NaN when not given. */
    public double price = Double.NaN;
    public String currency;
    /** Units; 0 when not given (for remove_from_cart: the whole line). */
    public int quantity;

    public String searchTerm;
    public String itemListId;
    public String orderId;
    /** Cart, checkout or order total; NaN when not given. */
    public double value = Double.NaN;
    public LineItem[] items;

    public boolean consentPersonalization = true;
    public boolean consentMarketing;
    /** IANA time zone of the shopper, when known. */
    public String timeZone;

    /** When ingest accepted the event, epoch milliseconds; 0 before that. */
    public long ingestedAt;
    /**
     * The producer's own event time when it was ahead of ingest's clock by more than the allowed
     * lead and {@link #eventTime} was corrected; 0 when the event time is as the producer sent it.
     */
    public long reportedEventTime;

    public ShopperEvent() {}

    public boolean isAnonymous() {
        return customerId == null;
    }

    public boolean hasPrice() {
        return !Double.isNaN(price);
    }

    public boolean hasValue() {
        return !Double.isNaN(value);
    }

    /** The partition key of a shopper: known customers and anonymous visitors never collide. */
    public static String customerKeyOf(String customerId, String anonymousId) {
        return customerId != null ? "c:" + customerId : "a:" + anonymousId;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ShopperEvent)) {
            return false;
        }
        ShopperEvent e = (ShopperEvent) o;
        return eventTime == e.eventTime && Double.compare(price, e.price) == 0 && quantity == e.quantity
                && Double.compare(value, e.value) == 0 && consentPersonalization == e.consentPersonalization
                && consentMarketing == e.consentMarketing && ingestedAt == e.ingestedAt
                && reportedEventTime == e.reportedEventTime
                && Objects.equals(eventId, e.eventId) && eventType == e.eventType
                && Objects.equals(customerKey, e.customerKey) && Objects.equals(customerId, e.customerId)
                && Objects.equals(anonymousId, e.anonymousId) && Objects.equals(sessionId, e.sessionId)
                && channel == e.channel && Objects.equals(productId, e.productId)
                && Objects.equals(category, e.category) && Objects.equals(brand, e.brand)
                && Objects.equals(currency, e.currency) && Objects.equals(searchTerm, e.searchTerm)
                && Objects.equals(itemListId, e.itemListId) && Objects.equals(orderId, e.orderId)
                && Arrays.equals(items, e.items) && Objects.equals(timeZone, e.timeZone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, eventType, eventTime, customerKey);
    }

    @Override
    public String toString() {
        return "ShopperEvent{" + eventType + " " + eventId + " " + customerKey + " @" + eventTime
                + (productId != null ? " product=" + productId : "") + "}";
    }
}
