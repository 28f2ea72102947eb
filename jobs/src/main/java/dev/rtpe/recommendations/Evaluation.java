package dev.rtpe.recommendations;

/**
 * One evaluation of hit rate @10, for {@code rec-evaluations}: the few fields of a list's record
 * that the metrics job counts, so the whole list is neither copied nor written twice. A Flink POJO.
 */
public class Evaluation {
    public String customerKey;
    public String eventId;
    public long eventTime;
    /** The event's channel, as on the wire. */
    public String channel;
    /** The touched product's category path, or null. */
    public String category;
    public boolean hit;
    public long generatedAt;

    public Evaluation() {}

    static Evaluation of(Recommendation r) {
        Evaluation e = new Evaluation();
        e.customerKey = r.customerKey;
        e.eventId = r.causeEventId;
        e.eventTime = r.causeEventTime;
        e.channel = r.causeChannel;
        e.category = r.causeCategory;
        e.hit = r.hit;
        e.generatedAt = r.generatedAt;
        return e;
    }
}
