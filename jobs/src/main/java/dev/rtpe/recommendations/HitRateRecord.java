package dev.rtpe.recommendations;

import dev.rtpe.common.WatermarkRecord;

/**
 * One record of the hit-rate evaluations topic: a list's evaluation (a list with
 * {@link Recommendation#evaluated}), or the job's watermark for one partition. A Flink POJO.
 */
public class HitRateRecord {
    public Recommendation evaluated;
    public WatermarkRecord watermark;

    public HitRateRecord() {}

    static HitRateRecord of(Recommendation evaluated) {
        HitRateRecord r = new HitRateRecord();
        r.evaluated = evaluated;
        return r;
    }

    static HitRateRecord of(WatermarkRecord watermark) {
        HitRateRecord r = new HitRateRecord();
        r.watermark = watermark;
        return r;
    }

    /** How {@link dev.rtpe.common.PublishWatermarks} makes them. */
    static final dev.rtpe.common.PublishWatermarks.Records<Recommendation, HitRateRecord> RECORDS = new dev.rtpe.common.PublishWatermarks.Records<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public HitRateRecord record(Recommendation r) {
            return of(r);
        }

        @Override
        public HitRateRecord watermark(WatermarkRecord w) {
            return of(w);
        }
    };
}
