package dev.rtpe.recommendations;

import static dev.rtpe.testing.GoldenFiles.assertRoundTrip;
import static dev.rtpe.testing.GoldenFiles.assertSameBytes;
import static dev.rtpe.testing.GoldenFiles.assertSameFlinkValue;
import static dev.rtpe.testing.GoldenFiles.committed;
import static dev.rtpe.testing.GoldenFiles.decode;
import static dev.rtpe.testing.GoldenFiles.encode;
import static dev.rtpe.testing.GoldenFiles.flinkDecode;
import static dev.rtpe.testing.GoldenFiles.flinkEncode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.ListSerializer;
import org.apache.flink.api.common.typeutils.base.MapSerializer;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.Channel;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;
import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/**
 * The recommendations job's state: each compact codec round-trips, reads its committed golden
 * files (today's format, and the older formats it still reads), and still writes exactly today's
 * bytes; the Flink-serialized states (broadcast context, held events) likewise, through their
 * descriptors' serializers. See {@code src/test/resources/golden/README.md}.
 */
class StateCodecGoldenTest {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    // Parts nested in the codecs below (no version byte of their own: the owner's version covers them).

    static DecayingTopK topK(String prefix) {
        DecayingTopK t = new DecayingTopK();
        t.landmark = T0 - 86_400_000L;
        t.keys = new String[] {prefix + "-1", prefix + "-ß", prefix + "-🛒"};
        t.values = new double[] {3.5, 1.25e-3, 7.0e12};
        t.labels = new String[] {"shoes", null, "玩具"};
        return t;
    }

    private static void assertGoldenTopK(DecayingTopK t, String prefix) {
        assertThat(t.landmark).isEqualTo(1_767_139_200_000L);
        assertThat(t.keys).containsExactly(prefix + "-1", prefix + "-ß", prefix + "-🛒");
        assertThat(t.values).containsExactly(3.5, 1.25e-3, 7.0e12);
        assertThat(t.labels).containsExactly("shoes", null, "玩具");
    }

    /** A part that passed the product stage: a cart with neighbours attached. */
    static CustomerStep stepWithNeighbours() {
        CustomerStep s = new CustomerStep();
        s.customerKey = "c:klient-Łódź";
        s.epoch = T0;
        s.seq = 300; // two varint bytes
        s.part = 1;
        s.parts = 200;
        s.eventId = "evt-€-1";
        s.eventType = EventType.BEGIN_CHECKOUT;
        s.eventTime = T0 + 5_000;
        s.customerId = "klient-Łódź";
        s.anonymousId = null;
        s.channel = Channel.MOBILE_WEB;
        s.consentPersonalization = false;
        s.productId = "p-1";
        s.category = null;
        s.itemIds = new String[] {"p-1", "p-ß"};
        s.alsoViewed = new String[] {"p-2", "p-3"};
        s.alsoViewedScores = new double[] {0.75, -0.0};
        s.alsoViewedCategories = new String[] {null, "książki"};
        s.boughtTogether = new String[0];
        s.boughtTogetherScores = new double[0];
        s.boughtTogetherCategories = new String[0];
        return s;
    }

    /** An anonymous search: no product, no cart, no neighbours. */
    static CustomerStep bareStep() {
        CustomerStep s = new CustomerStep();
        s.customerKey = "a:anon-9";
        s.epoch = -1;
        s.seq = Long.MAX_VALUE;
        s.part = 0;
        s.parts = 1;
        s.eventId = "evt-2";
        s.eventType = EventType.ADD_TO_WISHLIST;
        s.eventTime = Long.MIN_VALUE;
        s.anonymousId = "anon-9";
        s.channel = Channel.OTHER;
        s.consentPersonalization = true;
        return s;
    }

    private static final CompactValueState.Codec<CustomerStep> STEP = new CompactValueState.Codec<>() {
        @Override
        public void write(CustomerStep value, CompactState.Writer out) {
            value.write(out);
        }

        @Override
        public CustomerStep read(CompactState.Reader in) {
            return CustomerStep.read(in);
        }
    };

