package dev.rtpe.recommendations;

import dev.rtpe.common.WatermarkRecord;

/**
 * One record of the hit-rate evaluations topic: an evaluation, or the job's watermark for one
 * partition. A Flink POJO.
 */
public class HitRateRecord {
    public Evaluation evaluation;
    public WatermarkRecord watermark;

    public HitRateRecord() {}

    static HitRateRecord of(Evaluation evaluation) {
        HitRateRecord r = new HitRateRecord();
        r.evaluation = evaluation;
        return r;
    }

    static HitRateRecord of(WatermarkRecord watermark) {
        HitRateRecord r = new HitRateRecord();
        r.watermark = watermark;
        return r;
    }

    /** How {@link dev.rtpe.common.PublishWatermarks} makes them. */
    static final dev.rtpe.common.PublishWatermarks.Records<Evaluation, HitRateRecord> RECORDS = new dev.rtpe.common.PublishWatermarks.Records<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public HitRateRecord record(Evaluation e) {
            return of(e);
        }

        @Override
        public HitRateRecord watermark(WatermarkRecord w) {
            return of(w);
        }
    };
}
