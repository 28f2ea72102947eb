package dev.rtpe.metrics;

import dev.rtpe.common.WatermarkRecord;

/** One record read from the evaluations topic: an evaluation, or the recommendations job's watermark for its partition. A Flink POJO. */
public class HitRateInput {
    public HitSignal hit;
    public WatermarkRecord watermark;

    public HitRateInput() {}

    static HitRateInput of(HitSignal hit) {
        HitRateInput r = new HitRateInput();
        r.hit = hit;
        return r;
    }

    static HitRateInput of(WatermarkRecord watermark) {
        HitRateInput r = new HitRateInput();
        r.watermark = watermark;
        return r;
    }
}
