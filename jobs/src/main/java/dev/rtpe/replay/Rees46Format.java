package dev.rtpe.replay;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/**
 * REES46 "eCommerce behavior data from multi category store" (Kaggle):
 * {@code event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session}.
 */
public final class Rees46Format implements DatasetFormat {
    public static final String NAME = "rees46";
    /** The dataset's prices are US dollars. */
    static final String CURRENCY = "USD";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'").withResolverStyle(ResolverStyle.STRICT);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isHeader(String line) {
        return line.startsWith("event_time,");
    }

    @Override
    public ShopperEvent parse(String line, long lineNumber) throws MalformedRow {
        String[] c = Rows.split(line, ",", 9);
        long time = time(c[0]);
        EventType type = type(c[1]);
        String productId = Rows.required(c[2], "product_id");
        ShopperEvent e = Rows.event(NAME, lineNumber, type, time,
                Rows.required(c[7], "user_id"), null, Rows.required(c[8], "user_session"));
        Rows.product(e, productId, Rows.optional(c[4]), Rows.optional(c[5]), price(c[6], type), CURRENCY);
        if (type == EventType.PURCHASE) {
            // The dataset has no order id: each purchase row is one order.
            e.orderId = NAME + "-" + lineNumber;
        }
        return e;
    }

    private static long time(String value) throws MalformedRow {
        try {
            long millis = LocalDateTime.parse(value, TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
            return Rows.positiveTime(millis, "event_time", value);
        } catch (DateTimeParseException e) {
            throw Rows.badTime("event_time", value);
        }
    }

    private static EventType type(String value) throws MalformedRow {
        switch (value) {
            case "view": return EventType.VIEW_ITEM;
            case "cart": return EventType.ADD_TO_CART;
            case "remove_from_cart": return EventType.REMOVE_FROM_CART;
            case "purchase": return EventType.PURCHASE;
            default: throw Rows.unknownType("event_type", value);
        }
    }

    /** Carts and purchases need a price (the engine values them); views may lack one. */
    private static double price(String value, EventType type) throws MalformedRow {
        boolean needed = type == EventType.ADD_TO_CART || type == EventType.PURCHASE;
        return value.isEmpty() && !needed ? Double.NaN : Rows.price(value, "price");
    }
}
