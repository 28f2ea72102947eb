package dev.rtpe.recommendations;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CustomerKey;
import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.PublishWatermarks;
import dev.rtpe.common.ShopperEvent;

/**
 * The recommendations dataflow between its inputs and sinks, which the caller supplies.
 *
 * <pre>
 * events ─► drop repeats ─► 1 customer activity ─► 2 product neighbours ─► 3 customer lists ─► recommendations
 *           (by customer)    (by customer)     │    (by product)     └─► product-recommendations
 *                                               ├─► events without a product ─────┘ ▲
 *                                               └─► trending (by category) ──┐        │ broadcast
 * stock updates (catalog, optional) ─────────────────────────────────────────┴────────┘
 * </pre>
 *
 * <p>With {@code --event-order event-time}, the events go through {@link EventTimeOrder} first, and
 * each keyed stage takes its records through a {@link KeyedEventTimeOrder} after its shuffle, so the
 * lists do not depend on how the instances' records interleave.
 */
public final class RecommendationsPipeline {
    private RecommendationsPipeline() {}

    /** Where the hit-rate evaluations go: the sink, and how many partitions its topic has (each gets the watermark). */
    public record Evaluations(Sink<HitRateRecord> sink, PublishWatermarks.PartitionCount partitions) {}

    /** Without the evaluations output. */
    public static void attach(DataStream<ShopperEvent> events, DataStream<ContextUpdate> stock, Sink<Recommendation> recommendations,
                              Sink<ProductRecommendation> productRecommendations, RecommendationsConfig config) {
        attach(events, stock, recommendations, productRecommendations, null, config);
    }

    /**
     * @param stock stock changes from the catalog, or null without a catalog
     * @param evaluations the hit-rate evaluations with the job's watermarks, which the metrics job
     *                    follows; or null
     */
    public static void attach(DataStream<ShopperEvent> events, DataStream<ContextUpdate> stock, Sink<Recommendation> recommendations,
                              Sink<ProductRecommendation> productRecommendations, Evaluations evaluations,
                              RecommendationsConfig config) {
        if (config.eventTimeOrder) {
            events = events.transform("Event-time order", TypeInformation.of(ShopperEvent.class),
                    new EventTimeOrder(config.orderIdleFlush.toMillis())).uid("rec-event-time-order");
        }
        KeyedStream<ShopperEvent, String> byCustomer = inEventTimeOrder(
                DropRepeatedEvents.apply(events, config.dedupeHorizon, "rec-drop-repeated-events"),
                new CustomerKey(), (a, b) -> a.eventId.compareTo(b.eventId), "customer", config);
        SingleOutputStreamOperator<ProductTouch> touches = byCustomer
                .transform("1 Customer activity", TypeInformation.of(ProductTouch.class),
                        new CachingKeyedProcessOperator<>(new CustomerActivity(config)))
                .uid("rec-customer-activity");

        KeySelector<ProductTouch, String> product = t -> t.productId;
        SingleOutputStreamOperator<CustomerStep> withNeighbours = inEventTimeOrder(touches.keyBy(product, Types.STRING), product,
                        ProductTouch.ORDER, "product", config)
                .transform("2 Product neighbours", TypeInformation.of(CustomerStep.class),
                        new CachingKeyedProcessOperator<>(new ProductNeighbours(config)))
                .uid("rec-product-neighbours");
        withNeighbours.getSideOutput(ProductNeighbours.PRODUCT_LISTS)
                .sinkTo(productRecommendations)
                .uid("rec-product-recommendations-sink")
                .name("product-recommendations");

        KeySelector<TrendingSignal, String> category = s -> s.category;
        DataStream<ContextUpdate> context = inEventTimeOrder(touches.getSideOutput(CustomerActivity.POPULARITY)
                        .keyBy(category, Types.STRING), category, TrendingSignal.ORDER, "category", config)
                .transform("Trending per category", TypeInformation.of(ContextUpdate.class),
                        new CachingKeyedProcessOperator<>(new TrendingProducts(config)))
                .uid("rec-trending");
        if (stock != null) {
            context = context.union(stock);
        }

        SingleOutputStreamOperator<Recommendation> lists = withNeighbours.union(touches.getSideOutput(CustomerActivity.DIRECT_STEPS))
                .keyBy(s -> s.customerKey, Types.STRING)
                .connect(context.broadcast())
                .transform("3 Customer lists", TypeInformation.of(Recommendation.class), new CustomerListsOperator(config))
                .uid("rec-customer-lists");
        lists.sinkTo(recommendations)
                .uid("rec-recommendations-sink")
                .name("recommendations");
        if (evaluations != null) {
            lists.getSideOutput(CustomerListsOperator.EVALUATIONS)
                    .transform("Evaluations and watermarks", TypeInformation.of(HitRateRecord.class),
                            new PublishWatermarks<>("evaluations", evaluations.partitions(), EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS, false,
                                    HitRateRecord.RECORDS))
                    .uid("rec-evaluations-watermarks")
                    .sinkTo(evaluations.sink())
                    .uid("rec-evaluations-sink")
                    .name("rec-evaluations");
        }
    }

    /**
     * With {@code --event-order event-time}, the stage behind a shuffle takes each key's records in
     * event-time order ({@link KeyedEventTimeOrder}); otherwise as they arrive.
     *
     * @param by what the records are keyed by, for the operator's name and uid
     */
    private static <T> KeyedStream<T, String> inEventTimeOrder(KeyedStream<T, String> records, KeySelector<T, String> key,
                                                               KeyedEventTimeOrder.Tiebreak<T> tiebreak, String by,
                                                               RecommendationsConfig config) {
        return config.eventTimeOrder
                ? KeyedEventTimeOrder.apply(records, key, tiebreak, "Event-time order by " + by, "rec-event-time-order-" + by + "s")
                : records;
    }
}
