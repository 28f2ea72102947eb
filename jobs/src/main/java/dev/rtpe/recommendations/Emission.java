package dev.rtpe.recommendations;

/**
 * Where a record of stage 1 stands among stage 1's outputs: the shopper, the number of their event
 * ({@link CustomerStep#seq}) and the record's index among that event's outputs. In event-time order,
 * a product's or category's records of equal event time apply in this order
 * ({@link KeyedEventTimeOrder}), which is the order a single thread would make them in, whichever
 * stage-1 instance's records arrive first. A Flink POJO.
 */
public class Emission {
    public String customerKey;
    public long seq;
    public int index;

    public Emission() {}

    Emission(String customerKey, long seq, int index) {
        this.customerKey = customerKey;
        this.seq = seq;
        this.index = index;
    }

    /** Shopper, then event number, then index; records without a position (none from stage 1) first. */
    static int compare(Emission a, Emission b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        int c = a.customerKey.compareTo(b.customerKey);
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.seq, b.seq);
        return c != 0 ? c : Integer.compare(a.index, b.index);
    }
}
