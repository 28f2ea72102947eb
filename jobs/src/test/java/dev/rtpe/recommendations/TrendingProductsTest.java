package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import dev.rtpe.common.CachingKeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrendingProductsTest {
    private KeyedOneInputStreamOperatorTestHarness<String, TrendingSignal, ContextUpdate> h;

    @BeforeEach
    void open() throws Exception {
        h = new KeyedOneInputStreamOperatorTestHarness<>(new CachingKeyedProcessOperator<>(
                new TrendingProducts(RecommendationsConfig.fromArgs("--trending-size", "2"))), s -> s.category, Types.STRING);
        h.open();
    }

    private void signal(String product, long time) throws Exception {
        h.processElement(new TrendingSignal("shoes", "shoes", product, 1, time), time);
    }

    @Test
    void publishesTheTopProductsWhenTheyChangeAtMostOnceASecond() throws Exception {
        signal("A", 0);
        signal("B", 100);
        signal("B", 200);
        signal("C", 1_500);
        signal("C", 1_600);
        signal("C", 2_600);
        List<ContextUpdate> out = h.extractOutputValues();
        assertEquals(3, out.size(), "first signal, then changes no closer than 1 s apart");
        assertArrayEquals(new String[] {"A"}, out.get(0).trendingProducts);
        // At 1.5 s: B has two views; C's one view is newer than A's, so it weighs a little more.
        assertArrayEquals(new String[] {"B", "C"}, out.get(1).trendingProducts);
        assertArrayEquals(new String[] {"C", "B"}, out.get(2).trendingProducts);
        assertEquals("shoes", out.get(2).category);
    }

    @Test
    void popularityFadesWithTheHalfLife() throws Exception {
        for (int i = 0; i < 4; i++) {
            signal("OLD", i);
        }
        long twoHoursLater = 2 * 3_600_000L;
        signal("NEW", twoHoursLater);
        signal("NEW", twoHoursLater + 1_000);
        ContextUpdate last = h.extractOutputValues().get(h.extractOutputValues().size() - 1);
        assertEquals("NEW", last.trendingProducts[0], "2 recent views beat 4 views two half-lives ago");
    }
}
