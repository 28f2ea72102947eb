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
import dev.rtpe.common.EventType;
import dev.rtpe.common.WriteBackCache;

/**
 * Stage 2, keyed by product. Keeps the product's bounded, decaying neighbour lists ("also viewed":
 * any co-occurrence; "bought together": both carted or bought), updates them with every pair, and
 * hands a shopper's step on to the customer stage with the product's current neighbours attached.
 * Publishes the product's lists when their membership changes, at most once per
 * {@code --product-list-min-interval} of event time. A change inside the interval is held back, not
 * dropped: it is published when the interval ends (an event-time timer), unless a later change has
 * published it first or undone it. Otherwise a product's last change would never reach the
 * compacted topic, which would keep showing the lists from before it.
 */
public class ProductNeighbours extends KeyedProcessFunction<String, ProductTouch, CustomerStep>
        implements CachingKeyedProcessOperator.CachedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<ProductRecommendation> PRODUCT_LISTS =
            new OutputTag<>("product-lists", TypeInformation.of(ProductRecommendation.class));

    private final RecommendationsConfig config;
    private transient WriteBackCache<Neighbours> state;

    /** A product's neighbour lists, what and when it last published, and the change it holds back. */
    public static class Neighbours {
        /** 2 added the pending change; 1 is still read (nothing pending). */
        static final int FORMAT = 2;
        public DecayingTopK alsoViewed = new DecayingTopK();
        public DecayingTopK boughtTogether = new DecayingTopK();
        public String[] publishedAlsoViewed = new String[0];
        public String[] publishedBoughtTogether = new String[0];
        public long publishedAt = Long.MIN_VALUE;
        /**
         * Set while a membership change waits for the interval: the latest event that updated the
         * lists since (the cause the record will name); null when nothing waits. A timer at
         * {@code publishedAt + interval} then publishes it.
         */
        public String pendingCauseId;
        public EventType pendingCauseType;
        public long pendingCauseTime;

        public Neighbours() {}

        boolean hasPending() {
            return pendingCauseId != null;
        }

        private static final EventType[] EVENT_TYPES = EventType.values();

        static final CompactValueState.Codec<Neighbours> CODEC = new CompactValueState.Codec<>() {
            @Override
            public void write(Neighbours n, CompactState.Writer w) {
                w.putByte(FORMAT);
                n.alsoViewed.write(w);
                n.boughtTogether.write(w);
                w.putStrings(n.publishedAlsoViewed).putStrings(n.publishedBoughtTogether).putLong(n.publishedAt);
                w.putString(n.pendingCauseId);
                if (n.hasPending()) {
                    w.putByte(n.pendingCauseType.ordinal()).putLong(n.pendingCauseTime);
                }
            }

            @Override
            public Neighbours read(CompactState.Reader r) {
                int format = r.version(1, FORMAT, "neighbours");
                Neighbours n = new Neighbours();
                n.alsoViewed = DecayingTopK.read(r);
                n.boughtTogether = DecayingTopK.read(r);
                n.publishedAlsoViewed = r.getStrings();
                n.publishedBoughtTogether = r.getStrings();
                n.publishedAt = r.getLong();
                if (format >= 2) {
                    n.pendingCauseId = r.getString();
                    if (n.hasPending()) {
                        n.pendingCauseType = EVENT_TYPES[r.getByte()];
                        n.pendingCauseTime = r.getLong();
                    }
                }
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
        if (changed) {
            if (!membershipChanged(n)) {
                forgetPending(n, ctx); // back to what was published: nothing to say
            } else if (publishDue(n, touch.eventTime)) {
                forgetPending(n, ctx); // this publication carries the held-back change too
                publish(n, touch.productId, touch.causeEventId, touch.causeEventType, touch.eventTime, touch.eventTime, ctx);
            } else {
                holdBack(n, touch, ctx);
            }
            state.update(n);
        }
    }

    /** The interval since the last publication has passed: publish what was held back, if it still differs. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CustomerStep> out) throws Exception {
        Neighbours n = state.value();
        if (n == null || !n.hasPending() || timestamp != publishDueAt(n)) {
            return; // expired with the state, or not this product's pending timer
        }
        if (membershipChanged(n)) {
            // Scores as of the cause, so the record is the one that would have gone out then; the
            // interval counts from now, when it does go out.
            publish(n, ctx.getCurrentKey(), n.pendingCauseId, n.pendingCauseType, n.pendingCauseTime, timestamp, ctx);
        }
        n.pendingCauseId = null;
        n.pendingCauseType = null;
        state.update(n);
    }

    private void publish(Neighbours n, String productId, String causeId, EventType causeType, long causeTime, long publishedAt,
                         Context ctx) {
        long halfLife = config.neighbourHalfLife.toMillis();
        n.publishedAlsoViewed = n.alsoViewed.topKeys(config.productListSize);
        n.publishedBoughtTogether = n.boughtTogether.topKeys(config.productListSize);
        n.publishedAt = publishedAt;
        ctx.output(PRODUCT_LISTS, productList(productId, n.alsoViewed.top(config.productListSize, causeTime, halfLife),
                n.boughtTogether.top(config.productListSize, causeTime, halfLife), causeId, causeType, causeTime));
    }

    /** Inside the interval: remember the latest cause, and publish when the interval ends. One timer per product. */
    private void holdBack(Neighbours n, ProductTouch touch, Context ctx) {
        if (!n.hasPending()) {
            ctx.timerService().registerEventTimeTimer(publishDueAt(n));
        }
        n.pendingCauseId = touch.causeEventId;
        n.pendingCauseType = touch.causeEventType;
        n.pendingCauseTime = touch.eventTime;
    }

    /** Nothing waits any more: the timer goes too, so none outlives its reason. */
    private void forgetPending(Neighbours n, Context ctx) {
        if (n.hasPending()) {
            ctx.timerService().deleteEventTimeTimer(publishDueAt(n));
            n.pendingCauseId = null;
            n.pendingCauseType = null;
        }
    }

    /** Did a product enter or leave one of the lists since they were last published? */
    private boolean membershipChanged(Neighbours n) {
        return !sameMembers(n.publishedAlsoViewed, n.alsoViewed.topKeys(config.productListSize))
                || !sameMembers(n.publishedBoughtTogether, n.boughtTogether.topKeys(config.productListSize));
    }

    /** When the interval since the last publication ends. */
    private long publishDueAt(Neighbours n) {
        return n.publishedAt + config.productListMinInterval.toMillis();
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

    private static ProductRecommendation productList(String productId, List<DecayingTopK.Entry> also, List<DecayingTopK.Entry> bought,
                                                     String causeId, EventType causeType, long causeTime) {
        ProductRecommendation r = new ProductRecommendation();
        r.productId = productId;
        r.alsoViewed = keys(also);
        r.alsoViewedScores = also.stream().mapToDouble(DecayingTopK.Entry::score).toArray();
        r.alsoViewedCategories = also.stream().map(DecayingTopK.Entry::label).toArray(String[]::new);
        r.boughtTogether = keys(bought);
        r.boughtTogetherScores = bought.stream().mapToDouble(DecayingTopK.Entry::score).toArray();
        r.boughtTogetherCategories = bought.stream().map(DecayingTopK.Entry::label).toArray(String[]::new);
        r.causeEventId = causeId;
        r.causeEventType = causeType.wireName;
        r.causeEventTime = causeTime;
        r.generatedAt = System.currentTimeMillis();
        return r;
    }
}
