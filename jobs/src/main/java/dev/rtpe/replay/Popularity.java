package dev.rtpe.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Popularity so far: counts per product over all shoppers, with the top kept sorted. */
final class Popularity implements Baseline {
    /** Rank order of counted products: most counted first, then by product id. */
    static final Comparator<Map.Entry<String, Long>> RANK = Map.Entry.<String, Long>comparingByValue().reversed()
            .thenComparing(Map.Entry.comparingByKey());

    private final Map<String, Long> counts = new HashMap<>();
    private final TreeSet<Map.Entry<String, Long>> ranked = new TreeSet<>(RANK);

    /** The same list for every shopper. */
    @Override
    public List<String> top(String shopper, int k) {
        return top(k);
    }

    @Override
    public void learn(String shopper, List<String> products) {
        products.forEach(this::add);
    }

    void add(String product) {
        long before = counts.getOrDefault(product, 0L);
        if (before > 0) {
            ranked.remove(Map.entry(product, before));
        }
        counts.put(product, before + 1);
        ranked.add(Map.entry(product, before + 1));
    }

    List<String> top(int k) {
        List<String> top = new ArrayList<>(k);
        Iterator<Map.Entry<String, Long>> it = ranked.iterator();
        while (top.size() < k && it.hasNext()) {
            top.add(it.next().getKey());
        }
        return top;
    }
}
