package dev.rtpe.recommendations;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.EventType;
import dev.rtpe.common.Flags;
import dev.rtpe.common.JobSettings;

/** Everything the recommendations job can be told; the README lists each flag and default. */
public final class RecommendationsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final JobSettings job;
    public final String eventsTopic;
    /** Empty: no catalog, so no stock filter. */
    public final String catalogTopic;
    public final String recommendationsTopic;
    public final String productRecommendationsTopic;
    /** The hit-rate evaluations with the job's watermarks, for the metrics job; empty: none written. */
    public final String evaluationsTopic;
    public final String deadLetterTopic;
    public final String groupId;
    /** Watermark alignment of the shopper-events partitions during a catch-up. */
    public final Duration maxInputDrift;
    public final Duration dedupeHorizon;
    /**
     * "arrival" (default): every event moves its shopper's list at once. "event-time": events are
     * held until the watermark passes them and taken in event-time order, so a replay gives the
     * same lists every run, at the cost of the watermark's lag (see {@link EventTimeOrder}).
     */
    public final boolean eventTimeOrder;
    /** In event-time order: the input idle this long means nothing earlier can come. */
    public final Duration orderIdleFlush;

    /** Items in a shopper's list. */
    public final int topN;
    /** Items in each related-products list of a product. */
    public final int productListSize;
    /** Neighbours kept per product and relation (heavy hitters bound). */
    public final int neighbourCapacity;
    /** Candidates kept per shopper and source. */
    public final int poolCapacity;
    /** A shopper's recent products that new ones pair with. */
    public final int recentItems;
    /** A shopper's recently viewed products kept as candidates (a source of the list). */
    public final int recentlyViewedItems;
    /** Products touched further apart than this do not pair. */
    public final Duration coOccurrenceWindow;
    public final Duration neighbourHalfLife;
    public final Duration interestHalfLife;
    public final Duration trendingHalfLife;
    /**
     * A shopper's list sees the trending lists as they were one to two of these before the event
     * (event time), so it never sees products trending after its own event, and the same input
     * gives the same lists. Above the watermark's lag behind the newest events, or shoppers wait.
     */
    public final Duration trendingDelay;
    public final int trendingSize;
    /** Categories whose trending lists the customer stage keeps at most (broadcast state, on every instance). */
    public final int maxTrendingCategories;
    public final double weightView;
    public final double weightCart;
    public final double weightPurchase;
    /** At most this many items per top-level category in a shopper's list. */
    public final int maxPerCategory;
    /** Top-level categories where buying again is normal, e.g. beauty. */
    public final List<String> repeatPurchaseCategories;
    public final Duration customerTtl;
    public final Duration productTtl;
    /** Keys whose state each stage keeps decoded on the heap, per parallel instance (see WriteBackCache). */
    public final int stateCacheEntries;
    /** A product's lists are published at most this often (event time), however often they change. */
    public final Duration productListMinInterval;

    private RecommendationsConfig(Flags f) {
        job = JobSettings.from(f);
        eventsTopic = f.string("events-topic", "shopper-events");
        catalogTopic = f.string("catalog-topic", "catalog");
        recommendationsTopic = f.string("recommendations-topic", "recommendations");
        productRecommendationsTopic = f.string("product-recommendations-topic", "product-recommendations");
        evaluationsTopic = f.string("evaluations-topic", "rec-evaluations");
        deadLetterTopic = f.string("dead-letter-topic", "dead-letter");
        groupId = f.string("group-id", "rtpe-recommendations");
        maxInputDrift = f.duration("max-input-drift", EventTime.DEFAULT_MAX_INPUT_DRIFT);
        dedupeHorizon = f.duration("dedupe-horizon", DropRepeatedEvents.DEFAULT_HORIZON);
        eventTimeOrder = eventOrder(f.string("event-order", "arrival"));
        orderIdleFlush = f.duration("order-idle-flush", EventTime.DEFAULT_IDLE_TIMEOUT);
        topN = f.integer("top-n", 10);
        productListSize = f.integer("product-list-size", 10);
        neighbourCapacity = f.integer("neighbour-capacity", 20);
        poolCapacity = f.integer("pool-capacity", 30);
        recentItems = f.integer("recent-items", 5);
        recentlyViewedItems = f.integer("recently-viewed-items", 10);
        coOccurrenceWindow = f.duration("co-occurrence-window", Duration.ofMinutes(30));
        neighbourHalfLife = f.duration("neighbour-half-life", Duration.ofDays(7));
        interestHalfLife = f.duration("interest-half-life", Duration.ofDays(1));
        trendingHalfLife = f.duration("trending-half-life", Duration.ofHours(1));
        trendingDelay = f.duration("trending-delay", Duration.ofSeconds(30));
        trendingSize = f.integer("trending-size", 20);
        maxTrendingCategories = f.integer("max-trending-categories", 1_000);
        weightView = f.decimal("weight-view", 1);
        weightCart = f.decimal("weight-cart", 3);
        weightPurchase = f.decimal("weight-purchase", 5);
        maxPerCategory = f.integer("max-per-category", topN);
        repeatPurchaseCategories = Arrays.stream(f.string("repeat-purchase-categories", "beauty,food,grocery,health,household,pets")
                .split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
        customerTtl = f.duration("customer-ttl", Duration.ofDays(30));
        productTtl = f.duration("product-ttl", Duration.ofDays(30));
        stateCacheEntries = f.integer("state-cache-entries", 20_000);
        productListMinInterval = f.duration("product-list-min-interval", Duration.ofSeconds(10));
        f.rejectUnknown();
        if (topN < 1 || recentlyViewedItems < 1 || productListSize < 1 || neighbourCapacity < productListSize || poolCapacity < topN || maxPerCategory < 1
                || maxTrendingCategories < 1 || trendingDelay.toMillis() < 1) {
            throw new IllegalArgumentException("need 1 <= --top-n <= --pool-capacity, --recently-viewed-items >= 1, 1 <= --product-list-size <= --neighbour-capacity,"
                    + " --max-per-category >= 1, --max-trending-categories >= 1, --trending-delay >= 1ms");
        }
    }

    private static boolean eventOrder(String value) {
        switch (value) {
            case "arrival": return false;
            case "event-time": return true;
            default: throw new IllegalArgumentException("--event-order must be arrival or event-time, not '" + value + "'");
        }
    }

    public static RecommendationsConfig fromArgs(String... args) {
        return new RecommendationsConfig(Flags.parse(args));
    }

    /** How much an event of this type says about interest: view < add to cart < purchase. */
    public double weightOf(EventType type) {
        switch (type) {
            case ADD_TO_CART: return weightCart;
            case PURCHASE: return weightPurchase;
            default: return weightView;
        }
    }

    public static String topLevel(String category) {
        if (category == null) {
            return null;
        }
        int dot = category.indexOf('.');
        return dot < 0 ? category : category.substring(0, dot);
    }
}
