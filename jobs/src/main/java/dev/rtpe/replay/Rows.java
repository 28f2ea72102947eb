package dev.rtpe.replay;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.replay.DatasetFormat.MalformedRow;

/** Shared column handling and event shaping for the dataset formats. */
final class Rows {
    /** ISO 4217's "no currency": the data has no price, and the contract wants a currency with every price. */
    static final String NO_CURRENCY = "XXX";

    private Rows() {}

    /** The trimmed columns of a line, when it has exactly {@code columns} of them. */
    static String[] split(String line, String delimiter, int columns) throws MalformedRow {
        String[] c = line.split(delimiter, -1);
        if (c.length != columns) {
            throw new MalformedRow("wrong_column_count", "expected " + columns + " columns, got " + c.length);
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = c[i].trim();
        }
        return c;
    }

    /** A column that must have a value. */
    static String required(String value, String column) throws MalformedRow {
        if (value.isEmpty()) {
            throw new MalformedRow("missing_field", column + " is empty");
        }
        return value;
    }

    /** A column that may be empty: empty means absent. */
    static String optional(String value) {
        return value.isEmpty() ? null : value;
    }

    /** An epoch timestamp in units of {@code millisPerUnit}, as epoch milliseconds. */
    static long epoch(String value, String column, long millisPerUnit) throws MalformedRow {
        try {
            return positiveTime(Math.multiplyExact(Long.parseLong(required(value, column)), millisPerUnit), column, value);
        } catch (NumberFormatException | ArithmeticException e) {
            throw badTime(column, value);
        }
    }

    /** Times at or before the epoch are a zeroed or broken clock, not shopping. */
    static long positiveTime(long millis, String column, String value) throws MalformedRow {
        if (millis <= 0) {
            throw badTime(column, value);
        }
        return millis;
    }

    static MalformedRow badTime(String column, String value) {
        return new MalformedRow("bad_time", column + " '" + value + "' is not a valid time");
    }

    /** A unit price: a finite number, not negative. */
    static double price(String value, String column) throws MalformedRow {
        double price;
        try {
            price = Double.parseDouble(required(value, column));
        } catch (NumberFormatException e) {
            throw badNumber(column, value);
        }
        if (!(price >= 0) || Double.isInfinite(price)) {
            throw badNumber(column, value);
        }
        return price;
    }

    static MalformedRow badNumber(String column, String value) {
        return new MalformedRow("bad_number", column + " '" + value + "' is not a price of 0 or more");
    }

    static MalformedRow unknownType(String column, String value) {
        return new MalformedRow("unknown_event_type", column + " '" + value + "' is not a known event type");
    }

    /** The fields every mapped event has; the datasets do not say where the shopper acted. */
    static ShopperEvent event(String format, long lineNumber, EventType type, long time,
                              String customerId, String anonymousId, String sessionId) {
        ShopperEvent e = new ShopperEvent();
        e.eventId = format + "-" + lineNumber;
        e.eventType = type;
        e.eventTime = time;
        e.customerId = customerId;
        e.anonymousId = anonymousId;
        e.customerKey = ShopperEvent.customerKeyOf(customerId, anonymousId);
        e.sessionId = sessionId;
        e.channel = Channel.OTHER;
        return e;
    }

    /**
     * Puts the row's product on the event. Purchases carry it as their single line item (each row is
     * one unit); the others as the event's product, with quantity 1 for add_to_cart.
     */
    static void product(ShopperEvent e, String productId, String category, String brand, double price,
                        String currency) {
        if (e.eventType == EventType.PURCHASE) {
            LineItem item = new LineItem(productId, category, price, 1);
            item.brand = brand;
            e.items = new LineItem[] {item};
            e.value = price;
        } else {
            e.productId = productId;
            e.category = category;
            e.brand = brand;
            e.price = price;
            if (e.eventType == EventType.ADD_TO_CART) {
                e.quantity = 1;
            }
        }
        e.currency = Double.isNaN(price) ? null : currency;
    }

    /** For data without prices: cart and purchase events need one, so they get 0 of no currency. */
    static void unpricedProduct(ShopperEvent e, String productId, String category) {
        boolean needsPrice = e.eventType == EventType.ADD_TO_CART || e.eventType == EventType.PURCHASE;
        product(e, productId, category, null, needsPrice ? 0 : Double.NaN, NO_CURRENCY);
    }
}
