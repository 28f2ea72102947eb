package dev.rtpe.replay;

import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/**
 * RetailRocket {@code events.csv} (Kaggle): {@code timestamp,visitorid,event,itemid,transactionid},
 * epoch milliseconds. No prices, categories or sessions; an order of several items is several
 * transaction rows sharing the transaction id.
 */
public final class RetailRocketFormat implements DatasetFormat {
    public static final String NAME = "retailrocket";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean ordersSpanRows() {
        return true;
    }

    @Override
    public boolean isHeader(String line) {
        return line.startsWith("timestamp,");
    }

    @Override
    public ShopperEvent parse(String line, long lineNumber) throws MalformedRow {
        String[] c = Rows.split(line, ",", 5);
        long time = Rows.epoch(c[0], "timestamp", 1);
        EventType type = type(c[2]);
        // Visitors are not logged-in customers, so the visitor id is an anonymous id.
        String visitorId = Rows.required(c[1], "visitorid");
        String itemId = Rows.required(c[3], "itemid");
        ShopperEvent e = Rows.event(NAME, lineNumber, type, time, null, visitorId, null);
        Rows.unpricedProduct(e, itemId, null);
        if (type == EventType.PURCHASE) {
            e.orderId = Rows.required(c[4], "transactionid");
        }
        return e;
    }

    private static EventType type(String value) throws MalformedRow {
        switch (value) {
            case "view": return EventType.VIEW_ITEM;
            case "addtocart": return EventType.ADD_TO_CART;
            case "transaction": return EventType.PURCHASE;
            default: throw Rows.unknownType("event", value);
        }
    }
}
