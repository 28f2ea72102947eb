package dev.rtpe.recommendations;

import java.util.Arrays;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import dev.rtpe.common.StateTtl;

/**
 * Stage 2, keyed by product. Keeps the product's bounded, decaying neighbour lists ("also viewed":
 * any co-occurrence; "bought together": both carted or bought), updates them with every pair, and
 * hands a shopper's step on to the customer stage with the product's current neighbours attached.
 * Publishes the product's lists when their membership changes.
 */
public class ProductNeighbours extends KeyedProcessFunction<String, ProductTouch, CustomerStep> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<ProductRecommendation> PRODUCT_LISTS =
            new OutputTag<>("product-lists", TypeInformation.of(ProductRecommendation.class));

    private final RecommendationsConfig config;
    private transient ValueState<Neighbours> state;

    /** A product's neighbour lists and the ids it last published. A Flink POJO. */
    public static class Neighbours {
        public DecayingTopK alsoViewed = new DecayingTopK();
        public DecayingTopK boughtTogether = new DecayingTopK();
        public String[] publishedAlsoViewed = new String[0];
        public String[] publishedBoughtTogether = new String[0];

        public Neighbours() {}
    }

    public ProductNeighbours(RecommendationsConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Neighbours> d = new ValueStateDescriptor<>("neighbours", Neighbours.class);
        d.enableTimeToLive(StateTtl.refreshedOnWrite(config.productTtl));
        state = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(ProductTouch touch, Context ctx, Collector<CustomerStep> out) throws Exception {
        Neighbours n = state.value();
        if (n == null) {
            n = new Neighbours();
        }
        boolean changed = addPairs(n, touch);
        long halfLife = config.neighbourHalfLife.toMillis();
        List<DecayingTopK.Entry> also = n.alsoViewed.top(config.productListSize, touch.eventTime, halfLife);
        List<DecayingTopK.Entry> bought = n.boughtTogether.top(config.productListSize, touch.eventTime, halfLife);
        if (touch.step != null) {
            out.collect(withNeighbours(touch.step, also, bought));
        }
        if (changed && membershipChanged(n, also, bought)) {
            n.publishedAlsoViewed = keys(also);
            n.publishedBoughtTogether = keys(bought);
            ctx.output(PRODUCT_LISTS, productList(touch, also, bought));
        }
        if (changed) {
            state.update(n);
        }
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

    /** "Materially": a product entered or left one of the published lists; score drift alone is not news. */
    static boolean membershipChanged(Neighbours n, List<DecayingTopK.Entry> also, List<DecayingTopK.Entry> bought) {
        return !sameMembers(n.publishedAlsoViewed, keys(also)) || !sameMembers(n.publishedBoughtTogether, keys(bought));
    }

    private static boolean sameMembers(String[] a, String[] b) {
        String[] x = a.clone();
        String[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
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
