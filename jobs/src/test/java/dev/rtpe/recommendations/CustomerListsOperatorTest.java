package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;

class CustomerListsOperatorTest {
    private static final long DAY = 86_400_000L;

    /** Input 2 is broadcast in the job; here it gets a fixed key, which the operator never uses. */
    static KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation> harness(String... flags)
            throws Exception {
        return harness(new CustomerListsOperator(RecommendationsConfig.fromArgs(flags)));
    }

    /**
     * With the watermark at the end of time: every trending version is complete, so a step is
     * applied at once and a trending list is seen at once, for the tests of the list rules.
     * {@link TrendingVersionsTest} tests the versions.
     */
    static KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation> settled(String... flags)
            throws Exception {
        return settled(new CustomerListsOperator(RecommendationsConfig.fromArgs(flags)));
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation> settled(CustomerListsOperator op)
            throws Exception {
        var h = harness(op);
        h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
        return h;
    }

    static KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation> harness(CustomerListsOperator op)
            throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation>(
                op, s -> s.customerKey, u -> "context", Types.STRING);
        h.setStateBackend(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend());
        h.open();
        return h;
    }

    static CustomerStep step(long seq, EventType type, long time, String product, String category) {
        CustomerStep s = new CustomerStep();
        s.customerKey = "c:1";
        s.customerId = "1";
        s.seq = seq;
        s.parts = 1;
        s.eventId = "e" + seq;
        s.eventType = type;
        s.eventTime = time;
        s.channel = Channel.WEB;
        s.consentPersonalization = true;
        s.productId = product;
        s.category = category;
        s.alsoViewed = new String[0];
        s.alsoViewedScores = new double[0];
        s.alsoViewedCategories = new String[0];
        s.boughtTogether = new String[0];
        s.boughtTogetherScores = new double[0];
        s.boughtTogetherCategories = new String[0];
        return s;
    }

    static CustomerStep view(long seq, long time, String product, String... alsoViewed) {
        CustomerStep s = step(seq, EventType.VIEW_ITEM, time, product, "shoes");
        s.alsoViewed = alsoViewed;
        s.alsoViewedScores = new double[alsoViewed.length];
        s.alsoViewedCategories = new String[alsoViewed.length];
        for (int i = 0; i < alsoViewed.length; i++) {
            s.alsoViewedScores[i] = alsoViewed.length - i;
            s.alsoViewedCategories[i] = "shoes";
        }
        return s;
    }

    static CustomerStep withBoughtTogether(CustomerStep s, String... products) {
        s.boughtTogether = products;
        s.boughtTogetherScores = new double[products.length];
        Arrays.fill(s.boughtTogetherScores, 1);
        s.boughtTogetherCategories = new String[products.length];
        Arrays.fill(s.boughtTogetherCategories, "shoes");
        return s;
    }

    private static List<Recommendation> out(KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation> h) {
        return h.extractOutputValues();
    }

    private static Recommendation last(KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation> h) {
        List<Recommendation> o = out(h);
        return o.get(o.size() - 1);
    }

    private static List<String> ids(Recommendation r) {
        return List.of(r.productIds);
    }

    private static String reasonOf(Recommendation r, String product) {
        return r.reasons[ids(r).indexOf(product)];
    }

    @Test
    void neighboursOfWhatTheShopperViewsAreRecommendedButNotTheViewedProduct() throws Exception {
        try (var h = settled()) {
            h.processElement1(view(1, 0, "A", "B", "C", "A"), 0);
            Recommendation r = last(h);
            assertEquals(List.of("B", "C"), ids(r));
            assertEquals("also_viewed", reasonOf(r, "B"));
            assertTrue(r.personalized);
            assertEquals("e1", r.causeEventId);
            assertEquals("view_item", r.causeEventType);
            assertTrue(r.generatedAt > 0);
        }
    }

    @Test
    void theSameEventsGiveTheSameListsWhateverOrderTheyArriveIn() throws Exception {
        List<CustomerStep> inOrder = new ArrayList<>();
        inOrder.add(view(1, 0, "A", "B", "C"));
        inOrder.add(view(2, 60_000, "B", "D", "A"));
        CustomerStep cart = withBoughtTogether(step(3, EventType.ADD_TO_CART, 120_000, "D", "shoes"), "E");
        inOrder.add(cart);
        CustomerStep part0 = step(4, EventType.PURCHASE, 180_000, "D", "shoes");
        part0.parts = 2;
        CustomerStep part1 = withBoughtTogether(step(4, EventType.PURCHASE, 180_000, "E", "shoes"), "F");
        part1.parts = 2;
        part1.part = 1;
        inOrder.add(part0);
        inOrder.add(part1);
        inOrder.add(view(5, 240_000, "F", "G"));

        List<String> expected = run(inOrder);
        assertEquals(5, expected.size(), "one list per event; the two purchase parts make one event");
        List<CustomerStep> shuffled = List.of(inOrder.get(5), inOrder.get(2), inOrder.get(4), inOrder.get(0), inOrder.get(3), inOrder.get(1));
        assertEquals(expected, run(shuffled));
    }

