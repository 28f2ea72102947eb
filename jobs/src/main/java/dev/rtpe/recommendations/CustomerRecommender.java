package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import dev.rtpe.common.EventType;
import dev.rtpe.common.StateTtl;

/**
 * Stage 3, keyed by customer. Applies the shopper's events in their original order (stage 1's
 * sequence numbers; parts that overtake an earlier event wait for it), scores whether the product
 * the shopper just touched was in the list shown before (hit rate @10), updates the profile, and
 * emits the new list.
 */
public class CustomerRecommender extends KeyedBroadcastProcessFunction<String, CustomerStep, ContextUpdate, Recommendation> {
    private static final long serialVersionUID = 1L;
    /** K of hit rate @K. */
    public static final int HIT_RATE_K = 10;
    static final int MAX_PURCHASES_KEPT = 50;

    public static final MapStateDescriptor<String, ContextUpdate> TRENDING =
            new MapStateDescriptor<>("trending-by-category", Types.STRING, TypeInformation.of(ContextUpdate.class));
    public static final MapStateDescriptor<String, Boolean> OUT_OF_STOCK =
            new MapStateDescriptor<>("out-of-stock", Types.STRING, Types.BOOLEAN);

    private final RecommendationsConfig config;
    private transient ValueState<CustomerProfile> state;
    private transient Counter evaluations;
    private transient Counter hits;
    /** Overall trending, derived from the broadcast state; rebuilt after each trending update. */
    private transient List<ListBuilder.Item> globalTrending;

    public CustomerRecommender(RecommendationsConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<CustomerProfile> d = new ValueStateDescriptor<>("profile", CustomerProfile.class);
        d.enableTimeToLive(StateTtl.refreshedOnWrite(config.customerTtl));
        state = getRuntimeContext().getState(d);
        evaluations = getRuntimeContext().getMetricGroup().counter("hitRateEvaluations");
        hits = getRuntimeContext().getMetricGroup().counter("hitRateHits");
    }

