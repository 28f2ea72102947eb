package dev.rtpe.recommendations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CustomerKey;
import dev.rtpe.common.DropRepeatedEvents;
import dev.rtpe.common.ShopperEvent;

/**
 * All recommendation stages in one thread, each output handed on at once: the job's operators,
 * without the job's concurrency, so a replay is repeatable to the bit and fast enough to score whole
 * datasets in a unit test. Event time trails the newest event by 1 ms, as if live.
 */
final class SequentialRecommendations {
    private SequentialRecommendations() {}

    /** Every list the customer stage emits, in order. */
    static List<Recommendation> replay(List<ShopperEvent> events, String... flags) throws Exception {
        RecommendationsConfig cfg = RecommendationsConfig.fromArgs(flags);
        try (var dedupe = keyed(new KeyedProcessOperator<>(DropRepeatedEvents.ofShopperEvents(Duration.ofHours(24))), new CustomerKey());
             var customers = keyed(new CachingKeyedProcessOperator<>(new CustomerActivity(cfg)), new CustomerKey());
             var products = keyed(new CachingKeyedProcessOperator<>(new ProductNeighbours(cfg)), (ProductTouch t) -> t.productId);
             var trending = keyed(new CachingKeyedProcessOperator<>(new TrendingProducts(cfg)), (TrendingSignal s) -> s.category);
             var lists = CustomerListsOperatorTest.harness(flags)) {
            long watermark = Long.MIN_VALUE;
            for (ShopperEvent e : events) {
                if (e.eventTime - 1 > watermark) { // live, event time trails the newest event
                    watermark = e.eventTime - 1;
                    trending.processWatermark(watermark);
                    lists.processBothWatermarks(new Watermark(watermark));
                }
                dedupe.processElement(e, e.eventTime);
                for (ShopperEvent u : SequentialRecommendations.<ShopperEvent>drain(dedupe.getOutput())) {
                    customers.processElement(u, u.eventTime);
                }
                for (TrendingSignal s : SequentialRecommendations.<TrendingSignal>drain(customers.getSideOutput(CustomerActivity.POPULARITY))) {
                    trending.processElement(s, s.eventTime);
                }
                for (ContextUpdate u : SequentialRecommendations.<ContextUpdate>drain(trending.getOutput())) {
                    lists.processElement2(u, u.asOf);
                }
                for (ProductTouch t : SequentialRecommendations.<ProductTouch>drain(customers.getOutput())) {
                    products.processElement(t, t.eventTime);
                }
                for (CustomerStep s : SequentialRecommendations.<CustomerStep>drain(products.getOutput())) {
                    lists.processElement1(s, s.eventTime);
                }
                for (CustomerStep s : SequentialRecommendations.<CustomerStep>drain(customers.getSideOutput(CustomerActivity.DIRECT_STEPS))) {
                    lists.processElement1(s, s.eventTime);
                }
            }
            lists.processBothWatermarks(new Watermark(Long.MAX_VALUE));
            return new ArrayList<>(lists.extractOutputValues());
        }
    }

    private static <I, O> KeyedOneInputStreamOperatorTestHarness<String, I, O> keyed(
            KeyedProcessOperator<String, I, O> operator, org.apache.flink.api.java.functions.KeySelector<I, String> key) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, I, O> h = new KeyedOneInputStreamOperatorTestHarness<>(operator, key, Types.STRING);
        h.open();
        return h;
    }

    /** Takes what a harness produced since the last call out of its queue, so each record is read once. */
    @SuppressWarnings("unchecked")
    private static <T> List<T> drain(java.util.Queue<?> queue) {
        List<T> values = new ArrayList<>();
        Object o;
        while (queue != null && (o = queue.poll()) != null) {
            if (o instanceof StreamRecord<?> r) {
                values.add((T) r.getValue());
            }
        }
        return values;
    }
}
