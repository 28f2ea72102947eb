package dev.rtpe.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The list rules where the data has gaps (products without a category), and how the sources weigh. Plain Java, no Flink. */
class ListBuilderTest {
    private static final long HOUR = 3_600_000L;

    /** No trending and nothing out of stock, unless a test adds an overall trending list. */
    private static ListBuilder.Context context(ContextUpdate overall) {
        return overall == null ? contextWith(Map.of()) : contextWith(Map.of(TrendingSignal.OVERALL, overall));
    }

    /** The given trending lists by category, nothing out of stock. */
    private static ListBuilder.Context contextWith(Map<String, ContextUpdate> trending) {
        return new ListBuilder.Context() {
            @Override
            public ContextUpdate trending(String category) {
                return trending.get(category);
            }

            @Override
            public boolean outOfStock(String productId) {
                return false;
            }
        };
    }

    /** A shopper whose "also viewed" candidates are {@code products}, with the given categories (null: none). */
    private static CustomerProfile profileWith(String[] products, String[] categories) {
        CustomerProfile p = new CustomerProfile();
        for (int i = 0; i < products.length; i++) {
            p.alsoViewed.add(products[i], categories[i], products.length - i, 0, HOUR, 100);
        }
        return p;
    }

    private static List<ListBuilder.Item> personal(CustomerProfile p, ContextUpdate global) {
        return ListBuilder.personal(p, Set.of(), null, 0, context(global), RecommendationsConfig.fromArgs());
    }

    private static String[] ids(String prefix, int n) {
        String[] ids = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = prefix + i;
        }
        return ids;
    }

    @Test
    void productsWithoutACategoryAreNotCappedTogether() {
        String[] products = ids("P", 12);
        List<ListBuilder.Item> list = personal(profileWith(products, new String[12]), null);
        assertThat(list).extracting(ListBuilder.Item::productId).containsExactly(List.of(products).subList(0, 10).toArray(String[]::new));
        assertThat(list).extracting(ListBuilder.Item::category).containsOnlyNulls();
    }

    @Test
    void theCapStillHoldsForKnownCategoriesBesideUncategorisedProducts() {
        String[] products = ids("P", 12);
        String[] categories = new String[12];
        for (int i = 0; i < 6; i++) {
            categories[i] = i % 2 == 0 ? "shoes.running" : "shoes.trail"; // one top-level category
        }
        List<ListBuilder.Item> list = ListBuilder.personal(profileWith(products, categories), Set.of(), null, 0, context(null),
                RecommendationsConfig.fromArgs("--max-per-category", "4"));
        assertThat(list).hasSize(10);
        assertThat(list.stream().filter(i -> i.category() != null)).hasSize(4);
        assertThat(list.stream().filter(i -> i.category() == null)).hasSize(6);
    }

    @Test
    void byDefaultNoCategoryIsCapped() {
        String[] products = ids("P", 12);
        String[] categories = new String[12];
        java.util.Arrays.fill(categories, "shoes.running");
        assertThat(personal(profileWith(products, categories), null)).hasSize(10);
    }

    @Test
    void whatTheShopperKeepsComingBackToRanksAboveALaterGlance() {
        CustomerProfile p = new CustomerProfile();
        for (long t = 0; t < 3; t++) {
            p.ownProducts.add("FAVOURITE", "shoes", 1, t, HOUR, 20);
        }
        p.ownProducts.add("GLANCE", "shoes", 1, 3, HOUR, 20);
        p.recentlyViewed = new String[] {"GLANCE", "FAVOURITE"};
        p.recentlyViewedCategories = new String[] {"shoes", "shoes"};
        List<ListBuilder.Item> list = personal(p, null);
        assertThat(list).extracting(ListBuilder.Item::productId).containsExactly("FAVOURITE", "GLANCE");
        assertThat(list).extracting(ListBuilder.Item::reason).containsOnly(ListBuilder.RECENTLY_VIEWED);
    }

    @Test
    void onAPageWithoutACategoryTrendingFollowsTheLastViewedProductsCategory() {
        CustomerProfile p = new CustomerProfile();
        p.recentlyViewed = new String[] {"S"};
        p.recentlyViewedCategories = new String[] {"shoes"};
        ContextUpdate shoes = ContextUpdate.trending("shoes", new String[] {"T1", "T2"}, new double[] {50, 30}, new String[] {"shoes", "shoes"}, 0, 0);
        ContextUpdate overall = ContextUpdate.trending(TrendingSignal.OVERALL, new String[] {"Y1"}, new double[] {90}, new String[] {"toys"}, 0, 0);
        ListBuilder.Context ctx = contextWith(Map.of("shoes", shoes, TrendingSignal.OVERALL, overall));
        List<ListBuilder.Item> list = ListBuilder.personal(p, Set.of(), null, 0, ctx, RecommendationsConfig.fromArgs());
        assertThat(list).extracting(ListBuilder.Item::productId).containsSubsequence("T1", "T2", "Y1");
        assertThat(ListBuilder.browsingCategory(p, null)).isEqualTo("shoes");
        assertThat(ListBuilder.browsingCategory(p, "toys")).isEqualTo("toys");
    }

    @Test
    void aTrendingListWithLittleEvidenceCountsLessThanAWellFoundedOne() {
        CustomerProfile p = new CustomerProfile();
        p.recentlyViewed = new String[] {"S"};
        p.recentlyViewedCategories = new String[] {"thin"};
        p.categories.add("busy", null, 1, 0, HOUR, 5);
        ContextUpdate thin = ContextUpdate.trending("thin", new String[] {"FEW"}, new double[] {2}, new String[] {"thin"}, 0, 0);
        ContextUpdate busy = ContextUpdate.trending("busy", new String[] {"MANY"}, new double[] {1000}, new String[] {"busy"}, 0, 0);
        ListBuilder.Context ctx = contextWith(Map.of("thin", thin, "busy", busy));
        List<ListBuilder.Item> list = ListBuilder.personal(p, Set.of("S"), null, 0, ctx, RecommendationsConfig.fromArgs());
        // Both are the whole of their lists; 2 views are weak evidence even in the category being browsed.
        assertThat(list).extracting(ListBuilder.Item::productId).containsExactly("MANY", "FEW");
    }

    @Test
    void trendingWithoutACategoryFillsTheListAndNamesNoCategory() {
        String[] products = ids("T", 20);
        double[] scores = new double[20];
        for (int i = 0; i < 20; i++) {
            scores[i] = 20 - i;
        }
        ContextUpdate overall = ContextUpdate.trending(TrendingSignal.OVERALL, products, scores, new String[20], 0, 0);
        List<ListBuilder.Item> list = personal(new CustomerProfile(), overall);
        assertThat(list).hasSize(10);
        assertThat(list).extracting(ListBuilder.Item::category).containsOnlyNulls();
    }
}
