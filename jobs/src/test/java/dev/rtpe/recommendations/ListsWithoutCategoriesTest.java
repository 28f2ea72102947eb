package dev.rtpe.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.ShopperEvent;
import dev.rtpe.replay.Dataset;
import dev.rtpe.replay.Formats;

/**
 * A real dataset without categories (the Diginetica fixture: views only, no category) through every
 * stage: the diversity cap must not shrink the lists, and no list may name a category.
 */
class ListsWithoutCategoriesTest {
    /** Trending overall then holds 10 products and more, even with a margin for its publishing interval (the fixture has 24). */
    private static final int PRODUCTS_SEEN_FOR_A_FULL_FILLER = 15;

    @Test
    void listsHaveTenItemsOnceTenCandidatesExistAndNameNoCategory() throws Exception {
        Path file = Path.of(getClass().getResource("/data/diginetica-train-item-views-sample.csv").toURI());
        List<ShopperEvent> events = Dataset.read(Formats.byName("diginetica"), file, 0, Duration.ofMinutes(30), b -> { }).events;
        assertThat(events).allMatch(e -> e.category == null, "the fixture has no categories");

        List<Recommendation> lists = SequentialRecommendations.replay(events);
        Map<String, Integer> productsSeenBefore = productsSeenBefore(events);

        assertThat(lists).hasSizeGreaterThan(100);
        assertThat(lists).allMatch(r -> Arrays.stream(r.categories).allMatch(Objects::isNull), "no category on any item");
        List<Recommendation> afterWarmUp = lists.stream()
                .filter(r -> productsSeenBefore.get(r.causeEventId) >= PRODUCTS_SEEN_FOR_A_FULL_FILLER).toList();
        assertThat(afterWarmUp).isNotEmpty().allMatch(r -> r.productIds.length == 10, "10 items whenever 10 candidates exist");
    }

    /** For each event, how many distinct products anyone touched before it. */
    private static Map<String, Integer> productsSeenBefore(List<ShopperEvent> events) {
        Set<String> seen = new HashSet<>();
        Map<String, Integer> before = new HashMap<>();
        for (ShopperEvent e : events) {
            before.put(e.eventId, seen.size());
            if (e.productId != null) {
                seen.add(e.productId);
            }
        }
        return before;
    }
}