    private static List<String> run(List<CustomerStep> steps) throws Exception {
        try (var h = settled()) {
            for (CustomerStep s : steps) {
                h.processElement1(copy(s), s.eventTime);
            }
            return out(h).stream().map(r -> r.causeEventId + " " + ids(r) + " " + List.of(r.reasons) + " "
                    + Arrays.toString(r.scores) + " " + r.evaluated + "/" + r.hit).collect(Collectors.toList());
        }
    }

    private static CustomerStep copy(CustomerStep s) {
        CustomerStep c = step(s.seq, s.eventType, s.eventTime, s.productId, s.category);
        c.part = s.part;
        c.parts = s.parts;
        c.alsoViewed = s.alsoViewed;
        c.alsoViewedScores = s.alsoViewedScores;
        c.alsoViewedCategories = s.alsoViewedCategories;
        c.boughtTogether = s.boughtTogether;
        c.boughtTogetherScores = s.boughtTogetherScores;
        c.boughtTogetherCategories = s.boughtTogetherCategories;
        return c;
    }

    @Test
    void boughtProductsAndCartContentsAreFilteredOutExceptWhereTheyBelong() throws Exception {
        try (var h = settled()) {
            h.processElement1(step(1, EventType.ADD_TO_CART, 0, "CART", "shoes"), 0);
            h.processElement1(step(2, EventType.PURCHASE, 1, "BOUGHT", "electronics.phone"), 1);
            CustomerStep v = withBoughtTogether(view(3, 2, "X", "CART", "BOUGHT", "OTHER"), "CART");
            h.processElement1(v, 2);
            Recommendation r = last(h);
            assertFalse(ids(r).contains("BOUGHT"), "bought, and phones are not bought again");
            assertTrue(ids(r).contains("CART"), "in the cart: the shopper's own product, and it goes with X");
            assertEquals("recently_viewed", reasonOf(r, "CART"), "the shopper's own interest gives it the most");
            assertTrue(ids(r).contains("OTHER"));
        }
    }

    @Test
    void aBoughtProductComesBackOnlyAfterTheShopperViewsItAgain() throws Exception {
        try (var h = settled()) {
            h.processElement1(view(1, 0, "PHONE"), 0);
            h.processElement1(step(2, EventType.PURCHASE, 1, "PHONE", "shoes"), 1);
            h.processElement1(view(3, 2, "Y"), 2);
            assertFalse(ids(last(h)).contains("PHONE"), "bought, and viewed only before the purchase");
            h.processElement1(view(4, 3, "PHONE"), 3);
            h.processElement1(view(5, 4, "Z"), 4);
            Recommendation r = last(h);
            assertTrue(ids(r).contains("PHONE"), "viewed again after buying it");
            assertEquals("recently_viewed", reasonOf(r, "PHONE"));
        }
    }

    @Test
    void aCartLineTheShopperNeverTouchedHereIsNotRecommendedAsAlsoViewed() throws Exception {
        try (var h = settled()) {
            CustomerStep cartPage = step(1, EventType.VIEW_CART, 0, null, null);
            cartPage.itemIds = new String[] {"LINE"}; // carted on another device: the storefront's cart is the truth
            h.processElement1(cartPage, 0);
            h.processElement1(view(2, 1, "X", "LINE", "OTHER"), 1);
            Recommendation r = last(h);
            assertFalse(ids(r).contains("LINE"), "in the cart, and only others' views name it");
            assertTrue(ids(r).contains("OTHER"));
        }
    }

    @Test
    void repeatPurchaseCategoriesAreRecommendedAgain() throws Exception {
        try (var h = settled()) {
            h.processElement1(step(1, EventType.PURCHASE, 0, "SHAMPOO", "beauty.hair"), 0);
            h.processElement1(step(2, EventType.PURCHASE, 1, "PHONE", "electronics.phone"), 1);
            h.processElement1(view(3, 2, "X"), 2);
            Recommendation r = last(h);
            assertEquals("buy_again", reasonOf(r, "SHAMPOO"));
            assertFalse(ids(r).contains("PHONE"));
        }
    }