    private static final CompactValueState.Codec<DecayingTopK> TOP_K = new CompactValueState.Codec<>() {
        @Override
        public void write(DecayingTopK value, CompactState.Writer out) {
            value.write(out);
        }

        @Override
        public DecayingTopK read(CompactState.Reader in) {
            return DecayingTopK.read(in);
        }
    };

    @Test
    void customerStepsAndTopKsRoundTrip() {
        assertRoundTrip(STEP, stepWithNeighbours());
        assertRoundTrip(STEP, bareStep());
        assertRoundTrip(TOP_K, topK("p"));
        assertRoundTrip(TOP_K, new DecayingTopK());
        // A top-k built by its own updates, with forward-decayed values.
        DecayingTopK built = new DecayingTopK();
        built.add("A", "shoes", 3, T0, 3_600_000L, 2);
        built.add("B", null, 1, T0 + 7_200_000L, 3_600_000L, 2);
        built.add("C", "hats", 5, T0 + 9_000_000L, 3_600_000L, 2);
        DecayingTopK read = assertRoundTrip(TOP_K, built);
        assertThat(read.topKeys(2)).containsExactly(built.topKeys(2));
    }

    // CustomerProfile, format 2 (format 1 still read).

    static CustomerProfile profile() {
        CustomerProfile p = new CustomerProfile();
        p.epoch = T0;
        p.lastSeq = 5_000_000_000L;
        p.pending = new CustomerStep[] {stepWithNeighbours(), bareStep()};
        p.alsoViewed = topK("av");
        p.boughtTogether = topK("bt");
        p.categories = new DecayingTopK();
        p.ownProducts = topK("own");
        p.recentlyViewed = new String[] {"p-1", "p-ß"};
        p.recentlyViewedCategories = new String[] {"shoes", null};
        p.cart = new String[] {"p-🛒"};
        p.purchased = new String[0];
        p.purchasedCategories = new String[0];
        p.lastList = new String[] {"p-2", "p-3", "p-4"};
        p.previousProduct = "p-ß";
        return p;
    }

    @Test
    void customerProfileRoundTrips() {
        assertRoundTrip(CustomerProfile.CODEC, profile());
        CustomerProfile fresh = new CustomerProfile();
        assertThat(fresh.lastList).isNull();
        assertRoundTrip(CustomerProfile.CODEC, fresh);
    }

    @Test
    void customerProfileFormat2IsReadAndStillWritten() throws Exception {
        String file = "customer-profile-v2.bin";
        byte[] golden = committed(file, encode(CustomerProfile.CODEC, profile()));
        assertThat(golden[0]).isEqualTo((byte) 2);
        CustomerProfile p = decode(CustomerProfile.CODEC, golden);
        assertThat(p.epoch).isEqualTo(1_767_225_600_000L);
        assertThat(p.lastSeq).isEqualTo(5_000_000_000L);
        assertThat(p.pending).hasSize(2);
        assertGoldenStepWithNeighbours(p.pending[0]);
        assertGoldenBareStep(p.pending[1]);
        assertGoldenTopK(p.alsoViewed, "av");
        assertGoldenTopK(p.boughtTogether, "bt");
        assertThat(p.categories.isEmpty()).isTrue();
        assertGoldenTopK(p.ownProducts, "own");
        assertThat(p.recentlyViewed).containsExactly("p-1", "p-ß");
        assertThat(p.recentlyViewedCategories).containsExactly("shoes", null);
        assertThat(p.cart).containsExactly("p-🛒");
        assertThat(p.purchased).isEmpty();
        assertThat(p.purchasedCategories).isEmpty();
        assertThat(p.lastList).containsExactly("p-2", "p-3", "p-4");
        assertThat(p.previousProduct).isEqualTo("p-ß");
        assertSameBytes(file, golden, encode(CustomerProfile.CODEC, profile()));
    }

