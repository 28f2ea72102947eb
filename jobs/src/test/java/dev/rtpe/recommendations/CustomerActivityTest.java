package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.Types;
import dev.rtpe.common.CachingKeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.CustomerKey;
import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.Events;

class CustomerActivityTest {
    private static final long MINUTE = 60_000;
    private KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, ProductTouch> h;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(new CachingKeyedProcessOperator<>(
                new CustomerActivity(RecommendationsConfig.fromArgs())), new CustomerKey(), Types.STRING);
        h.open();
    }

    private void send(ShopperEvent e) throws Exception {
        h.processElement(e, e.eventTime);
    }

    private List<ProductTouch> touches() {
        return h.extractOutputValues();
    }

    @Test
    void aViewPairsWithTheCustomersRecentProductsBothWays() throws Exception {
        send(Events.view("c1", "e1", 0, "A", "shoes"));
        send(Events.view("c1", "e2", MINUTE, "B", "shoes"));
        List<ProductTouch> t = touches();
        assertEquals(3, t.size(), t.toString());
        assertEquals("A", t.get(0).productId);
        assertEquals(0, t.get(0).coProducts.length, "the first product has nothing to pair with");
        ProductTouch backToA = t.get(1);
        assertEquals("A", backToA.productId);
        assertArrayEquals(new String[] {"B"}, backToA.coProducts);
        assertNull(backToA.step, "a pair update is not a customer step");
        ProductTouch b = t.get(2);
        assertEquals("B", b.productId);
        assertArrayEquals(new String[] {"A"}, b.coProducts);
        assertEquals(1.0, b.coWeights[0]);
        assertFalse(b.coBought[0], "two views are not bought together");
        assertEquals(2, b.step.seq);
    }

    @Test
    void productsTouchedFurtherApartThanTheWindowDoNotPair() throws Exception {
        send(Events.view("c1", "e1", 0, "A", null));
        send(Events.view("c1", "e2", 31 * MINUTE, "B", null));
        assertEquals(0, touches().get(1).coProducts.length);
    }

    @Test
    void cartAndPurchasePairsWeighMoreAndCountAsBoughtTogether() throws Exception {
        send(Events.of(EventType.ADD_TO_CART, "c1", "e1", 0, "A", null));
        send(Events.of(EventType.ADD_TO_CART, "c1", "e2", MINUTE, "B", null));
        send(Events.view("c1", "e3", 2 * MINUTE, "C", null));
        ProductTouch b = touches().get(2);
        assertEquals("B", b.productId);
        assertEquals(3.0, b.coWeights[0]);
        assertTrue(b.coBought[0]);
        ProductTouch c = touches().stream().filter(x -> x.productId.equals("C")).findFirst().orElseThrow();
        assertEquals(List.of("B", "A"), List.of(c.coProducts));
        assertEquals(2.0, c.coWeights[0], "a view next to a cart");
        assertFalse(c.coBought[0]);
    }

    @Test
    void aPurchaseOfTwoItemsTravelsAsTwoPartsThatPairWithEachOther() throws Exception {
        send(Events.purchase("c1", "e1", 0, "beauty", "A", "B"));
        List<ProductTouch> withSteps = touches().stream().filter(x -> x.step != null).collect(Collectors.toList());
        assertEquals(2, withSteps.size());
        assertEquals(List.of(0, 1), withSteps.stream().map(x -> x.step.part).collect(Collectors.toList()));
        assertTrue(withSteps.stream().allMatch(x -> x.step.parts == 2 && x.step.seq == 1));
        assertArrayEquals(new String[] {"A"}, withSteps.get(1).coProducts);
        assertTrue(withSteps.get(1).coBought[0]);
    }

    @Test
    void eventsWithoutAProductGoStraightToTheCustomerStageInSequence() throws Exception {
        ShopperEvent search = Events.view("c1", "e1", 0, null, null);
        search.eventType = EventType.SEARCH;
        search.searchTerm = "shoes";
        send(search);
        send(Events.view("c1", "e2", MINUTE, "A", null));
        List<StreamRecord<CustomerStep>> direct = List.copyOf(h.getSideOutput(CustomerActivity.DIRECT_STEPS));
        assertEquals(1, direct.size());
        assertEquals(1, direct.get(0).getValue().seq);
        assertEquals(2, touches().get(0).step.seq);
    }

    @Test
    void anOptedOutShopperFeedsNoNeighboursButStillCountsAsPopularity() throws Exception {
        ShopperEvent a = Events.view("c1", "e1", 0, "A", "shoes");
        a.consentPersonalization = false;
        ShopperEvent b = Events.view("c1", "e2", MINUTE, "B", "shoes");
        b.consentPersonalization = false;
        send(a);
        send(b);
        assertTrue(touches().isEmpty());
        assertEquals(2, h.getSideOutput(CustomerActivity.DIRECT_STEPS).size());
        assertEquals(List.of("shoes", TrendingSignal.OVERALL, "shoes", TrendingSignal.OVERALL),
                h.getSideOutput(CustomerActivity.POPULARITY).stream().map(r -> r.getValue().category).collect(Collectors.toList()),
                "each product trends in its category and overall");
        assertTrue(h.getSideOutput(CustomerActivity.POPULARITY).stream().allMatch(r -> "shoes".equals(r.getValue().productCategory)));
    }
}
