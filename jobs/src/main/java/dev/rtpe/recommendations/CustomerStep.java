package dev.rtpe.recommendations;

import dev.rtpe.common.Channel;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.EventType;

/**
 * One shopper event on its way to the customer stage, numbered by the customer stage upstream
 * ({@code seq}) so the order survives the detour through the product stage. An event about several
 * products (a purchase) travels as {@code parts} parts, each with its product's neighbours. A Flink POJO.
 */
public class CustomerStep {
    public String customerKey;
    /** When stage 1's state for this shopper began; sequence numbers restart with a new epoch. */
    public long epoch;
    public long seq;
    public int part;
    public int parts;

    public String eventId;
    public EventType eventType;
    public long eventTime;
    public String customerId;
    public String anonymousId;
    public Channel channel;
    public boolean consentPersonalization;

    /** The product of this part; null for events without one (search, view_cart, ...). */
    public String productId;
    public String category;
    /** The whole cart, for view_cart and begin_checkout. */
    public String[] itemIds;

    /** The product's neighbours when this part passed the product stage, best first. */
    public String[] alsoViewed;
    public double[] alsoViewedScores;
    public String[] alsoViewedCategories;
    public String[] boughtTogether;
    public double[] boughtTogetherScores;
    public String[] boughtTogetherCategories;

    public CustomerStep() {}

    void write(CompactState.Writer w) {
        w.putString(customerKey).putLong(epoch).putLong(seq).putVarInt(part).putVarInt(parts)
                .putString(eventId).putVarInt(eventType.ordinal()).putLong(eventTime)
                .putString(customerId).putString(anonymousId).putVarInt(channel.ordinal()).putBoolean(consentPersonalization)
                .putString(productId).putString(category).putBoolean(itemIds != null);
        if (itemIds != null) {
            w.putStrings(itemIds);
        }
        w.putBoolean(alsoViewed != null);
        if (alsoViewed != null) {
            w.putStrings(alsoViewed).putDoubles(alsoViewedScores).putStrings(alsoViewedCategories)
                    .putStrings(boughtTogether).putDoubles(boughtTogetherScores).putStrings(boughtTogetherCategories);
        }
    }

    static CustomerStep read(CompactState.Reader r) {
        CustomerStep s = new CustomerStep();
        s.customerKey = r.getString();
        s.epoch = r.getLong();
        s.seq = r.getLong();
        s.part = r.getVarInt();
        s.parts = r.getVarInt();
        s.eventId = r.getString();
        s.eventType = EventType.values()[r.getVarInt()];
        s.eventTime = r.getLong();
        s.customerId = r.getString();
        s.anonymousId = r.getString();
        s.channel = Channel.values()[r.getVarInt()];
        s.consentPersonalization = r.getBoolean();
        s.productId = r.getString();
        s.category = r.getString();
        if (r.getBoolean()) {
            s.itemIds = r.getStrings();
        }
        if (r.getBoolean()) {
            s.alsoViewed = r.getStrings();
            s.alsoViewedScores = r.getDoubles();
            s.alsoViewedCategories = r.getStrings();
            s.boughtTogether = r.getStrings();
            s.boughtTogetherScores = r.getDoubles();
            s.boughtTogetherCategories = r.getStrings();
        }
        return s;
    }

    @Override
    public String toString() {
        return "CustomerStep{" + customerKey + " #" + seq + "." + part + "/" + parts + " " + eventType + " " + productId + "}";
    }
}
