package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.rtpe.common.EventLimits;

/**
 * Which categories' trending lists the customer stage keeps. They are in broadcast state, so every
 * instance holds (and checkpoints) all of them, and the category strings come from the input:
 * without a bound, every category ever seen would stay forever. Pure, and driven by the lists'
 * own {@code asOf} only, so every instance that sees the same updates keeps the same categories.
 */
final class TrendingCategories {
    /**
     * After 24 half-lives a list's scores are below 2^-24 (6e-8) of an equally popular fresh
     * one's: in overall trending they can only fill a list that has nothing else, and they are
     * below the 4 decimals a record's scores have. With the default 1 h half-life that is a day,
     * so a category that is only quiet overnight keeps its list.
     */
    static final int STALE_AFTER_HALF_LIVES = 24;

    private TrendingCategories() {}

    /**
     * How far a list may fall behind the newest list held before it is dropped. Plus the clock skew
     * the parser lets through: one event stamped that far ahead must not make every real category
     * look stale.
     */
    static long staleAfterMillis(RecommendationsConfig cfg) {
        return STALE_AFTER_HALF_LIVES * cfg.trendingHalfLife.toMillis() + EventLimits.DEFAULT_MAX_FUTURE_SKEW.toMillis();
    }

    static boolean isStale(long asOf, long newestAsOf, long staleAfterMillis) {
        return newestAsOf - asOf > staleAfterMillis;
    }

    /** What to remove: stale categories, then the stalest beyond the cap. */
    record Cut(List<String> expired, List<String> evicted) {}

    /**
     * The categories held, stalest first, kept up to date list by list, so that a cut costs
     * O(log categories) per category it removes and nothing otherwise. The stale ones are a prefix
     * of this order (older than the newest by more than the bound), and the cap evicts the next
     * stalest: both come off the front. A list is held until its category's next list or the cut.
     */
    static final class Held {
        /** A held list's time and category: copied out, so no later change to the list object can unsort the set. */
        private record Age(long asOf, String category) {}

        private static final Comparator<Age> AGE_STALEST_FIRST = Comparator.comparingLong(Age::asOf).thenComparing(Age::category);

        private final TreeSet<Age> stalestFirst = new TreeSet<>(AGE_STALEST_FIRST);
        private final Map<String, Age> byCategory = new HashMap<>();

        /** A category's new list replaces its old one, whatever their times (as the broadcast state does). */
        void put(ContextUpdate list) {
            Age age = new Age(list.asOf, list.category);
            Age old = byCategory.put(list.category, age);
            if (old != null) {
                stalestFirst.remove(old);
            }
            stalestFirst.add(age);
        }

        int size() {
            return byCategory.size();
        }

        /** The newest {@code asOf} held; Long.MIN_VALUE when nothing is. */
        long newestAsOf() {
            return stalestFirst.isEmpty() ? Long.MIN_VALUE : stalestFirst.last().asOf();
        }

        /**
         * Removes and returns the stale lists (more than {@code staleAfterMillis} behind the newest
         * held), then the stalest beyond {@code maxCategories}; lists as old go by category name,
         * so every instance removes the same.
         */
        Cut cut(int maxCategories, long staleAfterMillis) {
            long newest = newestAsOf();
            List<String> expired = new ArrayList<>();
            while (!stalestFirst.isEmpty() && isStale(stalestFirst.first().asOf(), newest, staleAfterMillis)) {
                expired.add(removeStalest());
            }
            List<String> evicted = new ArrayList<>();
            while (stalestFirst.size() > maxCategories) {
                evicted.add(removeStalest());
            }
            return new Cut(expired, evicted);
        }

        private String removeStalest() {
            Age stalest = stalestFirst.pollFirst();
            byCategory.remove(stalest.category());
            return stalest.category();
        }
    }
}