    private static void assertGoldenStepWithNeighbours(CustomerStep s) {
        assertThat(s.customerKey).isEqualTo("c:klient-Łódź");
        assertThat(s.epoch).isEqualTo(1_767_225_600_000L);
        assertThat(s.seq).isEqualTo(300);
        assertThat(s.part).isEqualTo(1);
        assertThat(s.parts).isEqualTo(200);
        assertThat(s.eventId).isEqualTo("evt-€-1");
        assertThat(s.eventType).isEqualTo(EventType.BEGIN_CHECKOUT);
        assertThat(s.eventTime).isEqualTo(1_767_225_605_000L);
        assertThat(s.customerId).isEqualTo("klient-Łódź");
        assertThat(s.anonymousId).isNull();
        assertThat(s.channel).isEqualTo(Channel.MOBILE_WEB);
        assertThat(s.consentPersonalization).isFalse();
        assertThat(s.productId).isEqualTo("p-1");
        assertThat(s.category).isNull();
        assertThat(s.itemIds).containsExactly("p-1", "p-ß");
        assertThat(s.alsoViewed).containsExactly("p-2", "p-3");
        assertThat(s.alsoViewedScores).containsExactly(0.75, -0.0);
        assertThat(Double.doubleToRawLongBits(s.alsoViewedScores[1])).as("negative zero").isEqualTo(Long.MIN_VALUE);
        assertThat(s.alsoViewedCategories).containsExactly(null, "książki");
        assertThat(s.boughtTogether).isEmpty();
        assertThat(s.boughtTogetherScores).isEmpty();
        assertThat(s.boughtTogetherCategories).isEmpty();
    }

    private static void assertGoldenBareStep(CustomerStep s) {
        assertThat(s.customerKey).isEqualTo("a:anon-9");
        assertThat(s.epoch).isEqualTo(-1);
        assertThat(s.seq).isEqualTo(Long.MAX_VALUE);
        assertThat(s.part).isZero();
        assertThat(s.parts).isEqualTo(1);
        assertThat(s.eventId).isEqualTo("evt-2");
        assertThat(s.eventType).isEqualTo(EventType.ADD_TO_WISHLIST);
        assertThat(s.eventTime).isEqualTo(Long.MIN_VALUE);
        assertThat(s.customerId).isNull();
        assertThat(s.anonymousId).isEqualTo("anon-9");
        assertThat(s.channel).isEqualTo(Channel.OTHER);
        assertThat(s.consentPersonalization).isTrue();
        assertThat(s.productId).isNull();
        assertThat(s.category).isNull();
        assertThat(s.itemIds).isNull();
        assertThat(s.alsoViewed).isNull();
        assertThat(s.alsoViewedScores).isNull();
        assertThat(s.boughtTogether).isNull();
    }

    /**
     * Format 1 as the code before format 2 wrote it (commit 92b0df1's parent): format 2 without the
     * own products at the end. Only generates the golden file once; today's code writes format 2.
     */
    static byte[] profileFormat1() {
        CustomerProfile p = profile();
        CompactState.Writer w = new CompactState.Writer();
        w.putByte(1).putLong(p.epoch).putLong(p.lastSeq).putVarInt(p.pending.length);
        for (CustomerStep s : p.pending) {
            s.write(w);
        }
        p.alsoViewed.write(w);
        p.boughtTogether.write(w);
        p.categories.write(w);
        w.putStrings(p.recentlyViewed).putStrings(p.recentlyViewedCategories).putStrings(p.cart)
                .putStrings(p.purchased).putStrings(p.purchasedCategories).putBoolean(p.lastList != null);
        if (p.lastList != null) {
            w.putStrings(p.lastList);
        }
        w.putString(p.previousProduct);
        return w.toBytes();
    }

    @Test
    void customerProfileFormat1IsStillRead() throws Exception {
        byte[] golden = committed("customer-profile-v1.bin", profileFormat1());
        assertThat(golden[0]).isEqualTo((byte) 1);
        CustomerProfile p = decode(CustomerProfile.CODEC, golden);
        assertThat(p.epoch).isEqualTo(1_767_225_600_000L);
        assertThat(p.lastSeq).isEqualTo(5_000_000_000L);
        assertThat(p.pending).hasSize(2);
        assertGoldenStepWithNeighbours(p.pending[0]);
        assertGoldenBareStep(p.pending[1]);
        assertGoldenTopK(p.alsoViewed, "av");
        assertGoldenTopK(p.boughtTogether, "bt");
        assertThat(p.categories.isEmpty()).isTrue();
        assertThat(p.cart).containsExactly("p-🛒");
        assertThat(p.lastList).containsExactly("p-2", "p-3", "p-4");
        assertThat(p.previousProduct).isEqualTo("p-ß");
        assertThat(p.ownProducts.isEmpty()).as("format 1 had no own products").isTrue();
        // Migrated: written again, it is format 2.
        assertThat(encode(CustomerProfile.CODEC, p)[0]).isEqualTo((byte) 2);
    }

