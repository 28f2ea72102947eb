package dev.rtpe.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Item-to-item co-visitation (Linden, Smith and York 2003, "Amazon.com recommendations:
 * item-to-item collaborative filtering"), counted so far.
 *
 * <p>Counts: {@code next[a][b]} is how many times any shopper touched product b (a view, wish-list
 * add, add to cart or order line: the products the hit-rate protocol counts) while a was among that
 * shopper's last {@value #WINDOW} distinct previously touched products, a ≠ b. Every touch counts,
 * a revisit too. The lines of an order are touches in their order, so an order of x and y also
 * counts x → y.
 *
 * <p>List: the shopper's last {@value #WINDOW} distinct products, latest first, get the recency
 * weights 1, 1/2, 1/3, 1/4, 1/5 (kept as the integers 60, 30, 20, 15, 12, so equal scores are
 * exactly equal); a candidate b scores the sum of weight × {@code next[a][b]} over them. Highest
 * score first, then by product id; the shopper's own products are not filtered out (a revisit is a
 * hit under the protocol). Filled up to k with popularity so far, skipping products already listed.
 *
 * <p>Memory: at most {@code neighbours} counts per product. A new b for a full a evicts a's least
 * counted b, the greatest id among equals (the last in rank order), and enters with count 1. So
 * the counts take at most products × neighbours entries, plus {@value #WINDOW} products per shopper.
 */
final class CoVisitation implements Baseline {
    static final int WINDOW = 5;
    /** 1, 1/2, …, 1/5 times 60, latest product first. */
    private static final long[] WEIGHTS = {60, 30, 20, 15, 12};

    private final int neighbours;
    private final Map<String, Map<String, Long>> next = new HashMap<>();
    private final RecentlyViewed windows = new RecentlyViewed(WINDOW);
    private final Popularity fill = new Popularity();

    CoVisitation(int neighbours) {
        this.neighbours = neighbours;
    }

    @Override
    public List<String> top(String shopper, int k) {
        return filled(ranked(scores(windows.top(shopper, WINDOW)), k), k);
    }

    /** The k best scored products: highest score first, then by product id. */
    private static List<String> ranked(Map<String, Long> scores, int k) {
        return scores.entrySet().stream().sorted(Popularity.RANK).limit(k).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(ArrayList::new));
    }

    /** The list, filled up to k with popularity so far, each product once. */
    private List<String> filled(List<String> list, int k) {
        for (String p : fill.top(k)) {
            if (list.size() < k && !list.contains(p)) {
                list.add(p);
            }
        }
        return list;
    }

    /** Weight × count, summed over the window, per product seen after one of its products. */
    private Map<String, Long> scores(List<String> window) {
        Map<String, Long> scores = new HashMap<>();
        for (int i = 0; i < window.size(); i++) {
            long weight = WEIGHTS[i];
            next.getOrDefault(window.get(i), Map.of()).forEach((b, count) -> scores.merge(b, weight * count, Long::sum));
        }
        return scores;
    }

    @Override
    public void learn(String shopper, List<String> products) {
        for (String b : products) {
            for (String a : windows.top(shopper, WINDOW)) {
                if (!a.equals(b)) {
                    count(a, b);
                }
            }
            windows.learn(shopper, List.of(b));
        }
        fill.learn(shopper, products);
    }

    private void count(String a, String b) {
        Map<String, Long> counts = next.computeIfAbsent(a, x -> new HashMap<>());
        if (!counts.containsKey(b) && counts.size() >= neighbours) {
            counts.remove(Collections.max(counts.entrySet(), Popularity.RANK).getKey());
        }
        counts.merge(b, 1L, Long::sum);
    }
}
