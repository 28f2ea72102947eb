package dev.rtpe.common;

/** One record of {@code shopper-events}: a shopper event, or ingest's watermark for one partition. A Flink POJO. */
public class CanonicalRecord {
    public ShopperEvent event;
    public WatermarkRecord watermark;

    public CanonicalRecord() {}

    public static CanonicalRecord of(ShopperEvent event) {
        CanonicalRecord r = new CanonicalRecord();
        r.event = event;
        return r;
    }

    public static CanonicalRecord of(WatermarkRecord watermark) {
        CanonicalRecord r = new CanonicalRecord();
        r.watermark = watermark;
        return r;
    }

    @Override
    public String toString() {
        return event != null ? event.toString() : String.valueOf(watermark);
    }
}