    // CustomerActivity.RecentActivity, format 1.

    static CustomerActivity.RecentActivity activity() {
        CustomerActivity.RecentActivity a = new CustomerActivity.RecentActivity();
        a.epoch = T0;
        a.seq = 1L << 40;
        a.products = new String[] {"p-1", "p-ß", "p-🛒"};
        a.categories = new String[] {"shoes", null, "玩具"};
        a.times = new long[] {T0 + 3_000, T0 + 2_000, -5};
        a.weights = new double[] {1.0, 0.25, 3.0};
        a.carted = new boolean[] {true, false, true};
        return a;
    }

    @Test
    void recentActivityRoundTrips() {
        assertRoundTrip(CustomerActivity.RecentActivity.CODEC, activity());
        assertRoundTrip(CustomerActivity.RecentActivity.CODEC, new CustomerActivity.RecentActivity());
    }

    @Test
    void recentActivityFormat1IsReadAndStillWritten() throws Exception {
        String file = "recent-activity-v1.bin";
        byte[] golden = committed(file, encode(CustomerActivity.RecentActivity.CODEC, activity()));
        assertThat(golden[0]).isEqualTo((byte) 1);
        CustomerActivity.RecentActivity a = decode(CustomerActivity.RecentActivity.CODEC, golden);
        assertThat(a.epoch).isEqualTo(1_767_225_600_000L);
        assertThat(a.seq).isEqualTo(1_099_511_627_776L);
        assertThat(a.products).containsExactly("p-1", "p-ß", "p-🛒");
        assertThat(a.categories).containsExactly("shoes", null, "玩具");
        assertThat(a.times).containsExactly(1_767_225_603_000L, 1_767_225_602_000L, -5L);
        assertThat(a.weights).containsExactly(1.0, 0.25, 3.0);
        assertThat(a.carted).containsExactly(true, false, true);
        assertSameBytes(file, golden, encode(CustomerActivity.RecentActivity.CODEC, activity()));
    }

    // ProductNeighbours.Neighbours, format 2 (format 1 still read).

    static ProductNeighbours.Neighbours neighbours() {
        ProductNeighbours.Neighbours n = new ProductNeighbours.Neighbours();
        n.alsoViewed = topK("av");
        n.boughtTogether = topK("bt");
        n.publishedAlsoViewed = new String[] {"av-🛒", "av-1"};
        n.publishedBoughtTogether = new String[0];
        n.publishedAt = T0 + 10_000;
        n.pendingCauseId = "evt-ünïcode";
        n.pendingCauseType = EventType.PURCHASE;
        n.pendingCauseTime = T0 + 12_345;
        return n;
    }

    @Test
    void neighboursRoundTrip() {
        assertRoundTrip(ProductNeighbours.Neighbours.CODEC, neighbours());
        ProductNeighbours.Neighbours nothingPending = neighbours();
        nothingPending.pendingCauseId = null;
        nothingPending.pendingCauseType = null;
        nothingPending.pendingCauseTime = 0;
        assertRoundTrip(ProductNeighbours.Neighbours.CODEC, nothingPending);
        assertRoundTrip(ProductNeighbours.Neighbours.CODEC, new ProductNeighbours.Neighbours());
    }

