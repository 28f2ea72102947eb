package dev.rtpe.simulator;

import java.time.Duration;

import dev.rtpe.common.Flags;

/**
 * The shopper behaviour the simulator reproduces, with its defaults. They follow published
 * e-commerce averages: about 9% of sessions with a product view add to cart, and about 70% of carts
 * are abandoned (the Baymard Institute's average over studies).
 */
public final class SimulationModel {
    /** Average valid events per second of simulated time. */
    public double eventsPerSecond = 20;
    /** Known customers; they come back in several sessions, some far more often than others. */
    public int customers = 2000;
    /**
     * The catalog's shape. By default like a real marketplace: many leaf categories in a
     * {@code top.mid.leaf} hierarchy, a long tail of category popularity, and some products without
     * a category. {@link #useSmallCatalog()} gives the 12-category demo catalog instead.
     */
    public boolean smallCatalog = false;
    /** Leaf categories (not counting the uncategorized products). */
    public int categories = 1_000;
    /** Products in all, with and without a category. */
    public int products = 100_000;
    /** Popularity of categories: the k-th most popular is visited in proportion to 1/k^s. */
    public double categoryZipfExponent = 1.0;
    /** Products without a category; their events carry none. */
    public double uncategorizedShare = 0.05;
    /** Popularity of products within a category: rank k is viewed in proportion to 1/k^s. */
    public double productZipfExponent = 1.1;
    /** How unevenly sessions spread over customers (returning customers). */
    public double customerZipfExponent = 0.8;
    /** Sessions of visitors who are not logged in. */
    public double anonymousShare = 0.3;
    /** Sessions with a product view that add something to the cart. */
    public double cartRate = 0.09;
    /** Sessions with a cart that end in a purchase; the rest are abandoned. */
    public double purchaseRate = 0.30;
    /** Extra records that break the contract, as a share of valid events. */
    public double malformedShare = 0.005;
    /** Events sent twice, as producer retries do. */
    public double duplicateShare = 0.002;
    /** Events whose timestamp is 0.2–3 s older than their neighbours' (slightly out of order). */
    public double lateShare = 0.03;
    public Duration meanThinkTime = Duration.ofSeconds(15);
    public String currency = "USD";
    public String browseTopic = "browse-events";
    public String cartTopic = "cart-events";

    /** Products per category of the small catalog. */
    public static final int SMALL_CATALOG_PRODUCTS_PER_CATEGORY = 150;

    /**
     * The demo catalog the simulator had before the generated one: 12 hand-made categories of 150
     * products, equally popular, all categorized. The same seed gives the same records as then.
     */
    public SimulationModel useSmallCatalog() {
        smallCatalog = true;
        categories = Catalog.CATEGORIES.size();
        products = categories * SMALL_CATALOG_PRODUCTS_PER_CATEGORY;
        uncategorizedShare = 0;
        return this;
    }

    public static SimulationModel from(Flags f) {
        SimulationModel m = new SimulationModel();
        m.eventsPerSecond = f.decimal("rate", m.eventsPerSecond);
        m.customers = f.integer("customers", m.customers);
        m.readCatalogShape(f);
        m.anonymousShare = share(f, "anonymous-share", m.anonymousShare);
        m.cartRate = share(f, "cart-rate", m.cartRate);
        m.purchaseRate = share(f, "purchase-rate", m.purchaseRate);
        m.malformedShare = share(f, "malformed-share", m.malformedShare);
        m.duplicateShare = share(f, "duplicate-share", m.duplicateShare);
        m.lateShare = share(f, "late-share", m.lateShare);
        m.meanThinkTime = f.duration("think-time", m.meanThinkTime);
        m.currency = f.string("currency", m.currency);
        m.browseTopic = f.string("browse-topic", m.browseTopic);
        m.cartTopic = f.string("cart-topic", m.cartTopic);
        if (m.eventsPerSecond <= 0 || m.customers < 1) {
            throw new IllegalArgumentException("--rate and --customers must be positive");
        }
        return m;
    }

    /**
     * {@code --small-catalog}, or the generated catalog's {@code --categories}, {@code --products},
     * {@code --category-zipf} and {@code --uncategorized-share}. The small catalog takes only
     * {@code --products} (spread over its 12 categories): the others would silently not apply.
     */
    public void readCatalogShape(Flags f) {
        if (f.switchOn("small-catalog")) {
            useSmallCatalog();
            for (String generatedOnly : new String[] {"categories", "category-zipf", "uncategorized-share"}) {
                if (f.string(generatedOnly, null) != null) {
                    throw new IllegalArgumentException("--" + generatedOnly + " does not apply to --small-catalog");
                }
            }
        }
        categories = f.integer("categories", categories);
        products = f.integer("products", products);
        categoryZipfExponent = f.decimal("category-zipf", categoryZipfExponent);
        uncategorizedShare = share(f, "uncategorized-share", uncategorizedShare);
        int categorized = products - Catalog.uncategorizedCount(products, uncategorizedShare);
        if (categories < 1 || categorized < categories || categoryZipfExponent < 0) {
            throw new IllegalArgumentException("need --categories >= 1, --category-zipf >= 0, and at least one categorized"
                    + " product per category (--products x (1 - --uncategorized-share) >= --categories), got " + categories
                    + " categories and " + categorized + " categorized products");
        }
    }

    private static double share(Flags f, String name, double defaultValue) {
        double v = f.decimal(name, defaultValue);
        if (v < 0 || v > 1) {
            throw new IllegalArgumentException("--" + name + " must be between 0 and 1, got " + v);
        }
        return v;
    }
}
