package dev.rtpe.testing;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/** Small canonical events for operator tests. */
public final class Events {
    private Events() {}

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
