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
    public int productsPerCategory = 150;
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

    public static SimulationModel from(Flags f) {
        SimulationModel m = new SimulationModel();
        m.eventsPerSecond = f.decimal("rate", m.eventsPerSecond);
        m.customers = f.integer("customers", m.customers);
        m.productsPerCategory = f.integer("products-per-category", m.productsPerCategory);
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
        if (m.eventsPerSecond <= 0 || m.customers < 1 || m.productsPerCategory < 1) {
            throw new IllegalArgumentException("--rate, --customers and --products-per-category must be positive");
        }
        return m;
    }

    private static double share(Flags f, String name, double defaultValue) {
        double v = f.decimal(name, defaultValue);
        if (v < 0 || v > 1) {
            throw new IllegalArgumentException("--" + name + " must be between 0 and 1, got " + v);
        }
        return v;
    }
}
