package dev.rtpe.common;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys shopper events by customer: every stateful operator of the engine is keyed this way or by product. */
public final class CustomerKey implements KeySelector<ShopperEvent, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(ShopperEvent event) {
        return event.customerKey;
    }
}
