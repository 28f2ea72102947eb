package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

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

    /** The oldest list first; lists as old go by category name, so every instance picks the same. */
    static final Comparator<ContextUpdate> STALEST_FIRST =
            Comparator.<ContextUpdate>comparingLong(u -> u.asOf).thenComparing(u -> u.category);

    /** What to remove: stale categories, then the stalest beyond the cap (the overall list is not counted). */
    record Cut(List<String> expired, List<String> evicted) {
        boolean isEmpty() {
            return expired.isEmpty() && evicted.isEmpty();
        }
    }

    static Cut cut(Iterable<Map.Entry<String, ContextUpdate>> lists, int maxCategories, long staleAfterMillis) {
        long newest = Long.MIN_VALUE;
        for (Map.Entry<String, ContextUpdate> e : lists) {
            newest = Math.max(newest, e.getValue().asOf);
        }
        List<String> expired = new ArrayList<>();
        List<ContextUpdate> kept = new ArrayList<>();
        for (Map.Entry<String, ContextUpdate> e : lists) {
            if (isStale(e.getValue().asOf, newest, staleAfterMillis)) {
                expired.add(e.getKey());
            } else if (!e.getKey().equals(TrendingSignal.OVERALL)) { // one list, and not a category: never capped
                kept.add(e.getValue());
            }
        }
        List<String> evicted = new ArrayList<>();
        if (kept.size() > maxCategories) {
            kept.sort(STALEST_FIRST);
            for (ContextUpdate u : kept.subList(0, kept.size() - maxCategories)) {
                evicted.add(u.category);
            }
        }
        return new Cut(expired, evicted);
    }
}
