package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class DecayingTopKTest {
    private static final long HOUR = 3_600_000L;

    private static List<String> keys(List<DecayingTopK.Entry> entries) {
        return entries.stream().map(DecayingTopK.Entry::key).collect(Collectors.toList());
    }

    @Test
    void aScoreHalvesEveryHalfLife() {
        DecayingTopK t = new DecayingTopK();
        t.add("a", "cat", 8, 0, HOUR, 10);
        assertEquals(8, t.top(1, 0, HOUR).get(0).score(), 1e-9);
        assertEquals(4, t.top(1, HOUR, HOUR).get(0).score(), 1e-9);
        assertEquals(1, t.top(1, 3 * HOUR, HOUR).get(0).score(), 1e-9);
        assertEquals("cat", t.top(1, 0, HOUR).get(0).label());
    }

    @Test
    void recentWeightOutranksOlderWeightOfTheSameSize() {
        DecayingTopK t = new DecayingTopK();
        t.add("old", null, 1, 0, HOUR, 10);
        t.add("new", null, 1, 2 * HOUR, HOUR, 10);
        assertEquals(List.of("new", "old"), keys(t.top(2, 2 * HOUR, HOUR)));
        assertEquals(0.25, t.top(2, 2 * HOUR, HOUR).get(1).score(), 1e-9);
    }

    @Test
    void sizeNeverExceedsCapacityAndAKeyThatKeepsComingGetsIn() {
        DecayingTopK t = new DecayingTopK();
        for (int i = 0; i < 100; i++) {
            t.add("tail-" + i, null, 1, 0, HOUR, 5);
            assertTrue(t.size() <= 5);
        }
        for (int i = 0; i < 20; i++) {
            t.add("hot", null, 1, 0, HOUR, 5);
        }
        assertEquals("hot", t.top(1, 0, HOUR).get(0).key());
        assertEquals(5, t.size());
    }

    @Test
    void tiesAreBrokenByKeySoTheOrderIsStable() {
        DecayingTopK t = new DecayingTopK();
        for (String k : List.of("c", "a", "b")) {
            t.add(k, null, 1, 0, HOUR, 10);
        }
        assertEquals(List.of("a", "b", "c"), keys(t.top(3, 0, HOUR)));
    }

    @Test
    void rescalingFarInTheFutureKeepsScoresRight() {
        DecayingTopK t = new DecayingTopK();
        t.add("a", null, 1, 0, 1000, 10);
        long later = 1000L * 600; // 600 half-lives: forces a rescale of the forward-decayed values
        t.add("b", null, 1, later, 1000, 10);
        List<DecayingTopK.Entry> top = t.top(2, later, 1000);
        assertEquals("b", top.get(0).key());
        assertEquals(1, top.get(0).score(), 1e-9);
        assertEquals(0, top.get(1).score(), 1e-12);
        assertTrue(Double.isFinite(t.values[0]) && Double.isFinite(t.values[1]));
    }

    @Test
    void removeAndClear() {
        DecayingTopK t = new DecayingTopK();
        t.add("a", null, 1, 0, HOUR, 10);
        t.add("b", null, 2, 0, HOUR, 10);
        t.remove("b");
        assertEquals(List.of("a"), keys(t.top(5, 0, HOUR)));
        t.clear();
        assertTrue(t.isEmpty());
    }
}
