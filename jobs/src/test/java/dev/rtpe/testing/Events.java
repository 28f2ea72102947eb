package dev.rtpe.testing;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/** Small canonical events for operator tests. */
public final class Events {
    private Events() {}

    public static ShopperEvent view(String customerId, String eventId, long eventTime, String productId, String category) {
        ShopperEvent e = view(customerId, eventId, eventTime, productId);
        e.category = category;
        return e;
    }

    public static ShopperEvent of(EventType type, String customerId, String eventId, long eventTime, String productId, String category) {
        ShopperEvent e = view(customerId, eventId, eventTime, productId, category);
        e.eventType = type;
        if (type == EventType.ADD_TO_CART) {
            e.price = 10;
            e.currency = "USD";
            e.quantity = 1;
        }
        return e;
    }

    /** A purchase of the given products, one unit each at 10 USD. */
    public static ShopperEvent purchase(String customerId, String eventId, long eventTime, String category, String... productIds) {
        ShopperEvent e = view(customerId, eventId, eventTime, null, null);
        e.eventType = EventType.PURCHASE;
        e.orderId = "o-" + eventId;
        e.currency = "USD";
        e.items = new dev.rtpe.common.LineItem[productIds.length];
        for (int i = 0; i < productIds.length; i++) {
            e.items[i] = new dev.rtpe.common.LineItem(productIds[i], category, 10, 1);
        }
        e.value = 10.0 * productIds.length;
        return e;
    }

    public static ShopperEvent view(String customerId, String eventId, long eventTime, String productId) {
        ShopperEvent e = new ShopperEvent();
        e.eventId = eventId;
        e.eventType = EventType.VIEW_ITEM;
        e.eventTime = eventTime;
        e.customerId = customerId;
        e.customerKey = ShopperEvent.customerKeyOf(customerId, null);
        e.sessionId = "s-" + customerId;
        e.channel = Channel.WEB;
        e.productId = productId;
        return e;
    }
}