    @Test
    void outOfStockProductsAreNeverRecommended() throws Exception {
        try (var h = settled()) {
            h.processElement2(ContextUpdate.stock("B", false), 0);
            h.processElement1(view(1, 0, "A", "B", "C"), 0);
            assertEquals(List.of("C"), ids(last(h)));
            h.processElement2(ContextUpdate.stock("B", true), 1);
            h.processElement1(view(2, 1, "A", "B", "C"), 1);
            assertTrue(ids(last(h)).contains("B"), "back in stock");
        }
    }

    @Test
    void noCategoryFillsMoreThanItsShare() throws Exception {
        try (var h = settled("--max-per-category", "2")) {
            h.processElement1(view(1, 0, "A", "B", "C", "D", "E"), 0);
            assertEquals(List.of("B", "C"), ids(last(h)));
        }
    }

    @Test
    void aNewShopperGetsTrendingInTheCategoryTheyLookAt() throws Exception {
        try (var h = settled()) {
            h.processElement2(ContextUpdate.trending("shoes", new String[] {"T1", "T2"}, new double[] {5, 3}, 0), 0);
            h.processElement2(ContextUpdate.trending(TrendingSignal.OVERALL, new String[] {"Y1", "T1"}, new double[] {9, 5}, 0), 0);
            CustomerStep first = view(1, 0, "A");
            h.processElement1(first, 0);
            Recommendation r = last(h);
            assertEquals(List.of("T1", "T2", "Y1"), ids(r), "the category's trending first, then trending overall as filler");
            assertTrue(Arrays.stream(r.reasons).allMatch("trending"::equals));
            assertFalse(r.personalized, "trending only is not personal");
        }
    }

    @Test
    void aShopperWithoutConsentGetsOnlyPopularProductsAndLosesTheProfile() throws Exception {
        try (var h = settled()) {
            h.processElement2(ContextUpdate.trending(TrendingSignal.OVERALL, new String[] {"Y1"}, new double[] {9}, 0), 0);
            h.processElement1(view(1, 0, "A", "B"), 0);
            assertTrue(ids(last(h)).contains("B"));
            CustomerStep optedOut = view(2, 1, "C", "D");
            optedOut.consentPersonalization = false;
            h.processElement1(optedOut, 1);
            assertEquals(List.of("Y1"), ids(last(h)));
            assertFalse(last(h).personalized);
            h.processElement1(view(3, 2, "E"), 2);
            assertFalse(ids(last(h)).contains("B"), "the profile built before the opt-out is gone");
        }
    }

    @Test
    void olderInterestFadesBehindNewerInterest() throws Exception {
        try (var h = settled()) {
            h.processElement1(view(1, 0, "A", "OLD"), 0);
            h.processElement1(view(2, 2 * DAY, "B", "NEW"), 2 * DAY);
            Recommendation r = last(h);
            int fresh = ids(r).indexOf("NEW");
            assertTrue(fresh >= 0 && fresh < ids(r).indexOf("OLD"), ids(r).toString());
            assertTrue(r.scores[fresh] > r.scores[ids(r).indexOf("OLD")] * 3, Arrays.toString(r.scores));
        }
    }

    @Test
    void hitRateFollowsTheProtocol() throws Exception {
        try (var h = settled()) {
            h.processElement1(view(1, 0, "A", "B", "C"), 0);
            assertFalse(last(h).evaluated, "no list had been shown yet");
            h.processElement1(view(2, 1, "B", "D"), 1);
            assertTrue(last(h).evaluated);
            assertTrue(last(h).hit, "B was in the list shown");
            h.processElement1(view(3, 2, "B"), 2);
            assertFalse(last(h).evaluated, "the same product again does not count");
            h.processElement1(view(4, 3, "Z"), 3);
            assertTrue(last(h).evaluated);
            assertFalse(last(h).hit);
            CustomerStep search = step(5, EventType.SEARCH, 4, null, null);
            h.processElement1(search, 4);
            assertFalse(last(h).evaluated, "an event without a product does not count");
        }
    }

    @Test
    void whenStageOneRestartsItsNumberingTheProfileCarriesOn() throws Exception {
        try (var h = settled()) {
            CustomerStep a = view(1, 0, "A", "B");
            a.epoch = 100;
            h.processElement1(a, 0);
            CustomerStep held = view(3, 2, "C");
            held.epoch = 100;
            h.processElement1(held, 2);
            assertEquals(1, out(h).size(), "3 waits for 2");
            CustomerStep restarted = view(1, 5, "D", "E");
            restarted.epoch = 200;
            h.processElement1(restarted, 5);
            assertEquals(2, out(h).size(), "a new epoch starts at 1 again");
            assertTrue(ids(last(h)).contains("B"), "what was learnt before is kept");
            CustomerStep stale = view(2, 1, "late");
            stale.epoch = 100;
            h.processElement1(stale, 1);
            assertEquals(2, out(h).size(), "steps of the old epoch are ignored");
        }
    }

