package dev.rtpe.recommendations;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
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
        KeyedStream<ShopperEvent, String> byCustomer = DropRepeatedEvents.apply(events, config.dedupeHorizon, "rec-drop-repeated-events");
        if (config.eventTimeOrder) {
            byCustomer = KeyedEventTimeOrder.apply(byCustomer, new CustomerKey(), (a, b) -> a.eventId.compareTo(b.eventId),
                    "Event-time order by customer", "rec-event-time-order-customers");
        }
        SingleOutputStreamOperator<ProductTouch> touches = byCustomer
                .transform("1 Customer activity", TypeInformation.of(ProductTouch.class),
                        new CachingKeyedProcessOperator<>(new CustomerActivity(config)))
                .uid("rec-customer-activity");

        KeyedStream<ProductTouch, String> byProduct = touches.keyBy(t -> t.productId, Types.STRING);
        if (config.eventTimeOrder) {
            byProduct = KeyedEventTimeOrder.apply(byProduct, t -> t.productId, ProductTouch.ORDER,
                    "Event-time order by product", "rec-event-time-order-products");
        }
        SingleOutputStreamOperator<CustomerStep> withNeighbours = byProduct
                .transform("2 Product neighbours", TypeInformation.of(CustomerStep.class),
                        new CachingKeyedProcessOperator<>(new ProductNeighbours(config)))
                .uid("rec-product-neighbours");
        withNeighbours.getSideOutput(ProductNeighbours.PRODUCT_LISTS)
                .sinkTo(productRecommendations)
                .uid("rec-product-recommendations-sink")
                .name("product-recommendations");

        KeyedStream<TrendingSignal, String> byCategory = touches.getSideOutput(CustomerActivity.POPULARITY)
                .keyBy(s -> s.category, Types.STRING);
        if (config.eventTimeOrder) {
            byCategory = KeyedEventTimeOrder.apply(byCategory, s -> s.category, TrendingSignal.ORDER,
                    "Event-time order by category", "rec-event-time-order-categories");
        }
        DataStream<ContextUpdate> context = byCategory
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
            lists.filter(r -> r.evaluated).uid("rec-evaluated-lists").name("Evaluated lists")
                    .transform("Evaluations and watermarks", TypeInformation.of(HitRateRecord.class),
                            new PublishWatermarks<>("evaluations", evaluations.partitions(), EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS, false,
                                    HitRateRecord.RECORDS))
                    .uid("rec-evaluations-watermarks")
                    .sinkTo(evaluations.sink())
                    .uid("rec-evaluations-sink")
                    .name("rec-evaluations");
        }
    }
}
