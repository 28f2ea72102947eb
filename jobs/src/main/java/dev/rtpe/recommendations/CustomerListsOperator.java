package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import dev.rtpe.common.WriteBackCache;

/**
 * Stage 3, keyed by customer. Applies the shopper's events in their original order (stage 1's
 * sequence numbers; parts that overtake an earlier event wait for it), scores whether the product
 * the shopper just touched was in the list shown before (hit rate @10), updates the profile, and
 * emits the new list.
 *
 * <p>Input 1: the shopper's steps, keyed by customer. Input 2: trending lists and stock changes,
 * broadcast to every instance and kept in broadcast state. A shopper's list sees the trending lists
 * of an event-time version ({@link TrendingVersions}), not whatever has arrived by then: the two
 * paths run at their own speeds, and a replay would otherwise show a list trending products that
 * were viewed after its own event, and give different lists each run. In event-time order a step
 * waits on a timer until the watermark passes it. The trending lists are bounded there
 * ({@link TrendingCategories}): a category is dropped when its list falls far behind the newest,
 * and beyond {@code --max-trending-categories} the stalest go. An operator rather than a
 * KeyedBroadcastProcessFunction so that the profiles can sit in a {@link WriteBackCache}, flushed
 * before each checkpoint barrier.
 */
public class CustomerListsOperator extends AbstractStreamOperator<Recommendation>
        implements TwoInputStreamOperator<CustomerStep, ContextUpdate, Recommendation>, Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;
    /** K of hit rate @K. */
    public static final int HIT_RATE_K = 10;
    static final int MAX_PURCHASES_KEPT = 50;

    public static final MapStateDescriptor<String, ContextUpdate> TRENDING =
            new MapStateDescriptor<>("trending-by-category", Types.STRING, TypeInformation.of(ContextUpdate.class));
    /** Trending lists of versions not yet folded into {@link #TRENDING}, by {@link TrendingVersions#pendingKey}. */
    public static final MapStateDescriptor<String, ContextUpdate> TRENDING_PENDING =
            new MapStateDescriptor<>("trending-pending", Types.STRING, TypeInformation.of(ContextUpdate.class));
    /** The version {@link #TRENDING} plus the newest pending bucket make (one entry). */
    public static final MapStateDescriptor<String, Long> TRENDING_VERSION =
            new MapStateDescriptor<>("trending-version", Types.STRING, Types.LONG);
    /** Each evaluated list's evaluation, for {@code rec-evaluations}. */
    public static final OutputTag<Evaluation> EVALUATIONS = new OutputTag<>("evaluations", TypeInformation.of(Evaluation.class));
    public static final MapStateDescriptor<String, Boolean> OUT_OF_STOCK =
            new MapStateDescriptor<>("out-of-stock", Types.STRING, Types.BOOLEAN);

    /** Events held back waiting for an earlier one; beyond this, something was lost and we go on. */
    static final int MAX_PENDING = 1000;

    private final RecommendationsConfig config;
    private transient WriteBackCache<CustomerProfile> state;
    private transient BroadcastState<String, ContextUpdate> trendingState;
    private transient BroadcastState<String, Boolean> outOfStockState;
    private transient TrendingVersions versions;
    private transient InternalTimerService<VoidNamespace> heldSteps;
    private transient Counter evaluations;
    private transient Counter hits;
    private transient Counter trendingEvicted;
    private transient Counter trendingExpired;
    /** Categories in the trending state; read by a gauge, so volatile. */
    private transient volatile int trendingCategories;
    /** The kept categories by the age of their lists, stalest first: the cut comes off the front. */
    private transient TrendingCategories.Held held;
    private transient long staleAfterMillis;

    public CustomerListsOperator(RecommendationsConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Outlives stage 1's state by a day, so a shopper's numbering never restarts unseen here.
        state = WriteBackCache.of(getRuntimeContext(), "profile", config.customerTtl.plusDays(1), CustomerProfile.CODEC,
                config.stateCacheEntries);
        state.bind(this);
        state.registerMetrics(getMetricGroup(), "profile");
        trendingState = getOperatorStateBackend().getBroadcastState(TRENDING);
        outOfStockState = getOperatorStateBackend().getBroadcastState(OUT_OF_STOCK);
        versions = new TrendingVersions(getOperatorStateBackend().getBroadcastState(TRENDING_PENDING),
                getOperatorStateBackend().getBroadcastState(TRENDING_VERSION), config.trendingDelay.toMillis());
        heldSteps = getInternalTimerService("held-steps", VoidNamespaceSerializer.INSTANCE, this);
        evaluations = getMetricGroup().counter("hitRateEvaluations");
        hits = getMetricGroup().counter("hitRateHits");
        trendingEvicted = getMetricGroup().counter("trendingCategoriesEvicted");
        trendingExpired = getMetricGroup().counter("trendingCategoriesExpired");
        getMetricGroup().gauge("trendingCategories", () -> trendingCategories);
        staleAfterMillis = TrendingCategories.staleAfterMillis(config);
        indexTrending();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        state.flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void processElement1(StreamRecord<CustomerStep> record) throws Exception {
        CustomerStep step = record.getValue();
        CustomerProfile profile = state.value();
        if (profile == null) {
            profile = new CustomerProfile();
        }
        if (step.epoch < profile.epoch) {
            return; // from before stage 1's state expired and restarted the numbering
        }
        if (step.epoch > profile.epoch) {
            startEpoch(profile, step.epoch);
        }
        if (step.seq <= profile.lastSeq) {
            return; // already applied
        }
        profile.pending = append(profile.pending, step);
        Collector<Recommendation> out = emitter();
        applyReady(profile, out);
        if (profile.pending.length > MAX_PENDING) {
            skipToEarliestPending(profile, out);
        }
        state.update(profile);
        state.writeBehind();
    }

    /** The watermark passed a held step's trending version: apply what is ready now. */
    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        CustomerProfile profile = state.value();
        if (profile == null) {
            return; // expired with its TTL; its steps went with it
        }
        applyReady(profile, emitter());
        state.update(profile);
        state.writeBehind();
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

    /**
     * Completes the versions up to the watermark one bucket at a time, and releases the steps held
     * in each bucket before the next changes the trending lists: a jump of the watermark (a
     * catch-up, the end of the input) must not show a held step lists from after its version.
     */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long target = versions.targetFor(mark.getTimestamp());
        while (true) {
            releaseHeldUpToAppliedBucket(mark.getTimestamp());
            if (versions.applied() >= target) {
                break;
            }
            for (ContextUpdate update : versions.complete(versions.nextStop(target))) {
                keepTrending(update);
            }
        }
        super.processWatermark(mark);
    }

    /** The held steps of the buckets up to the newest complete version's, as far as the watermark goes. */
    private void releaseHeldUpToAppliedBucket(long watermark) throws Exception {
        if (versions.applied() != TrendingVersions.NONE) {
            long endOfBucket = versions.completeAt(versions.applied() + 1) - 1;
            getTimeServiceManager().orElseThrow().advanceWatermark(new Watermark(Math.min(watermark, endOfBucket)));
        }
    }

    /** Lists go out stamped with their event's time, held or not. */
    private Collector<Recommendation> emitter() {
        return new Collector<>() {
            @Override
            public void collect(Recommendation r) {
                output.collect(new StreamRecord<>(r, r.causeEventTime));
            }

            @Override
            public void close() {}
        };
    }

    /** Stage 1 started counting again for this shopper; the profile itself is kept. */
    private static void startEpoch(CustomerProfile profile, long epoch) {
        profile.epoch = epoch;
        profile.lastSeq = 0;
        profile.pending = Arrays.stream(profile.pending).filter(s -> s.epoch == epoch).toArray(CustomerStep[]::new);
    }

    /** An earlier event never came (it cannot, unless state was lost): go on without it rather than stall. */
    private void skipToEarliestPending(CustomerProfile profile, Collector<Recommendation> out) throws Exception {
        long earliest = Arrays.stream(profile.pending).mapToLong(s -> s.seq).min().getAsLong();
        profile.lastSeq = earliest - 1;
        List<CustomerStep> group = partsOf(profile, earliest);
        apply(profile, group, contextAt(versionOf(group.get(0).eventTime)), out);
        applyReady(profile, out);
    }

    /** Trending lists and stock changes, the same on every instance. */
    @Override
    public void processElement2(StreamRecord<ContextUpdate> record) throws Exception {
        ContextUpdate update = record.getValue();
        if (update.isTrending()) {
            if (!versions.offer(update)) {
                keepTrending(update); // late: its version is folded already
            }
        } else if (update.inStock) {
            outOfStockState.remove(update.stockProductId);
        } else {
            outOfStockState.put(update.stockProductId, true);
        }
    }

    /**
     * Stores a category's new list, then drops what the bounds no longer allow (see {@link
     * TrendingCategories}). The overall list is one list, not a category: never cut.
     */
    private void keepTrending(ContextUpdate update) throws Exception {
        trendingState.put(update.category, update);
        if (update.category.equals(TrendingSignal.OVERALL)) {
            return;
        }
        held.put(update);
        TrendingCategories.Cut cut = held.cut(config.maxTrendingCategories, staleAfterMillis);
        for (String category : cut.expired()) {
            trendingState.remove(category);
            trendingExpired.inc();
        }
        for (String category : cut.evicted()) {
            trendingState.remove(category);
            trendingEvicted.inc();
        }
        trendingCategories = held.size();
    }

    /** The ages of the kept lists, from the state itself (derived, so the same after a restore). */
    private void indexTrending() throws Exception {
        held = new TrendingCategories.Held();
        for (Map.Entry<String, ContextUpdate> e : trendingState.immutableEntries()) {
            if (!e.getKey().equals(TrendingSignal.OVERALL)) {
                held.put(e.getValue());
            }
        }
        trendingCategories = held.size();
    }

    long trendingCategoriesEvicted() {
        return trendingEvicted.getCount();
    }

    long trendingCategoriesExpired() {
        return trendingExpired.getCount();
    }

    /**
     * Applies every event whose parts have all arrived, in sequence order. In event-time order
     * ({@code --event-order event-time}) an event also waits until the watermark passes it: then its
     * trending version is complete, whatever the paths' speeds, and the lists go out in event-time
     * order. Otherwise it goes at once, with its own version or, while that is not complete (a
     * catch-up), the newest complete one: older trending, never trending from after the event.
     */
    private void applyReady(CustomerProfile profile, Collector<Recommendation> out) throws Exception {
        while (true) {
            List<CustomerStep> group = partsOf(profile, profile.lastSeq + 1);
            if (group.isEmpty() || group.size() < group.get(0).parts) {
                return;
            }
            long eventTime = group.get(0).eventTime;
            if (config.eventTimeOrder && eventTime > heldSteps.currentWatermark()) {
                heldSteps.registerEventTimeTimer(VoidNamespace.INSTANCE, eventTime);
                return;
            }
            apply(profile, group, contextAt(versionOf(eventTime)), out);
        }
    }

    /** The event's own trending version, or the newest complete one while its own is not. */
    private long versionOf(long eventTime) {
        return Math.min(TrendingVersions.versionFor(eventTime, versions.delayMillis()), versions.applied());
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
        Recommendation r = recommendation(first, list, first.consentPersonalization, hit);
        out.collect(r);
        if (r.evaluated) {
            output.collect(EVALUATIONS, new StreamRecord<>(Evaluation.of(r), r.causeEventTime));
        }
    }

    /** The products of a view, wish-list add, add to cart or purchase: what the hit-rate protocol looks at. */
    static Set<String> touchedProducts(List<CustomerStep> parts) {
        Set<String> products = new LinkedHashSet<>();
        for (CustomerStep s : parts) {
            if (ProfileUpdates.touchesProduct(s)) {
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

    /** Trending of one version and the current stock, as the list builder sees them. */
    private ListBuilder.Context contextAt(long version) {
        return new ListBuilder.Context() {
        @Override
        public ContextUpdate trending(String category) {
            try {
                ContextUpdate newest = versions.newestBucket(category, version);
                return newest != null ? newest : trendingState.get(category);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean outOfStock(String productId) {
            try {
                return outOfStockState.contains(productId);
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

}
