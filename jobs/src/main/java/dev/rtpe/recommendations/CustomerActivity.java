package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Arrays;
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
import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/**
 * Stage 1, keyed by customer. Numbers the customer's events, pairs each product the customer
 * touches with the products they touched shortly before (co-occurrence, weighted by event type),
 * and routes the work: product news to the product stage, popularity to the trending stage, and
 * events without a product straight to the customer stage.
 *
 * <p>State: the customer's sequence number and last {@code recentItems} products, with a TTL.
 */
public class CustomerActivity extends KeyedProcessFunction<String, ShopperEvent, ProductTouch>
        implements CachingKeyedProcessOperator.CachedFunction {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<CustomerStep> DIRECT_STEPS = new OutputTag<>("direct-steps", TypeInformation.of(CustomerStep.class));
    public static final OutputTag<TrendingSignal> POPULARITY = new OutputTag<>("popularity", TypeInformation.of(TrendingSignal.class));

    private final RecommendationsConfig config;
    private transient WriteBackCache<RecentActivity> state;
    /** Outputs of the event in hand so far. */
    private transient int emitted;

    /** The customer's sequence counter and recent products, newest first. */
    public static class RecentActivity {
        static final int FORMAT = 1;
        /** When this state began (processing time); numbering restarts with a new epoch after expiry. */
        public long epoch;
        public long seq;
        public String[] products = new String[0];
        public String[] categories = new String[0];
        public long[] times = new long[0];
        public double[] weights = new double[0];
        public boolean[] carted = new boolean[0];

        public RecentActivity() {}

        static final CompactValueState.Codec<RecentActivity> CODEC = new CompactValueState.Codec<>() {
            @Override
            public void write(RecentActivity a, CompactState.Writer w) {
                w.putByte(FORMAT).putLong(a.epoch).putLong(a.seq).putStrings(a.products).putStrings(a.categories)
                        .putLongs(a.times).putDoubles(a.weights).putBooleans(a.carted);
            }

            @Override
            public RecentActivity read(CompactState.Reader r) {
                r.expectVersion(FORMAT, "recent-activity");
                RecentActivity a = new RecentActivity();
                a.epoch = r.getLong();
                a.seq = r.getLong();
                a.products = r.getStrings();
                a.categories = r.getStrings();
                a.times = r.getLongs();
                a.weights = r.getDoubles();
                a.carted = r.getBooleans();
                return a;
            }
        };
    }

    public CustomerActivity(RecommendationsConfig config) {
        this.config = config;
    }

    @Override
    public Iterable<WriteBackCache<?>> writeBackCaches() {
        return java.util.List.<WriteBackCache<?>>of(state);
    }

    @Override
    public void open(OpenContext openContext) {
        state = WriteBackCache.of(getRuntimeContext(), "recent-activity", config.customerTtl, RecentActivity.CODEC, config.stateCacheEntries);
    }

    @Override
    public void processElement(ShopperEvent e, Context ctx, Collector<ProductTouch> out) throws Exception {
        RecentActivity recent = state.value();
        if (recent == null) {
            recent = new RecentActivity();
            recent.epoch = ctx.timerService().currentProcessingTime();
        }
        recent.seq++;
        emitted = 0;
        List<LineItem> products = productsOf(e);
        double weight = config.weightOf(e.eventType);
        for (LineItem p : products) {
            ctx.output(POPULARITY, new TrendingSignal(p.category != null ? p.category : TrendingSignal.UNCATEGORIZED, p.category,
                    p.productId, weight, e.eventTime, nextEmission(e, recent)));
            ctx.output(POPULARITY, new TrendingSignal(TrendingSignal.OVERALL, p.category, p.productId, weight, e.eventTime,
                    nextEmission(e, recent)));
        }
        // Without a product, or for a shopper who opted out of behavioural personalisation (who then
        // feeds no neighbour model and gets no personal list), the event goes straight on.
        if (products.isEmpty() || !e.consentPersonalization) {
            ctx.output(DIRECT_STEPS, step(e, recent.epoch, recent.seq, 0, 1, null, null));
            state.update(recent);
            return;
        }
        boolean carted = e.eventType == EventType.ADD_TO_CART || e.eventType == EventType.PURCHASE;
        for (int part = 0; part < products.size(); part++) {
            LineItem p = products.get(part);
            ProductTouch touch = touch(p.productId, p.category, e);
            touch.step = step(e, recent.epoch, recent.seq, part, products.size(), p.productId, p.category);
            pairWithRecent(touch, recent, e, weight, carted, out);
            touch.emission = nextEmission(e, recent);
            out.collect(touch);
            remember(recent, p, e.eventTime, weight, carted);
        }
        state.update(recent);
    }

    /** The products an event is about: the viewed or carted one, or every line of a purchase. */
    static List<LineItem> productsOf(ShopperEvent e) {
        switch (e.eventType) {
            case VIEW_ITEM:
            case ADD_TO_WISHLIST:
            case ADD_TO_CART:
                return List.of(new LineItem(e.productId, e.category, e.price, e.quantity));
            case PURCHASE:
                return Arrays.asList(e.items);
            default:
                return List.of();
        }
    }

    /**
     * Pairs the product with each recent one inside the window, both ways: this touch carries the
     * recent products for the product's own lists, and each recent product gets a pair update.
     */
    private void pairWithRecent(ProductTouch touch, RecentActivity recent, ShopperEvent e, double weight, boolean carted,
                                Collector<ProductTouch> out) {
        long time = e.eventTime;
        List<Integer> partners = new ArrayList<>();
        for (int i = 0; i < recent.products.length; i++) {
            if (!recent.products[i].equals(touch.productId)
                    && Math.abs(time - recent.times[i]) <= config.coOccurrenceWindow.toMillis()) {
                partners.add(i);
            }
        }
        touch.coProducts = new String[partners.size()];
        touch.coCategories = new String[partners.size()];
        touch.coWeights = new double[partners.size()];
        touch.coBought = new boolean[partners.size()];
        for (int k = 0; k < partners.size(); k++) {
            int i = partners.get(k);
            double pairWeight = (weight + recent.weights[i]) / 2;
            boolean bought = carted && recent.carted[i];
            touch.coProducts[k] = recent.products[i];
            touch.coCategories[k] = recent.categories[i];
            touch.coWeights[k] = pairWeight;
            touch.coBought[k] = bought;

            ProductTouch back = touch(recent.products[i], recent.categories[i], null);
            back.eventTime = time;
            back.causeEventId = touch.causeEventId;
            back.causeEventType = touch.causeEventType;
            back.coProducts = new String[] {touch.productId};
            back.coCategories = new String[] {touch.category};
            back.coWeights = new double[] {pairWeight};
            back.coBought = new boolean[] {bought};
            back.emission = nextEmission(e, recent);
            out.collect(back);
        }
    }

    /**
     * The next output's place among this event's outputs (see {@link Emission}); only in event-time
     * order, the one mode that reads it, so the live path neither makes nor ships it.
     */
    private Emission nextEmission(ShopperEvent e, RecentActivity recent) {
        return config.eventTimeOrder ? new Emission(e.customerKey, recent.seq, emitted++) : null;
    }

    private void remember(RecentActivity r, LineItem p, long time, double weight, boolean carted) {
        int existing = Arrays.asList(r.products).indexOf(p.productId);
        int keep = Math.min(r.products.length + (existing < 0 ? 1 : 0), config.recentItems);
        String[] products = new String[keep];
        String[] categories = new String[keep];
        long[] times = new long[keep];
        double[] weights = new double[keep];
        boolean[] cartedFlags = new boolean[keep];
        products[0] = p.productId;
        categories[0] = p.category;
        times[0] = time;
        weights[0] = existing < 0 ? weight : Math.max(weight, r.weights[existing]);
        cartedFlags[0] = carted || (existing >= 0 && r.carted[existing]);
        for (int i = 0, j = 1; i < r.products.length && j < keep; i++) {
            if (i != existing) {
                products[j] = r.products[i];
                categories[j] = r.categories[i];
                times[j] = r.times[i];
                weights[j] = r.weights[i];
                cartedFlags[j] = r.carted[i];
                j++;
            }
        }
        r.products = products;
        r.categories = categories;
        r.times = times;
        r.weights = weights;
        r.carted = cartedFlags;
    }

    private static ProductTouch touch(String productId, String category, ShopperEvent e) {
        ProductTouch t = new ProductTouch();
        t.productId = productId;
        t.category = category;
        if (e != null) {
            t.eventTime = e.eventTime;
            t.causeEventId = e.eventId;
            t.causeEventType = e.eventType;
        }
        return t;
    }

    static CustomerStep step(ShopperEvent e, long epoch, long seq, int part, int parts, String productId, String category) {
        CustomerStep s = new CustomerStep();
        s.customerKey = e.customerKey;
        s.epoch = epoch;
        s.seq = seq;
        s.part = part;
        s.parts = parts;
        s.eventId = e.eventId;
        s.eventType = e.eventType;
        s.eventTime = e.eventTime;
        s.customerId = e.customerId;
        s.anonymousId = e.anonymousId;
        s.channel = e.channel;
        s.consentPersonalization = e.consentPersonalization;
        s.productId = productId != null ? productId : e.productId;
        s.category = productId != null ? category : e.category;
        if (e.items != null && (e.eventType == EventType.VIEW_CART || e.eventType == EventType.BEGIN_CHECKOUT)) {
            s.itemIds = new String[e.items.length];
            for (int i = 0; i < e.items.length; i++) {
                s.itemIds[i] = e.items[i].productId;
            }
        }
        return s;
    }
}