    @Test
    void neighboursFormat2IsReadAndStillWritten() throws Exception {
        String file = "neighbours-v2.bin";
        byte[] golden = committed(file, encode(ProductNeighbours.Neighbours.CODEC, neighbours()));
        assertThat(golden[0]).isEqualTo((byte) 2);
        ProductNeighbours.Neighbours n = decode(ProductNeighbours.Neighbours.CODEC, golden);
        assertGoldenTopK(n.alsoViewed, "av");
        assertGoldenTopK(n.boughtTogether, "bt");
        assertThat(n.publishedAlsoViewed).containsExactly("av-🛒", "av-1");
        assertThat(n.publishedBoughtTogether).isEmpty();
        assertThat(n.publishedAt).isEqualTo(1_767_225_610_000L);
        assertThat(n.pendingCauseId).isEqualTo("evt-ünïcode");
        assertThat(n.pendingCauseType).isEqualTo(EventType.PURCHASE);
        assertThat(n.pendingCauseTime).isEqualTo(1_767_225_612_345L);
        assertSameBytes(file, golden, encode(ProductNeighbours.Neighbours.CODEC, neighbours()));
    }

    /** Format 1 as the code before format 2 wrote it (commit f693fa9's parent): no pending change. */
    static byte[] neighboursFormat1() {
        ProductNeighbours.Neighbours n = neighbours();
        CompactState.Writer w = new CompactState.Writer();
        w.putByte(1);
        n.alsoViewed.write(w);
        n.boughtTogether.write(w);
        w.putStrings(n.publishedAlsoViewed).putStrings(n.publishedBoughtTogether).putLong(n.publishedAt);
        return w.toBytes();
    }

    @Test
    void neighboursFormat1IsStillRead() throws Exception {
        byte[] golden = committed("neighbours-v1.bin", neighboursFormat1());
        assertThat(golden[0]).isEqualTo((byte) 1);
        ProductNeighbours.Neighbours n = decode(ProductNeighbours.Neighbours.CODEC, golden);
        assertGoldenTopK(n.alsoViewed, "av");
        assertGoldenTopK(n.boughtTogether, "bt");
        assertThat(n.publishedAlsoViewed).containsExactly("av-🛒", "av-1");
        assertThat(n.publishedBoughtTogether).isEmpty();
        assertThat(n.publishedAt).isEqualTo(1_767_225_610_000L);
        assertThat(n.hasPending()).as("format 1 had no pending change").isFalse();
        assertThat(encode(ProductNeighbours.Neighbours.CODEC, n)[0]).isEqualTo((byte) 2);
    }

    // TrendingProducts.Trending, format 1.

    static TrendingProducts.Trending trending() {
        TrendingProducts.Trending t = new TrendingProducts.Trending();
        t.products = topK("tr");
        t.published = new String[] {"tr-🛒", "tr-1", "tr-ß"};
        t.publishedAt = Long.MIN_VALUE; // never published
        return t;
    }

    @Test
    void trendingRoundTrips() {
        assertRoundTrip(TrendingProducts.Trending.CODEC, trending());
        assertRoundTrip(TrendingProducts.Trending.CODEC, new TrendingProducts.Trending());
    }

    @Test
    void trendingFormat1IsReadAndStillWritten() throws Exception {
        String file = "trending-v1.bin";
        byte[] golden = committed(file, encode(TrendingProducts.Trending.CODEC, trending()));
        assertThat(golden[0]).isEqualTo((byte) 1);
        TrendingProducts.Trending t = decode(TrendingProducts.Trending.CODEC, golden);
        assertGoldenTopK(t.products, "tr");
        assertThat(t.published).containsExactly("tr-🛒", "tr-1", "tr-ß");
        assertThat(t.publishedAt).isEqualTo(Long.MIN_VALUE);
        assertSameBytes(file, golden, encode(TrendingProducts.Trending.CODEC, trending()));
    }

    // Flink-serialized state of the customer stage (broadcast) and of the event-time order (operator list state).

    private static <K, V> MapSerializer<K, V> serializerOf(MapStateDescriptor<K, V> d) {
        d.initializeSerializerUnlessSet(new ExecutionConfig());
        return new MapSerializer<>(d.getKeySerializer(), d.getValueSerializer());
    }

    private static <T> ListSerializer<T> serializerOf(ListStateDescriptor<T> d) {
        d.initializeSerializerUnlessSet(new ExecutionConfig());
        return new ListSerializer<>(d.getElementSerializer());
    }

