package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How one event part changes a shopper's profile. */
final class ProfileUpdates {
    private ProfileUpdates() {}

    static void apply(CustomerProfile p, CustomerStep s, RecommendationsConfig cfg) {
        long interest = cfg.interestHalfLife.toMillis();
        double weight = cfg.weightOf(s.eventType);
        switch (s.eventType) {
            case VIEW_ITEM:
            case ADD_TO_WISHLIST:
                String[][] viewed = pushFront(p.recentlyViewed, p.recentlyViewedCategories, s.productId, s.category, cfg.recentlyViewedItems);
                p.recentlyViewed = viewed[0];
                p.recentlyViewedCategories = viewed[1];
                break;
            case ADD_TO_CART:
                if (!ListBuilder.contains(p.cart, s.productId)) {
                    p.cart = append(p.cart, s.productId);
                }
                break;
            case REMOVE_FROM_CART:
                p.cart = without(p.cart, s.productId);
                break;
            case VIEW_CART:
            case BEGIN_CHECKOUT:
                if (s.itemIds != null) {
                    p.cart = s.itemIds.clone(); // the storefront's cart is the truth
                }
                break;
            case PURCHASE:
                String[][] bought = pushFront(p.purchased, p.purchasedCategories, s.productId, s.category,
                        CustomerListsOperator.MAX_PURCHASES_KEPT);
                p.purchased = bought[0];
                p.purchasedCategories = bought[1];
                p.cart = without(p.cart, s.productId);
                forgetViewed(p, s.productId); // bought: recently viewed again only after a new view
                break;
            default:
                break;
        }
        if (touchesProduct(s)) {
            p.ownProducts.add(s.productId, s.category, weight, s.eventTime, interest, ownProductsCapacity(cfg));
        }
        if (s.category != null && s.productId != null) {
            p.categories.add(s.category, null, weight, s.eventTime, interest, cfg.recentItems);
        }
        addNeighbours(p.alsoViewed, s.alsoViewed, s.alsoViewedScores, s.alsoViewedCategories, weight, s.eventTime, interest, cfg.poolCapacity);
        addNeighbours(p.boughtTogether, s.boughtTogether, s.boughtTogetherScores, s.boughtTogetherCategories, weight, s.eventTime,
                interest, cfg.poolCapacity);
    }

    /** The shopper's own products kept: twice the recently viewed, so an old favourite outlasts a burst of new views. */
    static int ownProductsCapacity(RecommendationsConfig cfg) {
        return 2 * cfg.recentlyViewedItems;
    }

    /**
     * A view, wish-list add, add to cart or order line: the shopper's own interest in one product,
     * and what the hit-rate protocol scores.
     */
    static boolean touchesProduct(CustomerStep s) {
        switch (s.eventType) {
            case VIEW_ITEM:
            case ADD_TO_WISHLIST:
            case ADD_TO_CART:
            case PURCHASE:
                return s.productId != null;
            default:
                return false;
        }
    }

    /** The neighbours of what the shopper touched become candidates, scaled by the event's weight. */
    private static void addNeighbours(DecayingTopK pool, String[] ids, double[] scores, String[] categories, double weight,
                                      long time, long halfLife, int capacity) {
        if (ids == null || ids.length == 0) {
            return;
        }
        double max = Arrays.stream(scores).max().getAsDouble();
        for (int i = 0; i < ids.length; i++) {
            if (max > 0) {
                pool.add(ids[i], categories[i], weight * scores[i] / max, time, halfLife, capacity);
            }
        }
    }

    /** Puts a product first, without repeating it, keeping at most {@code limit}. Returns {products, categories}. */
    static String[][] pushFront(String[] products, String[] categories, String product, String category, int limit) {
        List<String> p = new ArrayList<>(List.of(product));
        List<String> c = new ArrayList<>();
        c.add(category);
        for (int i = 0; i < products.length && p.size() < limit; i++) {
            if (!products[i].equals(product)) {
                p.add(products[i]);
                c.add(categories[i]);
            }
        }
        return new String[][] {p.toArray(new String[0]), c.toArray(new String[0])};
    }

    private static void forgetViewed(CustomerProfile p, String productId) {
        int i = Arrays.asList(p.recentlyViewed).indexOf(productId);
        if (i >= 0) {
            List<String> products = new ArrayList<>(Arrays.asList(p.recentlyViewed));
            List<String> categories = new ArrayList<>(Arrays.asList(p.recentlyViewedCategories));
            products.remove(i);
            categories.remove(i);
            p.recentlyViewed = products.toArray(new String[0]);
            p.recentlyViewedCategories = categories.toArray(new String[0]);
        }
    }

    private static String[] append(String[] a, String s) {
        String[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    private static String[] without(String[] a, String s) {
        return Arrays.stream(a).filter(x -> !x.equals(s)).toArray(String[]::new);
    }
}
