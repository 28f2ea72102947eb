package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import dev.rtpe.common.CachingKeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.EventType;

class ProductNeighboursTest {
    private KeyedOneInputStreamOperatorTestHarness<String, ProductTouch, CustomerStep> h;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(new CachingKeyedProcessOperator<>(
                new ProductNeighbours(RecommendationsConfig.fromArgs("--neighbour-capacity", "12", "--product-list-size", "3"))),
                t -> t.productId, Types.STRING);
        h.open();
    }

    private static ProductTouch pair(String product, String with, double weight, boolean bought, long time) {
        ProductTouch t = new ProductTouch();
        t.productId = product;
        t.eventTime = time;
        t.causeEventId = "e-" + time;
        t.causeEventType = EventType.VIEW_ITEM;
        t.coProducts = new String[] {with};
        t.coCategories = new String[] {"shoes"};
        t.coWeights = new double[] {weight};
        t.coBought = new boolean[] {bought};
        return t;
    }

    private static ProductTouch customerTouch(String product, long time) {
        ProductTouch t = pair(product, "unused", 0, false, time);
        t.coProducts = new String[0];
        t.step = new CustomerStep();
        t.step.customerKey = "c:1";
        t.step.productId = product;
        return t;
    }

    private List<ProductRecommendation> published() {
        return h.getSideOutput(ProductNeighbours.PRODUCT_LISTS).stream().map(r -> r.getValue()).toList();
    }

    @Test
    void aShoppersStepLeavesWithTheProductsCurrentNeighbours() throws Exception {
        h.processElement(pair("A", "B", 1, false, 0), 0);
        h.processElement(pair("A", "C", 3, true, 0), 0);
        h.processElement(customerTouch("A", 0), 0);
        CustomerStep step = h.extractOutputValues().get(0);
        assertArrayEquals(new String[] {"C", "B"}, step.alsoViewed);
        assertArrayEquals(new double[] {3, 1}, step.alsoViewedScores, 1e-9);
        assertArrayEquals(new String[] {"C"}, step.boughtTogether, "only pairs that were both carted or bought");
        assertEquals("shoes", step.alsoViewedCategories[0]);
    }

    @Test
    void listsArePublishedWhenMembershipChangesNotWhenScoresDrift() throws Exception {
        long s = 10_000; // the default minimum interval between publications
        h.processElement(pair("A", "B", 1, false, 0), 0);
        h.processElement(pair("A", "C", 1, false, s), s);
        h.processElement(pair("A", "B", 1, false, 2 * s), 2 * s); // B gains score; members unchanged
        assertEquals(2, published().size());
        assertEquals(java.util.Set.of("B", "C"), java.util.Set.of(published().get(1).alsoViewed));
        h.processElement(pair("A", "D", 1, false, 3 * s), 3 * s);
        assertEquals(3, published().size());
        assertEquals("e-" + 3 * s, published().get(2).causeEventId);
    }

    @Test
    void aProductThatChangesOftenIsPublishedAtMostOncePerInterval() throws Exception {
        for (int i = 0; i < 50; i++) {
            h.processElement(pair("A", "p" + i, 1, false, i * 100L), i * 100L); // 50 new neighbours in 5 s
        }
        assertEquals(1, published().size());
        h.processElement(pair("A", "late", 5, false, 10_000), 10_000);
        assertEquals(2, published().size(), "the next change after the interval is published, with everything since");
    }

    @Test
    void aHotProductKeepsAtMostItsCapacityOfNeighbours() throws Exception {
        for (int i = 0; i < 200; i++) {
            h.processElement(pair("HOT", "p" + i, 1, false, i), i);
        }
        for (int i = 0; i < 30; i++) {
            h.processElement(pair("HOT", "regular", 1, false, 200 + i), 200 + i);
        }
        h.processElement(customerTouch("HOT", 300), 300);
        CustomerStep step = h.extractOutputValues().get(0);
        assertEquals(3, step.alsoViewed.length);
        assertEquals("regular", step.alsoViewed[0], "a product that keeps co-occurring wins over the long tail");
        // The bound itself (never more than the capacity kept) is DecayingTopKTest's.
    }
}
