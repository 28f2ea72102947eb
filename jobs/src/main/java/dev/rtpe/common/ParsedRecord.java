package dev.rtpe.common;

/** The outcome of reading one source record: exactly one of the two fields is set. A Flink POJO. */
public class ParsedRecord {
    public ShopperEvent event;
    public DeadLetter deadLetter;

    public ParsedRecord() {}

    public static ParsedRecord accepted(ShopperEvent event) {
        ParsedRecord r = new ParsedRecord();
        r.event = event;
        return r;
    }

    public static ParsedRecord rejected(DeadLetter deadLetter) {
        ParsedRecord r = new ParsedRecord();
        r.deadLetter = deadLetter;
        return r;
    }

    public boolean isAccepted() {
        return event != null;
    }

    /** Event time for watermarks; rejected records carry none and must not move event time. */
    public long eventTimeOrMin() {
        return event != null ? event.eventTime : Long.MIN_VALUE;
    }

    @Override
    public String toString() {
        return event != null ? event.toString() : String.valueOf(deadLetter);
    }
}
