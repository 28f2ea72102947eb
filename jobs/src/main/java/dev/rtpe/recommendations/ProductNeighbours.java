package dev.rtpe.recommendations;

import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import dev.rtpe.common.CompactState;
import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CompactValueState;
import dev.rtpe.common.WriteBackCache;

/**
 * Stage 2, keyed by product. Keeps the product's bounded, decaying neighbour lists ("also viewed":
 * any co-occurrence; "bought together": both carted or bought), updates them with every pair, and
 * hands a shopper's step on to the customer stage with the product's current neighbours attached.
 * Publishes the product's lists when their membership changes, at most once per
 * {@code --product-list-min-interval} of event time.
 */
public class ProductNeighbours extends KeyedProcessFunction<String, ProductTouch, CustomerStep>
        implements CachingKeyedProcessOperator.CachedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<ProductRecommendation> PRODUCT_LISTS =
            new OutputTag<>("product-lists", TypeInformation.of(ProductRecommendation.class));

    private final RecommendationsConfig config;
    private transient WriteBackCache<Neighbours> state;

    /** A product's neighbour lists, and what and when it last published. */
    public static class Neighbours {
        static final int FORMAT = 1;
        public DecayingTopK alsoViewed = new DecayingTopK();
        public DecayingTopK boughtTogether = new DecayingTopK();
        public String[] publishedAlsoViewed = new String[0];
        public String[] publishedBoughtTogether = new String[0];
        public long publishedAt = Long.MIN_VALUE;

        public Neighbours() {}

        static final CompactValueState.Codec<Neighbours> CODEC = new CompactValueState.Codec<>() {
            @Override
            public void write(Neighbours n, CompactState.Writer w) {
                w.putByte(FORMAT);
                n.alsoViewed.write(w);
                n.boughtTogether.write(w);
                w.putStrings(n.publishedAlsoViewed).putStrings(n.publishedBoughtTogether).putLong(n.publishedAt);
            }

            @Override
            public Neighbours read(CompactState.Reader r) {
                r.expectVersion(FORMAT, "neighbours");
                Neighbours n = new Neighbours();
                n.alsoViewed = DecayingTopK.read(r);
                n.boughtTogether = DecayingTopK.read(r);
                n.publishedAlsoViewed = r.getStrings();
                n.publishedBoughtTogether = r.getStrings();
                n.publishedAt = r.getLong();
                return n;
            }
        };
    }

    public ProductNeighbours(RecommendationsConfig config) {
        this.config = config;
    }

    @Override
    public Iterable<WriteBackCache<?>> writeBackCaches() {
        return java.util.List.<WriteBackCache<?>>of(state);
    }

    @Override
    public void open(OpenContext openContext) {
        state = WriteBackCache.of(getRuntimeContext(), "neighbours", config.productTtl, Neighbours.CODEC, config.stateCacheEntries);
    }

    @Override
    public void processElement(ProductTouch touch, Context ctx, Collector<CustomerStep> out) throws Exception {
        Neighbours n = state.value();
        if (n == null) {
            n = new Neighbours();
        }
        boolean changed = addPairs(n, touch);
        long halfLife = config.neighbourHalfLife.toMillis();
        if (touch.step != null) {
            out.collect(withNeighbours(touch.step, n.alsoViewed.top(config.productListSize, touch.eventTime, halfLife),
                    n.boughtTogether.top(config.productListSize, touch.eventTime, halfLife)));
        }
        if (changed && publishDue(n, touch.eventTime)) {
            String[] also = n.alsoViewed.topKeys(config.productListSize);
            String[] bought = n.boughtTogether.topKeys(config.productListSize);
            if (!sameMembers(n.publishedAlsoViewed, also) || !sameMembers(n.publishedBoughtTogether, bought)) {
                n.publishedAlsoViewed = also;
                n.publishedBoughtTogether = bought;
                n.publishedAt = touch.eventTime;
                ctx.output(PRODUCT_LISTS, productList(touch, n.alsoViewed.top(config.productListSize, touch.eventTime, halfLife),
                        n.boughtTogether.top(config.productListSize, touch.eventTime, halfLife)));
            }
        }
        if (changed) {
            state.update(n);
        }
    }

    /** Not more often than the minimum interval, in event time, so a hot product does not flood the topic. */
    private boolean publishDue(Neighbours n, long time) {
        return n.publishedAt == Long.MIN_VALUE || time - n.publishedAt >= config.productListMinInterval.toMillis();
    }

    private boolean addPairs(Neighbours n, ProductTouch touch) {
        if (touch.coProducts == null || touch.coProducts.length == 0) {
            return false;
        }
        long halfLife = config.neighbourHalfLife.toMillis();
        for (int i = 0; i < touch.coProducts.length; i++) {
            n.alsoViewed.add(touch.coProducts[i], touch.coCategories[i], touch.coWeights[i], touch.eventTime, halfLife,
                    config.neighbourCapacity);
            if (touch.coBought[i]) {
                n.boughtTogether.add(touch.coProducts[i], touch.coCategories[i], touch.coWeights[i], touch.eventTime, halfLife,
                        config.neighbourCapacity);
            }
        }
        return true;
    }

    /** "Materially": a product entered or left the list; score drift alone is not news. Lists are short. */
    static boolean sameMembers(String[] a, String[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (String x : a) {
            boolean found = false;
            for (String y : b) {
                found |= x.equals(y);
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static String[] keys(List<DecayingTopK.Entry> entries) {
        return entries.stream().map(DecayingTopK.Entry::key).toArray(String[]::new);
    }

    private static CustomerStep withNeighbours(CustomerStep step, List<DecayingTopK.Entry> also, List<DecayingTopK.Entry> bought) {
        step.alsoViewed = keys(also);
        step.alsoViewedScores = also.stream().mapToDouble(DecayingTopK.Entry::score).toArray();
        step.alsoViewedCategories = also.stream().map(DecayingTopK.Entry::label).toArray(String[]::new);
        step.boughtTogether = keys(bought);
        step.boughtTogetherScores = bought.stream().mapToDouble(DecayingTopK.Entry::score).toArray();
        step.boughtTogetherCategories = bought.stream().map(DecayingTopK.Entry::label).toArray(String[]::new);
        return step;
    }

    private static ProductRecommendation productList(ProductTouch touch, List<DecayingTopK.Entry> also, List<DecayingTopK.Entry> bought) {
        ProductRecommendation r = new ProductRecommendation();
        r.productId = touch.productId;
        r.alsoViewed = keys(also);
        r.alsoViewedScores = also.stream().mapToDouble(DecayingTopK.Entry::score).toArray();
        r.alsoViewedCategories = also.stream().map(DecayingTopK.Entry::label).toArray(String[]::new);
        r.boughtTogether = keys(bought);
        r.boughtTogetherScores = bought.stream().mapToDouble(DecayingTopK.Entry::score).toArray();
        r.boughtTogetherCategories = bought.stream().map(DecayingTopK.Entry::label).toArray(String[]::new);
        r.causeEventId = touch.causeEventId;
        r.causeEventType = touch.causeEventType.wireName;
        r.causeEventTime = touch.eventTime;
        r.generatedAt = System.currentTimeMillis();
        return r;
    }
}
