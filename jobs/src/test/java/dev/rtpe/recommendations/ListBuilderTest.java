package dev.rtpe.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The list rules where the data has gaps: products without a category. Plain Java, no Flink. */
class ListBuilderTest {
    private static final long HOUR = 3_600_000L;

    /** No trending and nothing out of stock, unless a test adds an overall trending list. */
    private static ListBuilder.Context context(ContextUpdate overall) {
        return new ListBuilder.Context() {
            @Override
            public ContextUpdate trending(String category) {
                return category.equals(TrendingSignal.OVERALL) ? overall : null;
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
        List<ListBuilder.Item> list = personal(profileWith(products, categories), null);
        assertThat(list).hasSize(10);
        assertThat(list.stream().filter(i -> i.category() != null)).hasSize(4); // --max-per-category 4
        assertThat(list.stream().filter(i -> i.category() == null)).hasSize(6);
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
