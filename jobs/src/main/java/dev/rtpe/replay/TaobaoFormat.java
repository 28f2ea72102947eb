package dev.rtpe.replay;

import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/**
 * Taobao UserBehavior (Alibaba Tianchi): {@code user_id,item_id,category_id,behavior_type,timestamp}
 * without a header, epoch seconds. No prices or sessions; categories are anonymised ids.
 */
public final class TaobaoFormat implements DatasetFormat {
    public static final String NAME = "taobao";

    @Override
    public String name() {
        return NAME;
    }

    /** The file has no header: every line is data. */
    @Override
    public boolean isHeader(String line) {
        return false;
    }

    @Override
    public ShopperEvent parse(String line, long lineNumber) throws MalformedRow {
        String[] c = Rows.split(line, ",", 5);
        long time = Rows.epoch(c[4], "timestamp", 1000);
        EventType type = type(c[3]);
        String userId = Rows.required(c[0], "user_id");
        String itemId = Rows.required(c[1], "item_id");
        ShopperEvent e = Rows.event(NAME, lineNumber, type, time, userId, null, null);
        Rows.unpricedProduct(e, itemId, Rows.optional(c[2]));
        if (type == EventType.PURCHASE) {
            // The dataset has no order id: each buy row is one order.
            e.orderId = NAME + "-" + lineNumber;
        }
        return e;
    }

    private static EventType type(String value) throws MalformedRow {
        switch (value) {
            case "pv": return EventType.VIEW_ITEM;
            case "cart": return EventType.ADD_TO_CART;
            case "fav": return EventType.ADD_TO_WISHLIST;
            case "buy": return EventType.PURCHASE;
            default: throw Rows.unknownType("behavior_type", value);
        }
    }
}
