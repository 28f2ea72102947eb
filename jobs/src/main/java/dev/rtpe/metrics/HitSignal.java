package dev.rtpe.metrics;

import dev.rtpe.common.Channel;

/**
 * One evaluation of recommendation hit rate @10, read from the {@code recommendations} topic: the
 * shopper touched a product, and it was or was not among the first 10 of the list shown before.
 * A Flink POJO.
 */
public class HitSignal {
    public String customerKey;
    /** The shopper event that was evaluated; a repeat of the same record carries the same id. */
    public String eventId;
    public long eventTime;
    public Channel channel;
    /** Top-level category of the touched product; null when unknown. */
    public String category;
    public boolean hit;

    public HitSignal() {}

    @Override
    public String toString() {
        return "HitSignal{" + customerKey + " " + eventId + " @" + eventTime + " " + channel + " " + category + " hit=" + hit + "}";
    }
}
