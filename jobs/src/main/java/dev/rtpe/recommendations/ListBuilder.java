package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a shopper's top-N list from candidate sources, applies the rules, and ranks. Pure: the same
 * profile and context give the same list, ties broken by product id.
 *
 * <p>Each source gives each entry its share of the source's total, times the source's weight: the
 * shopper's own products 2.0 (plus 0.1 by recency among the last viewed), trending in the category
 * being browsed 1.5, also viewed 0.5, bought together 0.2, buy again 0.6, trending in the shopper's
 * other categories 0.3, trending overall 0.1 (a filler). Shares, not scaling by the best entry, so a
 * source's weak evidence stays weak. A product's score is the sum over the sources that name it;
 * its reason is the source that gave the most. The order of the weights is what the public datasets
 * say (docs/storefronts.md, "Evaluate"): shoppers go back to what they keep looking at, and stay in
 * the category they browse, more often than they follow co-occurrence.
 */
final class ListBuilder {
    /** The shopper's own products, by share of their decayed interest (what they keep coming back to). */
    static final double W_OWN = 2.0;
    /** A small bonus by recency rank among the last viewed, so the latest of equal interests comes first. */
    static final double W_RECENT = 0.1;
    static final double W_ALSO_VIEWED = 0.5;
    static final double W_BOUGHT_TOGETHER = 0.2;
    static final double W_BUY_AGAIN = 0.6;
    /** Trending in the category the shopper is browsing now: where most next steps go. */
    static final double W_TRENDING_BROWSING = 1.5;
    static final double W_TRENDING_CATEGORY = 0.3;
    static final double W_TRENDING_GLOBAL = 0.1;
    /**
     * Evidence a trending list needs before its shares count in full, in event weights (a view is
     * 1): a product with 2 of a category's 3 views is not yet two thirds of anything.
     */
    static final double TRENDING_PRIOR_WEIGHT = 20;
    /** The shopper's top categories that trending candidates come from. */
    static final int TRENDING_CATEGORIES = 3;
    /**
     * Entries taken from each source: twice the list size, so the rules and the diversity cap still
     * leave enough. More only costs time: a source's 21st entry cannot beat its 20 better ones.
     */
    static int perSource(RecommendationsConfig cfg) {
        return 2 * cfg.topN;
    }

    static final String ALSO_VIEWED = "also_viewed";
    static final String BOUGHT_TOGETHER = "bought_together";
    static final String TRENDING = "trending";
    static final String RECENTLY_VIEWED = "recently_viewed";
    static final String BUY_AGAIN = "buy_again";

    private ListBuilder() {}

    /** One list entry. */
    record Item(String productId, double score, String reason, String category) {}

    /** What the shopper's list may draw on beyond the shopper: trending products and stock. */
    interface Context {
        /** A category's trending products, or null; {@link TrendingSignal#OVERALL} gives the overall list. */
        ContextUpdate trending(String category);

        boolean outOfStock(String productId);
    }

    /** The list for a shopper who allows personalisation. */
    static List<Item> personal(CustomerProfile p, Set<String> current, String eventCategory, long time, Context ctx,
                               RecommendationsConfig cfg) {
        Candidates c = new Candidates(p, current, ctx);
        long interest = cfg.interestHalfLife.toMillis();
        c.addShares(p.alsoViewed.top(perSource(cfg), time, interest), W_ALSO_VIEWED, ALSO_VIEWED);
        c.addShares(p.boughtTogether.top(perSource(cfg), time, interest), W_BOUGHT_TOGETHER, BOUGHT_TOGETHER);
        c.addShares(p.ownProducts.top(perSource(cfg), time, interest), W_OWN, RECENTLY_VIEWED);
        c.addRanked(p.recentlyViewed, p.recentlyViewedCategories, W_RECENT, RECENTLY_VIEWED, cat -> true);
        c.addRanked(p.purchased, p.purchasedCategories, W_BUY_AGAIN, BUY_AGAIN, cat -> isRepeatPurchase(cat, cfg));
        List<String> categories = new ArrayList<>();
        p.categories.top(TRENDING_CATEGORIES, time, interest).forEach(e -> categories.add(e.key()));
        String browsing = browsingCategory(p, eventCategory);
        if (browsing != null) {
            c.addTrending(ctx.trending(browsing), W_TRENDING_BROWSING, perSource(cfg));
            categories.remove(browsing);
        }
        for (String category : categories) {
            c.addTrending(ctx.trending(category), W_TRENDING_CATEGORY, cfg.topN);
        }
        c.addTrending(ctx.trending(TrendingSignal.OVERALL), W_TRENDING_GLOBAL, perSource(cfg));
        return c.ranked(cfg.topN, cfg.maxPerCategory);
    }

    /** The event's category, or else the category of the product the shopper viewed last (a cart or list page has none). */
    static String browsingCategory(CustomerProfile p, String eventCategory) {
        if (eventCategory != null) {
            return eventCategory;
        }
        return p.recentlyViewedCategories.length > 0 ? p.recentlyViewedCategories[0] : null;
    }

