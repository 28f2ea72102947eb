package dev.rtpe.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.Events;

/**
 * The co-visitation baseline on small sequences whose lists are worked out by hand in the
 * comments. Window weights, latest product first: 60, 30, 20, 15, 12 (1, 1/2, …, 1/5 times 60).
 */
class CoVisitationTest {
    private final CoVisitation covis = new CoVisitation(100);

    /** One shopper touches the products in order, one event each. */
    private static void touches(CoVisitation c, String shopper, String... products) {
        for (String p : products) {
            c.learn(shopper, List.of(p));
        }
    }

    /** Shopper {@code o<i>} touches a, then the i-th follower; then shopper s touches a. */
    private static CoVisitation afterA(int cap, String... followers) {
        CoVisitation c = new CoVisitation(cap);
        for (int i = 0; i < followers.length; i++) {
            touches(c, "o" + i, "a", followers[i]);
        }
        touches(c, "s", "a");
        return c;
    }

    @Test
    void anEventIsScoredOnTheCountsBeforeIt() {
        List<ShopperEvent> events = List.of(Events.view("u1", "e1", 1, "A"), Events.view("u1", "e2", 2, "B"),
                Events.view("u2", "e3", 3, "A"), Events.view("u2", "e4", 4, "B"));
        // e2: nothing was seen after A yet, so u1's list is the fill [A]: a miss. Learning from e2
        // before scoring it would put B first.
        assertEquals(new Evaluation.Score(1, 0, 0),
                Evaluation.scoreBaselines(events, Set.of("e2"), List.of(new CoVisitation(100)))[0]);
        // e4: u1 saw B after A, so u2 (window [A]) gets [B, A]: a hit at rank 1.
        assertEquals(new Evaluation.Score(1, 1, 1.0),
                Evaluation.scoreBaselines(events, Set.of("e4"), List.of(new CoVisitation(100)))[0]);
    }

    @Test
    void theNewerProductsNeighboursOutweighTheOlderOnesAtEqualCounts() {
        touches(covis, "o1", "old", "a-after-old");
        touches(covis, "o2", "new", "z-after-new");
        touches(covis, "s", "old", "new");
        // s's window [new, old]: z-after-new 60 × 1; a-after-old 30 × 1 and new 30 × 1 (s saw it
        // after old), tied, by id. Fill by popularity (new 2, old 2, then 1 each): old.
        assertEquals(List.of("z-after-new", "a-after-old", "new", "old"), covis.top("s", 10));
    }

    @Test
    void equalScoresGoByProductId() {
        // c, k and m each 60 × 1; then a, the most popular (4).
        assertEquals(List.of("c", "k", "m", "a"), afterA(100, "m", "c", "k").top("s", 10));
    }

    @Test
    void aShortListIsFilledWithPopularitySoFarEachProductOnce() {
        for (int i = 1; i <= 12; i++) {
            for (int n = 0; n < 13 - i; n++) {
                touches(covis, "crowd-" + i, String.format("p%02d", i)); // p01 12 times, p02 11 times, …, p12 once
            }
        }
        assertEquals(List.of("p01", "p02", "p03", "p04", "p05", "p06", "p07", "p08", "p09", "p10"), covis.top("new shopper", 10),
                "nothing to go on: popularity so far");
        touches(covis, "o", "x", "p05");
        touches(covis, "s", "x");
        // s: p05 (60 × 1), then popularity (p01 12, p02 11, p03 10, p04 9, p05 9, p06 7, …) without
        // p05 again, up to 10.
        assertEquals(List.of("p05", "p01", "p02", "p03", "p04", "p06", "p07", "p08", "p09", "p10"), covis.top("s", 10));
    }

    @Test
    void theWindowIsTheLastFiveDistinctProducts() {
        touches(covis, "o1", "p1", "n1");
        touches(covis, "o2", "p2", "n2");
        touches(covis, "s", "p1", "p2", "p3", "p4", "p5", "p6");
        // s's window [p6, p5, p4, p3, p2]; p1, and so n1, is out. Counts from s itself: p1→p2..p6,
        // p2→p3..p6, p3→p4..p6, p4→p5,p6, p5→p6, and from o2: p2→n2.
        // p6 = 30 + 20 + 15 + 12 = 77; p5 = 20 + 15 + 12 = 47; p4 = 15 + 12 = 27; n2 = p3 = 12.
        assertEquals(List.of("p6", "p5", "p4", "n2", "p3"), covis.top("s", 5));
    }

    @Test
    void aRepeatedProductTakesOneSlotOfTheWindowAndEveryTouchCounts() {
        touches(covis, "o", "p1", "n1");
        touches(covis, "s", "p1", "p2", "p2", "p2", "p2", "p2");
        // s's window [p2, p1]: p1→p2 counted 5 times, so p2 = 30 × 5; n1 = 30 × 1; nothing after p2.
        // The shopper's own products stay in; fill: p1 (popularity p2 5, p1 2, n1 1).
        assertEquals(List.of("p2", "n1", "p1"), covis.top("s", 10));
    }

    @Test
    void aRevisitIsNotCountedAfterItself() {
        touches(covis, "o", "x", "y", "x"); // x→y, then y→x; not x→x
        touches(covis, "s", "x");
        // s's window [x]: y (60 × 1); fill: x (3). Counting x→x too would tie x with y, x first by id.
        assertEquals(List.of("y", "x"), covis.top("s", 10));
    }

    @Test
    void anOrdersLinesAreTouchesInTheirOrder() {
        covis.learn("o", List.of("x", "y"));
        touches(covis, "s", "x");
        // x→y from the order (y's touch comes after x's); then the fill: x (2).
        assertEquals(List.of("y", "x"), covis.top("s", 10));
        touches(covis, "u", "y");
        touches(covis, "t", "y");
        // Nothing was seen after y, so t gets popularity only: y 3, x 2. Had the order counted y→x
        // too, x would come first.
        assertEquals(List.of("y", "x"), covis.top("t", 10));
    }

    @Test
    void aFullProductEvictsItsLeastCountedNeighbour() {
        // At c3, a is full with c1 (2) and c2 (1): c2 goes, c3 comes in with 1. Uncapped: c1, c2.
        assertEquals(List.of("c1", "c3"), afterA(2, "c1", "c1", "c2", "c3").top("s", 2));
    }

    @Test
    void amongEquallyCountedNeighboursTheGreatestIdIsEvicted() {
        // At c3 all are at 1: c4 goes. Evicting the oldest or the smallest id would drop c1, the newest c2.
        assertEquals(List.of("c1", "c2", "c3"), afterA(3, "c1", "c4", "c2", "c3").top("s", 3));
    }

    @Test
    void aFullProductKeepsItsCapOfNeighbours() {
        String[] followers = new String[50];
        for (int i = 0; i < followers.length; i++) {
            followers[i] = "n" + i;
        }
        // All counts are 1, so each newcomer from n3 on evicts the greatest id of the three: n2, then
        // n3, …, n48. a keeps n0, n1, n49. Fill: a (51 touches), then n0, n1, n10, n11, … by id.
        // Uncapped, the list would be n0, n1, n10, …, n17.
        assertEquals(List.of("n0", "n1", "n49", "a", "n10", "n11", "n12", "n13", "n14", "n15"), afterA(3, followers).top("s", 10));
    }
}