    // ---- the broadcast trending state is bounded -------------------------------------------

    private static final long HOUR = 3_600_000L;

    private static void trending(KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation> h,
                                 String category, String product, long asOf) throws Exception {
        h.processElement2(ContextUpdate.trending(category, new String[] {product}, new double[] {1}, asOf), asOf);
    }

    private static List<String> trendingCategories(CustomerListsOperator op) throws Exception {
        List<String> categories = new ArrayList<>();
        op.getOperatorStateBackend().getBroadcastState(CustomerListsOperator.TRENDING).immutableEntries()
                .forEach(e -> categories.add(e.getKey()));
        categories.sort(null);
        return categories;
    }

    private static CustomerStep viewIn(long seq, long time, String category, boolean consent) {
        CustomerStep s = step(seq, EventType.VIEW_ITEM, time, "X" + seq, category);
        s.consentPersonalization = consent;
        return s;
    }

    @Test
    void atMostTheCapOfCategoriesIsKeptAndTheStalestGoesFirst() throws Exception {
        CustomerListsOperator op = new CustomerListsOperator(RecommendationsConfig.fromArgs("--max-trending-categories", "3"));
        try (var h = settled(op)) {
            trending(h, TrendingSignal.OVERALL, "PO", 0);
            trending(h, "c1", "P1", HOUR);
            trending(h, "c2", "P2", 3 * HOUR);
            trending(h, "c3", "P3", 2 * HOUR);
            assertEquals(List.of(TrendingSignal.OVERALL, "c1", "c2", "c3"), trendingCategories(op), "the overall list takes no category's place");
            trending(h, "c4", "P4", 4 * HOUR);
            assertEquals(List.of(TrendingSignal.OVERALL, "c2", "c3", "c4"), trendingCategories(op), "c1 had the oldest list");
            trending(h, "c5", "P5", 5 * HOUR);
            assertEquals(List.of(TrendingSignal.OVERALL, "c2", "c4", "c5"), trendingCategories(op), "then c3");
            trending(h, "c2", "P2b", 6 * HOUR);
            assertEquals(List.of(TrendingSignal.OVERALL, "c2", "c4", "c5"), trendingCategories(op), "a known category's new list takes no new place");
            trending(h, "b", "PB", 4 * HOUR);
            assertEquals(List.of(TrendingSignal.OVERALL, "c2", "c4", "c5"), trendingCategories(op),
                    "as old as c4's: the name decides, the same on every instance");
            for (int i = 0; i < 100; i++) {
                trending(h, "junk-" + i, "J" + i, HOUR);
            }
            assertEquals(List.of(TrendingSignal.OVERALL, "c2", "c4", "c5"), trendingCategories(op),
                    "many old category strings cannot push out fresh lists");
            assertEquals(103, op.trendingCategoriesEvicted());

            h.processElement1(viewIn(1, 6 * HOUR, "c5", true), 6 * HOUR);
            assertEquals("P5", last(h).productIds[0], "the category's trending still comes out");
            h.processElement1(viewIn(2, 6 * HOUR, "c1", false), 6 * HOUR);
            assertEquals(List.of("PO"), ids(last(h)), "overall trending is its own list");
        }
    }

    @Test
    void aCategoryWhoseListFallsFarBehindTheNewestIsDropped() throws Exception {
        CustomerListsOperator op = new CustomerListsOperator(RecommendationsConfig.fromArgs());
        // 24 half-lives of 1 h, plus the day of clock skew the parser lets through.
        long staleAfter = 48 * HOUR;
        try (var h = settled(op)) {
            trending(h, "toys", "Y1", 0);
            trending(h, "shoes", "T1", 0);
            trending(h, TrendingSignal.OVERALL, "T1", 0);
            h.processElement1(viewIn(1, 0, "toys", true), 0);
            assertEquals(List.of("Y1", "T1"), ids(last(h)), "the category's list, then overall");

            trending(h, "shoes", "T2", staleAfter);
            assertEquals(List.of(TrendingSignal.OVERALL, "shoes", "toys"), trendingCategories(op), "exactly that far behind is kept");
            trending(h, "shoes", "T3", staleAfter + 1);
            assertEquals(List.of(TrendingSignal.OVERALL, "shoes"), trendingCategories(op), "toys fell too far behind; the overall list is never cut");
            assertEquals(1, op.trendingCategoriesExpired());
            assertEquals(0, op.trendingCategoriesEvicted());

            h.processElement1(viewIn(2, staleAfter + 1, "toys", false), staleAfter + 1);
            assertEquals(List.of("T1"), ids(last(h)), "toys has no list left, and lists still come out");
        }
    }
}
