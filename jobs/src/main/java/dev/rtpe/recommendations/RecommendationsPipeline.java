package dev.rtpe.recommendations;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import dev.rtpe.common.DropRepeatedEvents;
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
 */
public final class RecommendationsPipeline {
    private RecommendationsPipeline() {}

    /**
     * @param stock stock changes from the catalog, or null without a catalog
     */
    public static void attach(DataStream<ShopperEvent> events, DataStream<ContextUpdate> stock, Sink<Recommendation> recommendations,
                              Sink<ProductRecommendation> productRecommendations, RecommendationsConfig config) {
        SingleOutputStreamOperator<ProductTouch> touches = DropRepeatedEvents
                .apply(events, config.dedupeHorizon, "rec-drop-repeated-events")
                .process(new CustomerActivity(config))
                .uid("rec-customer-activity")
                .name("1 Customer activity");

        SingleOutputStreamOperator<CustomerStep> withNeighbours = touches
                .keyBy(t -> t.productId, Types.STRING)
                .process(new ProductNeighbours(config))
                .uid("rec-product-neighbours")
                .name("2 Product neighbours");
        withNeighbours.getSideOutput(ProductNeighbours.PRODUCT_LISTS)
                .sinkTo(productRecommendations)
                .uid("rec-product-recommendations-sink")
                .name("product-recommendations");

        DataStream<ContextUpdate> context = touches.getSideOutput(CustomerActivity.POPULARITY)
                .keyBy(s -> s.category, Types.STRING)
                .process(new TrendingProducts(config))
                .uid("rec-trending")
                .name("Trending per category");
        if (stock != null) {
            context = context.union(stock);
        }
        BroadcastStream<ContextUpdate> broadcast = context.broadcast(CustomerRecommender.TRENDING, CustomerRecommender.OUT_OF_STOCK);

        withNeighbours.union(touches.getSideOutput(CustomerActivity.DIRECT_STEPS))
                .keyBy(s -> s.customerKey, Types.STRING)
                .connect(broadcast)
                .process(new CustomerRecommender(config))
                .uid("rec-customer-lists")
                .name("3 Customer lists")
                .sinkTo(recommendations)
                .uid("rec-recommendations-sink")
                .name("recommendations");
    }
}