    static Map<String, ContextUpdate> trendingByCategory() {
        Map<String, ContextUpdate> m = new LinkedHashMap<>();
        m.put("shoes", ContextUpdate.trending("shoes", new String[] {"p-1", "p-ß"}, new double[] {2.5, 0.125},
                new String[] {"shoes", null}, T0, T0 + 1));
        m.put(TrendingSignal.OVERALL, ContextUpdate.trending(TrendingSignal.OVERALL, new String[] {"p-🛒"}, new double[] {9.0e9},
                null, -1, Long.MAX_VALUE));
        return m;
    }

    @Test
    void trendingBroadcastStateIsReadAndStillWritten() throws Exception {
        MapSerializer<String, ContextUpdate> serializer = serializerOf(CustomerListsOperator.TRENDING);
        assertThat(serializerOf(CustomerListsOperator.TRENDING_PENDING)).as("trending-pending keeps the same types")
                .isEqualTo(serializer);
        String file = "trending-by-category-v1.bin";
        byte[] golden = committed(file, flinkEncode(serializer, trendingByCategory()));
        Map<String, ContextUpdate> m = flinkDecode(serializer, golden);
        assertThat(m).containsOnlyKeys("shoes", TrendingSignal.OVERALL);
        ContextUpdate shoes = m.get("shoes");
        assertThat(shoes.category).isEqualTo("shoes");
        assertThat(shoes.trendingProducts).containsExactly("p-1", "p-ß");
        assertThat(shoes.trendingScores).containsExactly(2.5, 0.125);
        assertThat(shoes.trendingItemCategories).containsExactly("shoes", null);
        assertThat(shoes.asOf).isEqualTo(1_767_225_600_000L);
        assertThat(shoes.effectiveAt).isEqualTo(1_767_225_600_001L);
        assertThat(shoes.stockProductId).isNull();
        ContextUpdate overall = m.get(TrendingSignal.OVERALL);
        assertThat(overall.trendingProducts).containsExactly("p-🛒");
        assertThat(overall.trendingScores).containsExactly(9.0e9);
        assertThat(overall.trendingItemCategories).isNull();
        assertThat(overall.asOf).isEqualTo(-1);
        assertThat(overall.effectiveAt).isEqualTo(Long.MAX_VALUE);
        assertSameFlinkValue(file, golden, flinkEncode(serializer, trendingByCategory()));
    }

    @Test
    void trendingVersionAndStockBroadcastStatesAreReadAndStillWritten() throws Exception {
        MapSerializer<String, Long> versions = serializerOf(CustomerListsOperator.TRENDING_VERSION);
        Map<String, Long> version = Map.of("version", 1_767_225_600_000L);
        byte[] golden = committed("trending-version-v1.bin", flinkEncode(versions, version));
        assertThat(flinkDecode(versions, golden)).containsExactly(Map.entry("version", 1_767_225_600_000L));
        assertSameFlinkValue("trending-version-v1.bin", golden, flinkEncode(versions, version));

        MapSerializer<String, Boolean> stock = serializerOf(CustomerListsOperator.OUT_OF_STOCK);
        Map<String, Boolean> outOfStock = new LinkedHashMap<>();
        outOfStock.put("p-1", true);
        outOfStock.put("p-🛒", false);
        byte[] stockGolden = committed("out-of-stock-v1.bin", flinkEncode(stock, outOfStock));
        assertThat(flinkDecode(stock, stockGolden)).containsOnly(Map.entry("p-1", true), Map.entry("p-🛒", false));
        assertSameFlinkValue("out-of-stock-v1.bin", stockGolden, flinkEncode(stock, outOfStock));
    }

