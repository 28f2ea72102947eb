package dev.rtpe.recommendations;

import java.util.Arrays;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import dev.rtpe.common.CompactState;
import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CompactValueState;
import dev.rtpe.common.WriteBackCache;

/**
 * Keyed by category: popularity decayed with a short half-life (default 1 h), which behaves like a
 * sliding window without keeping events. Publishes the category's top products when they change,
 * at most once a second of event time, and at least once a minute while the category is active.
 */
public class TrendingProducts extends KeyedProcessFunction<String, TrendingSignal, ContextUpdate>
        implements CachingKeyedProcessOperator.CachedFunction {
    private static final long serialVersionUID = 1L;
    static final long MIN_PUBLISH_GAP_MS = 1_000;
    static final long REFRESH_MS = 60_000;
    /** Kept beyond the published size, so a rising product can enter. */
    static final int CAPACITY_FACTOR = 3;

    private final RecommendationsConfig config;
    private transient WriteBackCache<Trending> state;

    /** A category's popular products and what it last published. */
    public static class Trending {
        static final int FORMAT = 1;
        public DecayingTopK products = new DecayingTopK();
        public String[] published = new String[0];
        public long publishedAt = Long.MIN_VALUE;

        public Trending() {}

        static final CompactValueState.Codec<Trending> CODEC = new CompactValueState.Codec<>() {
            @Override
            public void write(Trending t, CompactState.Writer w) {
                w.putByte(FORMAT);
                t.products.write(w);
                w.putStrings(t.published).putLong(t.publishedAt);
            }

            @Override
            public Trending read(CompactState.Reader r) {
                r.expectVersion(FORMAT, "trending");
                Trending t = new Trending();
                t.products = DecayingTopK.read(r);
                t.published = r.getStrings();
                t.publishedAt = r.getLong();
                return t;
            }
        };
    }

    public TrendingProducts(RecommendationsConfig config) {
        this.config = config;
    }

    @Override
    public Iterable<WriteBackCache<?>> writeBackCaches() {
        return java.util.List.<WriteBackCache<?>>of(state);
    }

    @Override
    public void open(OpenContext openContext) {
        state = WriteBackCache.of(getRuntimeContext(), "trending", config.productTtl, Trending.CODEC, config.stateCacheEntries);
    }

    @Override
    public void processElement(TrendingSignal s, Context ctx, Collector<ContextUpdate> out) throws Exception {
        Trending t = state.value();
        if (t == null) {
            t = new Trending();
        }
        long halfLife = config.trendingHalfLife.toMillis();
        t.products.add(s.productId, s.productCategory, s.weight, s.eventTime, halfLife, config.trendingSize * CAPACITY_FACTOR);
        List<DecayingTopK.Entry> top = t.products.top(config.trendingSize, s.eventTime, halfLife);
        String[] ids = top.stream().map(DecayingTopK.Entry::key).toArray(String[]::new);
        if (shouldPublish(t, ids, s.eventTime)) {
            out.collect(ContextUpdate.trending(s.category, ids, top.stream().mapToDouble(DecayingTopK.Entry::score).toArray(),
                    top.stream().map(DecayingTopK.Entry::label).toArray(String[]::new), s.eventTime,
                    effectiveAt(s.eventTime, ctx.timerService().currentWatermark())));
            t.published = ids;
            t.publishedAt = s.eventTime;
        }
        state.update(t);
    }

    /** A late signal's list takes effect just after the watermark, so it is never late downstream. */
    static long effectiveAt(long eventTime, long watermark) {
        return watermark == Long.MAX_VALUE ? eventTime : Math.max(eventTime, watermark + 1);
    }

    static boolean shouldPublish(Trending t, String[] ids, long now) {
        long since = now - t.publishedAt;
        if (t.publishedAt == Long.MIN_VALUE || since >= REFRESH_MS) {
            return true;
        }
        return since >= MIN_PUBLISH_GAP_MS && !Arrays.equals(t.published, ids);
    }
}
