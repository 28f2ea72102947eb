package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.EventType;
import dev.rtpe.common.JsonWriting;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.KeyedStateEntries;

class ProductNeighboursTest {
    private KeyedOneInputStreamOperatorTestHarness<String, ProductTouch, CustomerStep> h;

    @BeforeEach
    void open() throws Exception {
        h = harness(null);
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ProductTouch, CustomerStep> harness(OperatorSubtaskState restore)
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<String, ProductTouch, CustomerStep>(new CachingKeyedProcessOperator<>(
                new ProductNeighbours(RecommendationsConfig.fromArgs("--neighbour-capacity", "12", "--product-list-size", "3"))),
                t -> t.productId, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
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
        var lists = h.getSideOutput(ProductNeighbours.PRODUCT_LISTS);
        return lists == null ? List.of() : lists.stream().map(r -> r.getValue()).toList();
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

    // ---- a change held back by the minimum interval ------------------------------------------

    private void touch(String product, String with, double weight, long time) throws Exception {
        h.processElement(pair(product, with, weight, false, time), time);
    }

    private ProductRecommendation lastPublished() {
        List<ProductRecommendation> p = published();
        return p.get(p.size() - 1);
    }

    @Test
    void aChangeHeldBackByTheIntervalIsPublishedWhenTheIntervalEnds() throws Exception {
        touch("A", "B", 1, 0);
        touch("A", "C", 1, 4_000); // inside the 10 s interval: held back, and no later change comes
        assertEquals(1, published().size());
        h.processWatermark(9_999);
        assertEquals(1, published().size(), "not before the interval has passed");

        h.processWatermark(10_000);
        assertEquals(2, published().size(), "the product's last change reaches the compacted topic");
        ProductRecommendation last = lastPublished();
        assertEquals(Set.of("B", "C"), Set.of(last.alsoViewed));
        assertEquals("e-4000", last.causeEventId, "caused by the change that was held back");
        assertEquals("view_item", last.causeEventType);
        assertEquals(4_000, last.causeEventTime);
        assertEquals(List.of(), Contracts.violations("product-recommendations", RecommendationWriters.write(new JsonWriting(), last)));
        assertEquals(0, h.numEventTimeTimers(), "the timer is gone once it fired");

        h.processWatermark(60_000);
        assertEquals(2, published().size(), "published once");
        assertEquals(1, KeyedStateEntries.count(h, "neighbours"), "the product's lists and nothing else");
    }

    @Test
    void severalChangesInOneIntervalArePublishedOnceWithTheLatestCause() throws Exception {
        touch("A", "B", 1, 0);
        touch("A", "C", 1, 3_000);
        touch("A", "D", 1, 6_000);
        assertEquals(1, h.numEventTimeTimers(), "one timer, however many changes wait");
        h.processWatermark(10_000);
        assertEquals(2, published().size());
        assertEquals(Set.of("B", "C", "D"), Set.of(lastPublished().alsoViewed));
        assertEquals("e-6000", lastPublished().causeEventId);

        touch("A", "E", 1, 12_000); // the interval now counts from the timer's publication at 10 s
        assertEquals(2, published().size());
        h.processWatermark(19_999);
        assertEquals(2, published().size());
        h.processWatermark(20_000);
        assertEquals(3, published().size());
        assertEquals("e-12000", lastPublished().causeEventId);
        assertEquals(0, h.numEventTimeTimers());
    }

    @Test
    void aChangeAfterTheIntervalPublishesAtOnceAndTheHeldBackOneIsNotPublishedAgain() throws Exception {
        touch("A", "B", 1, 0);
        touch("A", "C", 1, 4_000);
        touch("A", "D", 1, 11_000); // event time is past the interval before the watermark is
        assertEquals(2, published().size());
        assertEquals("e-11000", lastPublished().causeEventId);
        assertEquals(Set.of("B", "C", "D"), Set.of(lastPublished().alsoViewed), "with everything held back");
        assertEquals(0, h.numEventTimeTimers(), "nothing waits any more");
        h.processWatermark(60_000);
        assertEquals(2, published().size());
    }

    @Test
    void aHeldBackChangeThatIsUndoneWithinTheIntervalIsNotPublished() throws Exception {
        touch("A", "B", 3, 0);
        touch("A", "C", 3, 0);
        touch("A", "D", 3, 0);
        h.processWatermark(10_000);
        assertEquals(Set.of("B", "C", "D"), Set.of(lastPublished().alsoViewed));
        int before = published().size();

        touch("A", "E", 5, 10_500); // E enters the top 3
        touch("A", "D", 3, 11_000);
        touch("A", "C", 3, 11_500);
        touch("A", "B", 3, 12_000); // B, C and D are on top again: as published
        assertEquals(0, h.numEventTimeTimers(), "nothing is pending");
        h.processWatermark(60_000);
        assertEquals(before, published().size());
    }

    @Test
    void aHeldBackChangeSurvivesACheckpointAndRestore() throws Exception {
        touch("A", "B", 1, 0);
        touch("A", "C", 1, 4_000);
        h.prepareSnapshotPreBarrier(1);
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();

        h = harness(snapshot);
        h.processWatermark(10_000);
        assertEquals(1, published().size());
        assertEquals(Set.of("B", "C"), Set.of(lastPublished().alsoViewed));
        assertEquals("e-4000", lastPublished().causeEventId);
        assertEquals(0, h.numEventTimeTimers());
    }

    @Test
    void theStateCodecRoundTripsAndReadsTheFormerFormat() {
        ProductNeighbours.Neighbours n = new ProductNeighbours.Neighbours();
        n.alsoViewed.add("B", "shoes", 2, 100, 1_000, 12);
        n.boughtTogether.add("C", null, 1, 100, 1_000, 12);
        n.publishedAlsoViewed = new String[] {"B"};
        n.publishedBoughtTogether = new String[] {"C"};
        n.publishedAt = 100;
        n.pendingCauseId = "e-7";
        n.pendingCauseType = EventType.ADD_TO_CART;
        n.pendingCauseTime = 7_000;

        ProductNeighbours.Neighbours read = roundTrip(n);
        assertArrayEquals(n.alsoViewed.keys, read.alsoViewed.keys);
        assertArrayEquals(n.alsoViewed.values, read.alsoViewed.values, 0);
        assertArrayEquals(n.boughtTogether.keys, read.boughtTogether.keys);
        assertArrayEquals(n.publishedAlsoViewed, read.publishedAlsoViewed);
        assertArrayEquals(n.publishedBoughtTogether, read.publishedBoughtTogether);
        assertEquals(100, read.publishedAt);
        assertEquals("e-7", read.pendingCauseId);
        assertEquals(EventType.ADD_TO_CART, read.pendingCauseType);
        assertEquals(7_000, read.pendingCauseTime);

        n.pendingCauseId = null;
        assertNull(roundTrip(n).pendingCauseId, "nothing pending");

        // Format 1, as the previous version wrote it: the same without a pending change.
        CompactState.Writer w = new CompactState.Writer();
        w.putByte(1);
        n.alsoViewed.write(w);
        n.boughtTogether.write(w);
        w.putStrings(n.publishedAlsoViewed).putStrings(n.publishedBoughtTogether).putLong(n.publishedAt);
        ProductNeighbours.Neighbours old = ProductNeighbours.Neighbours.CODEC.read(new CompactState.Reader(w.toBytes()));
        assertArrayEquals(n.publishedAlsoViewed, old.publishedAlsoViewed);
        assertEquals(100, old.publishedAt);
        assertNull(old.pendingCauseId);
    }

    private static ProductNeighbours.Neighbours roundTrip(ProductNeighbours.Neighbours n) {
        CompactState.Writer w = new CompactState.Writer();
        ProductNeighbours.Neighbours.CODEC.write(n, w);
        return ProductNeighbours.Neighbours.CODEC.read(new CompactState.Reader(w.toBytes()));
    }
}
