package dev.rtpe.abandonment;

import java.util.Comparator;

import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/**
 * The order in which a shopper's events take effect: by event time; for equal times by funnel step
 * (browse events, add_to_cart, remove_from_cart, view_cart, begin_checkout, purchase), since a
 * shopper adds before removing or buying; then by event id, so the order never depends on arrival.
 */
final class EventOrder {
    private EventOrder() {}

    private static final int RANKS = 8;

    static final Comparator<ShopperEvent> COMPARATOR = Comparator.comparingLong((ShopperEvent e) -> e.eventTime)
            .thenComparingInt(e -> funnelRank(e.eventType))
            .thenComparing(e -> e.eventId, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** Also the rank of the per-line times: equal times are ordered by this. */
    static int funnelRank(EventType type) {
        switch (type) {
            case ADD_TO_CART: return 1;
            case REMOVE_FROM_CART: return 2;
            case VIEW_CART: return 3;
            case BEGIN_CHECKOUT: return 4;
            case PURCHASE: return 5;
            default: return 0; // browse events
        }
    }

    /**
     * Event time and funnel step in one long, as the cart keeps the time of each change: comparing
     * two keys compares times, then steps. (Event ids are not part of it: two cart changes of one
     * product at the same millisecond and step are rare enough to be resolved by arrival.)
     */
    static long key(ShopperEvent e) {
        return key(e.eventTime, e.eventType);
    }

    static long key(long eventTime, EventType type) {
        return eventTime * RANKS + funnelRank(type);
    }

    /** The event time of a key. */
    static long timeOf(long key) {
        return Math.floorDiv(key, RANKS);
    }
}