    @Override
    public void processElement(CustomerStep step, ReadOnlyContext ctx, Collector<Recommendation> out) throws Exception {
        CustomerProfile profile = state.value();
        if (profile == null) {
            profile = new CustomerProfile();
        }
        if (step.seq <= profile.lastSeq) {
            return; // already applied; only after the profile expired while stage 1 still counted, or on forced progress
        }
        profile.pending = append(profile.pending, step);
        applyReady(profile, contextOf(ctx), out);
        if (profile.pending.length > 0) {
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + config.reorderTimeout.toMillis());
        }
        state.update(profile);
    }

    /**
     * An event was held up longer than the reorder timeout (only possible when stage-1 and stage-3
     * state expired at different times): go on from the earliest waiting event.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recommendation> out) throws Exception {
        CustomerProfile profile = state.value();
        if (profile == null || profile.pending.length == 0) {
            return;
        }
        long earliest = Arrays.stream(profile.pending).mapToLong(s -> s.seq).min().getAsLong();
        if (earliest > profile.lastSeq + 1) {
            profile.lastSeq = earliest - 1;
        }
        List<CustomerStep> group = partsOf(profile, earliest);
        apply(profile, group, contextOf(ctx), out);
        applyReady(profile, contextOf(ctx), out);
        state.update(profile);
    }

    @Override
    public void processBroadcastElement(ContextUpdate update, Context ctx, Collector<Recommendation> out) throws Exception {
        if (update.isTrending()) {
            ctx.getBroadcastState(TRENDING).put(update.category, update);
            globalTrending = null;
        } else if (update.inStock) {
            ctx.getBroadcastState(OUT_OF_STOCK).remove(update.stockProductId);
        } else {
            ctx.getBroadcastState(OUT_OF_STOCK).put(update.stockProductId, true);
        }
    }

    /** Applies every event whose parts have all arrived, in sequence order. */
    private void applyReady(CustomerProfile profile, ListBuilder.Context context, Collector<Recommendation> out) {
        while (true) {
            List<CustomerStep> group = partsOf(profile, profile.lastSeq + 1);
            if (group.isEmpty() || group.size() < group.get(0).parts) {
                return;
            }
            apply(profile, group, context, out);
        }
    }

    private static List<CustomerStep> partsOf(CustomerProfile profile, long seq) {
        List<CustomerStep> group = new ArrayList<>();
        for (CustomerStep s : profile.pending) {
            if (s.seq == seq) {
                group.add(s);
            }
        }
        group.sort(Comparator.comparingInt(s -> s.part));
        return group;
    }

    /** One shopper event: score the previous list, learn, emit the new list. */
    private void apply(CustomerProfile profile, List<CustomerStep> parts, ListBuilder.Context context, Collector<Recommendation> out) {
        CustomerStep first = parts.get(0);
        profile.pending = Arrays.stream(profile.pending).filter(s -> s.seq != first.seq).toArray(CustomerStep[]::new);
        profile.lastSeq = first.seq;

        Set<String> touched = touchedProducts(parts);
        Boolean hit = scorePreviousList(profile, touched);
        if (!touched.isEmpty()) {
            profile.previousProduct = last(touched);
        }
        List<ListBuilder.Item> list;
        if (first.consentPersonalization) {
            for (CustomerStep part : parts) {
                ProfileUpdates.apply(profile, part, config);
            }
            list = ListBuilder.personal(profile, onScreen(parts), first.category, first.eventTime, context, config);
        } else {
            profile.forgetBehaviour();
            list = ListBuilder.nonPersonal(onScreen(parts), context, config);
        }
        profile.lastList = list.stream().map(ListBuilder.Item::productId).toArray(String[]::new);
        out.collect(recommendation(first, list, first.consentPersonalization, hit));
    }

    /** The products of a view, add to cart or purchase: what the hit-rate protocol looks at. */
    static Set<String> touchedProducts(List<CustomerStep> parts) {
        Set<String> products = new LinkedHashSet<>();
        for (CustomerStep s : parts) {
            if (s.productId != null && (s.eventType == EventType.VIEW_ITEM || s.eventType == EventType.ADD_TO_CART
                    || s.eventType == EventType.PURCHASE)) {
                products.add(s.productId);
            }
        }
        return products;
    }

    /**
     * Hit rate @10: was a product of this event in the first 10 of the list last shown? Only for
     * shoppers who were shown a list, and not when the shopper just touches the same product again.
     * Null when the event does not count.
     */
    private Boolean scorePreviousList(CustomerProfile profile, Set<String> touched) {
        if (touched.isEmpty() || profile.lastList == null
                || (touched.size() == 1 && touched.contains(profile.previousProduct))) {
            return null;
        }
        boolean hit = false;
        for (int i = 0; i < Math.min(HIT_RATE_K, profile.lastList.length); i++) {
            hit |= touched.contains(profile.lastList[i]);
        }
        evaluations.inc();
        if (hit) {
            hits.inc();
        }
        return hit;
    }

    private static Set<String> onScreen(List<CustomerStep> parts) {
        Set<String> products = new HashSet<>();
        for (CustomerStep s : parts) {
            if (s.productId != null) {
                products.add(s.productId);
            }
        }
        return products;
    }

    private static Recommendation recommendation(CustomerStep cause, List<ListBuilder.Item> list, boolean consent, Boolean hit) {
        Recommendation r = new Recommendation();
        r.customerKey = cause.customerKey;
        r.customerId = cause.customerId;
        r.anonymousId = cause.anonymousId;
        r.personalized = consent && list.stream().anyMatch(i -> !i.reason().equals(ListBuilder.TRENDING));
        r.productIds = list.stream().map(ListBuilder.Item::productId).toArray(String[]::new);
        r.scores = list.stream().mapToDouble(i -> Math.round(i.score() * 10_000) / 10_000.0).toArray();
        r.reasons = list.stream().map(ListBuilder.Item::reason).toArray(String[]::new);
        r.categories = list.stream().map(ListBuilder.Item::category).toArray(String[]::new);
        r.causeEventId = cause.eventId;
        r.causeEventType = cause.eventType.wireName;
        r.causeEventTime = cause.eventTime;
        r.causeProductId = cause.productId;
        r.causeChannel = cause.channel.wireName;
        r.causeCategory = cause.category;
        r.evaluated = hit != null;
        r.hit = hit != null && hit;
        r.generatedAt = System.currentTimeMillis();
        return r;
    }

    private ListBuilder.Context contextOf(ReadOnlyContext ctx) {
        ReadOnlyBroadcastState<String, ContextUpdate> trending = ctx.getBroadcastState(TRENDING);
        ReadOnlyBroadcastState<String, Boolean> outOfStock = ctx.getBroadcastState(OUT_OF_STOCK);
        return new ListBuilder.Context() {
            @Override
            public ContextUpdate trending(String category) {
                try {
                    return trending.get(category);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public List<ListBuilder.Item> globalTrending() {
                if (globalTrending == null) {
                    try {
                        globalTrending = GlobalTrending.merge(trending.immutableEntries(), config);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return globalTrending;
            }

            @Override
            public boolean outOfStock(String productId) {
                try {
                    return outOfStock.contains(productId);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static CustomerStep[] append(CustomerStep[] a, CustomerStep s) {
        CustomerStep[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    private static String last(Set<String> set) {
        String last = null;
        for (String s : set) {
            last = s;
        }
        return last;
    }

    /** Overall trending: every category's list, decayed to a common time and merged. */
    static final class GlobalTrending {
        private GlobalTrending() {}

        static List<ListBuilder.Item> merge(Iterable<Map.Entry<String, ContextUpdate>> lists, RecommendationsConfig cfg) {
            long reference = Long.MIN_VALUE;
            for (Map.Entry<String, ContextUpdate> e : lists) {
                reference = Math.max(reference, e.getValue().asOf);
            }
            List<ListBuilder.Item> all = new ArrayList<>();
            long halfLife = cfg.trendingHalfLife.toMillis();
            for (Map.Entry<String, ContextUpdate> e : lists) {
                ContextUpdate t = e.getValue();
                double decay = Math.pow(2, -(double) (reference - t.asOf) / halfLife);
                for (int i = 0; i < t.trendingProducts.length; i++) {
                    all.add(new ListBuilder.Item(t.trendingProducts[i], t.trendingScores[i] * decay, ListBuilder.TRENDING, t.category));
                }
            }
            all.sort(Comparator.comparingDouble(ListBuilder.Item::score).reversed().thenComparing(ListBuilder.Item::productId));
            return new ArrayList<>(all.subList(0, Math.min(all.size(), cfg.topN * cfg.maxPerCategory + cfg.topN)));
        }
    }
}