    static List<ShopperEvent> heldEvents() {
        ShopperEvent purchase = new ShopperEvent();
        purchase.eventId = "evt-€-1";
        purchase.eventType = EventType.PURCHASE;
        purchase.eventTime = T0 + 5_000;
        purchase.customerKey = "c:klient-Łódź";
        purchase.customerId = "klient-Łódź";
        purchase.sessionId = "sess-1";
        purchase.channel = Channel.APP;
        purchase.currency = "PLN";
        purchase.orderId = "order-7";
        purchase.value = 123.45;
        purchase.items = new LineItem[] {new LineItem("p-1", "shoes", 99.99, 1), new LineItem("p-ß", null, Double.NaN, 1000)};
        purchase.items[0].brand = "Żubr";
        purchase.consentMarketing = true;
        purchase.timeZone = "Europe/Warsaw";
        purchase.ingestedAt = T0 + 5_100;
        purchase.reportedEventTime = T0 + 900_000;
        ShopperEvent search = new ShopperEvent();
        search.eventId = "evt-2";
        search.eventType = EventType.SEARCH;
        search.eventTime = -1;
        search.customerKey = "a:anon-9";
        search.anonymousId = "anon-9";
        search.channel = Channel.WEB;
        search.searchTerm = "ランニングシューズ";
        search.consentPersonalization = false;
        return List.of(purchase, search);
    }

    @Test
    void heldEventsOperatorStateIsReadAndStillWritten() throws Exception {
        ListSerializer<ShopperEvent> serializer = serializerOf(EventTimeOrder.heldEvents());
        String file = "held-events-v1.bin";
        byte[] golden = committed(file, flinkEncode(serializer, heldEvents()));
        List<ShopperEvent> events = flinkDecode(serializer, golden);
        assertThat(events).hasSize(2);
        ShopperEvent p = events.get(0);
        assertThat(p.eventId).isEqualTo("evt-€-1");
        assertThat(p.eventType).isEqualTo(EventType.PURCHASE);
        assertThat(p.eventTime).isEqualTo(1_767_225_605_000L);
        assertThat(p.customerKey).isEqualTo("c:klient-Łódź");
        assertThat(p.customerId).isEqualTo("klient-Łódź");
        assertThat(p.anonymousId).isNull();
        assertThat(p.sessionId).isEqualTo("sess-1");
        assertThat(p.channel).isEqualTo(Channel.APP);
        assertThat(p.currency).isEqualTo("PLN");
        assertThat(p.orderId).isEqualTo("order-7");
        assertThat(p.value).isEqualTo(123.45);
        assertThat(p.price).isNaN();
        assertThat(p.items).hasSize(2);
        assertThat(p.items[0].productId).isEqualTo("p-1");
        assertThat(p.items[0].category).isEqualTo("shoes");
        assertThat(p.items[0].brand).isEqualTo("Żubr");
        assertThat(p.items[0].price).isEqualTo(99.99);
        assertThat(p.items[0].quantity).isEqualTo(1);
        assertThat(p.items[1].productId).isEqualTo("p-ß");
        assertThat(p.items[1].category).isNull();
        assertThat(p.items[1].price).isNaN();
        assertThat(p.items[1].quantity).isEqualTo(1000);
        assertThat(p.consentPersonalization).isTrue();
        assertThat(p.consentMarketing).isTrue();
        assertThat(p.timeZone).isEqualTo("Europe/Warsaw");
        assertThat(p.ingestedAt).isEqualTo(1_767_225_605_100L);
        assertThat(p.reportedEventTime).isEqualTo(1_767_226_500_000L);
        ShopperEvent s = events.get(1);
        assertThat(s.eventType).isEqualTo(EventType.SEARCH);
        assertThat(s.eventTime).isEqualTo(-1);
        assertThat(s.anonymousId).isEqualTo("anon-9");
        assertThat(s.customerId).isNull();
        assertThat(s.searchTerm).isEqualTo("ランニングシューズ");
        assertThat(s.items).isNull();
        assertThat(s.consentPersonalization).isFalse();
        assertThat(events).isEqualTo(heldEvents()); // and every other field, by ShopperEvent.equals
        assertSameFlinkValue(file, golden, flinkEncode(serializer, heldEvents()));
    }

    @Test
    void heldEventsRoundTripThroughTheirSerializer() throws Exception {
        TypeSerializer<List<ShopperEvent>> serializer = serializerOf(EventTimeOrder.heldEvents());
        assertThat(flinkDecode(serializer, flinkEncode(serializer, heldEvents()))).isEqualTo(heldEvents());
    }
}