    /** The list for a shopper without consent to personalisation: popular products only. */
    static List<Item> nonPersonal(Set<String> current, Context ctx, RecommendationsConfig cfg) {
        Candidates c = new Candidates(null, current, ctx);
        c.addTrending(ctx.trending(TrendingSignal.OVERALL), W_TRENDING_GLOBAL, perSource(cfg));
        return c.ranked(cfg.topN, cfg.maxPerCategory);
    }

    static boolean isRepeatPurchase(String category, RecommendationsConfig cfg) {
        return category != null && cfg.repeatPurchaseCategories.contains(RecommendationsConfig.topLevel(category));
    }

    /** One product's score over the sources that name it, and the source that gave the most. */
    private static final class Candidate {
        private final String productId;
        private double score;
        private double largest;
        private String reason;
        private String category;

        Candidate(String productId) {
            this.productId = productId;
        }

        void add(double contribution, String source, String sourceCategory) {
            score += contribution;
            if (contribution > largest) {
                largest = contribution;
                reason = source;
            }
            if (category == null) {
                category = sourceCategory;
            }
        }

        Item item() {
            return new Item(productId, score, reason, category);
        }
    }

    /** Every candidate product, after the rules. */
    private static final class Candidates {
        private final CustomerProfile profile;
        private final Set<String> current;
        private final Context ctx;
        private final Map<String, Candidate> best = new HashMap<>(256);

        Candidates(CustomerProfile profile, Set<String> current, Context ctx) {
            this.profile = profile;
            this.current = current;
            this.ctx = ctx;
        }

        /** Each entry's share of the source's total, times the source's weight. */
        void addShares(List<DecayingTopK.Entry> entries, double weight, String reason) {
            double total = entries.stream().mapToDouble(DecayingTopK.Entry::score).sum();
            for (DecayingTopK.Entry e : entries) {
                offer(e.key(), weight * e.score() / total, reason, e.label());
            }
        }

        void addRanked(String[] products, String[] categories, double weight, String reason,
                       java.util.function.Predicate<String> eligibleCategory) {
            for (int i = 0; i < products.length; i++) {
                if (eligibleCategory.test(categories[i])) {
                    offer(products[i], weight * (1 - (double) i / (products.length + 1)), reason, categories[i]);
                }
            }
        }

        void addTrending(ContextUpdate trending, double weight, int limit) {
            if (trending == null || trending.trendingProducts.length == 0) {
                return;
            }
            double evidence = TRENDING_PRIOR_WEIGHT;
            for (double score : trending.trendingScores) {
                evidence += score;
            }
            for (int i = 0; i < Math.min(limit, trending.trendingProducts.length); i++) {
                offer(trending.trendingProducts[i], weight * trending.trendingScores[i] / evidence, TRENDING, trending.itemCategory(i));
            }
        }

        private void offer(String productId, double score, String reason, String category) {
            if (!allowed(productId, reason) || !(score > 0)) {
                return;
            }
            Candidate c = best.computeIfAbsent(productId, Candidate::new);
            c.add(score, reason, category);
        }

        /** The rules: not what is on screen, not what was bought (unless buying again is normal),
         *  not what is in the cart (unless it goes with it), never out of stock. */
        private boolean allowed(String productId, String reason) {
            if (current.contains(productId) || ctx.outOfStock(productId)) {
                return false;
            }
            if (profile == null) {
                return true;
            }
            if (!reason.equals(BUY_AGAIN) && contains(profile.purchased, productId) && !viewedSinceBought(productId, reason)) {
                return false;
            }
            return reason.equals(BOUGHT_TOGETHER) || reason.equals(RECENTLY_VIEWED) || !contains(profile.cart, productId);
        }

        /**
         * A bought product the shopper came back to: a purchase takes it out of the recently viewed,
         * so being there again means a view after the purchase (to reorder, or to check it). Then
         * their own interest may show it; nothing else may.
         */
        private boolean viewedSinceBought(String productId, String reason) {
            return reason.equals(RECENTLY_VIEWED) && contains(profile.recentlyViewed, productId);
        }

        List<Item> ranked(int n, int maxPerCategory) {
            List<Item> all = new ArrayList<>(best.size());
            best.values().forEach(c -> all.add(c.item()));
            all.sort(Comparator.comparingDouble(Item::score).reversed().thenComparing(Item::productId));
            List<Item> list = new ArrayList<>(n);
            Map<String, Integer> perCategory = new HashMap<>();
            for (Item i : all) {
                if (list.size() == n) {
                    break;
                }
                if (withinCategoryCap(i, perCategory, maxPerCategory)) {
                    list.add(i);
                }
            }
            return list;
        }

        /**
         * The diversity cap counts known top-level categories only: products without a category
         * have nothing in common to cap, and on data without categories they are every candidate.
         * It leaves out what the shopper recently viewed: a shopper comparing five phones is shown them.
         */
        private static boolean withinCategoryCap(Item i, Map<String, Integer> perCategory, int maxPerCategory) {
            if (i.reason().equals(RECENTLY_VIEWED)) {
                return true; // the shopper's own recent products: their interest, not a lack of diversity
            }
            String top = RecommendationsConfig.topLevel(i.category());
            return top == null || perCategory.merge(top, 1, Integer::sum) <= maxPerCategory;
        }
    }

    static boolean contains(String[] array, String value) {
        for (String s : array) {
            if (s.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
