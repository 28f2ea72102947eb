package dev.rtpe.abandonment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.rtpe.common.Channel;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/**
 * A shopper's events that are ahead of the watermark, in {@link EventOrder}. They wait here until
 * event time reaches them, so that events which arrive out of order within the out-of-orderness
 * bound are still applied in order. Usually a handful: the events of the last few seconds.
 */
final class PendingEvents {
    /** Events held at most per shopper; beyond it, the earliest is applied at once. */
    static final int MAX = 256;

    private final List<ShopperEvent> events = new ArrayList<>();

    boolean isEmpty() {
        return events.isEmpty();
    }

    int size() {
        return events.size();
    }

    List<ShopperEvent> events() {
        return Collections.unmodifiableList(events);
    }

    void add(ShopperEvent e) {
        int i = Collections.binarySearch(events, e, EventOrder.COMPARATOR);
        events.add(i >= 0 ? i + 1 : -i - 1, e);
    }

    /** Event time of the earliest event, or Long.MAX_VALUE. */
    long earliestTime() {
        return events.isEmpty() ? Long.MAX_VALUE : events.get(0).eventTime;
    }

    ShopperEvent pollEarliest() {
        return events.remove(0);
    }

    // The fields the abandonment job reads; nothing else is kept.

    static void write(ShopperEvent e, CompactState.Writer w) {
        w.putString(e.eventId).putVarInt(e.eventType.ordinal()).putLong(e.eventTime).putString(e.customerId)
                .putVarInt(e.channel == null ? 0 : e.channel.ordinal() + 1).putString(e.productId).putString(e.category)
                .putDouble(e.price).putString(e.currency).putVarInt(e.quantity).putString(e.orderId).putDouble(e.value)
                .putBoolean(e.consentMarketing).putString(e.timeZone);
        if (e.items == null) {
            w.putVarInt(0);
            return;
        }
        w.putVarInt(e.items.length + 1);
        for (LineItem item : e.items) {
            w.putString(item.productId).putString(item.category).putDouble(item.price).putVarInt(item.quantity);
        }
    }

    static ShopperEvent read(CompactState.Reader r) {
        ShopperEvent e = new ShopperEvent();
        e.eventId = r.getString();
        e.eventType = EventType.values()[r.getVarInt()];
        e.eventTime = r.getLong();
        e.customerId = r.getString();
        int channel = r.getVarInt();
        e.channel = channel == 0 ? null : Channel.values()[channel - 1];
        e.productId = r.getString();
        e.category = r.getString();
        e.price = r.getDouble();
        e.currency = r.getString();
        e.quantity = r.getVarInt();
        e.orderId = r.getString();
        e.value = r.getDouble();
        e.consentMarketing = r.getBoolean();
        e.timeZone = r.getString();
        int items = r.getVarInt();
        if (items > 0) {
            e.items = new LineItem[items - 1];
            for (int i = 0; i < e.items.length; i++) {
                e.items[i] = new LineItem(r.getString(), r.getString(), r.getDouble(), r.getVarInt());
            }
        }
        return e;
    }
}
