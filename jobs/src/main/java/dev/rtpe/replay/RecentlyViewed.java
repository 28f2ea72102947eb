package dev.rtpe.replay;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each shopper's own last {@code capacity} distinct products, latest first. */
final class RecentlyViewed implements Baseline {
    private final int capacity;
    private final Map<String, List<String>> recent = new HashMap<>();

    RecentlyViewed(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public List<String> top(String shopper, int k) {
        List<String> products = recent.getOrDefault(shopper, List.of());
        return List.copyOf(products.subList(0, Math.min(k, products.size())));
    }

    @Override
    public void learn(String shopper, List<String> products) {
        for (String p : products) {
            touch(recent.computeIfAbsent(shopper, s -> new ArrayList<>(capacity + 1)), p);
        }
    }

    /** The product moves to the front; the oldest one drops out past the capacity. */
    private void touch(List<String> products, String product) {
        products.remove(product);
        products.add(0, product);
        if (products.size() > capacity) {
            products.remove(capacity);
        }
    }
}
