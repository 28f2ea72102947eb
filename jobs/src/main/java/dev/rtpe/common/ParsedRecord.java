package dev.rtpe.common;

/**
 * The outcome of reading one source record: exactly one field is set. An event or a dead letter; on
 * {@code shopper-events} also ingest's watermark records, which only move event time. A Flink POJO.
 */
public class ParsedRecord {
    public ShopperEvent event;
    public DeadLetter deadLetter;
    public WatermarkRecord watermark;

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

    public static ParsedRecord watermark(WatermarkRecord watermark) {
        ParsedRecord r = new ParsedRecord();
        r.watermark = watermark;
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
        return event != null ? event.toString() : deadLetter != null ? String.valueOf(deadLetter) : String.valueOf(watermark);
    }
}
