package dev.rtpe.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.Events;

/** The three baselines side by side on four events, with the engine's lists made by hand. */
class EvaluationTest {
    // u1 views A then B; u2 views A then B. The engine sent [B] after each A, so it hits both Bs.
    private static final List<ShopperEvent> EVENTS = List.of(Events.view("u1", "e1", 1, "A"), Events.view("u1", "e2", 2, "B"),
            Events.view("u2", "e3", 3, "A"), Events.view("u2", "e4", 4, "B"));
    private static final List<Evaluation.ListRecord> LISTS = List.of(new Evaluation.ListRecord("c:u1", "e1", null, List.of("B")),
            new Evaluation.ListRecord("c:u1", "e2", true, List.of("A")), new Evaluation.ListRecord("c:u2", "e3", null, List.of("B")),
            new Evaluation.ListRecord("c:u2", "e4", true, List.of("A")));

    @Test
    void baselinesAreScoredOnTheEnginesEvents() throws Exception {
        Evaluation ev = Evaluation.of(EVENTS, LISTS, List.of(), List.of());
        assertEquals(new Evaluation.Score(2, 2, 2.0), ev.engine);
        assertEquals(0, ev.protocolMismatches);
        // e2: co-visitation [A] (fill), popularity [A], recently viewed [A]: all miss.
        // e4: co-visitation [B, A] (u1 saw B after A), popularity [A, B], recently viewed [A].
        assertEquals(new Evaluation.Score(2, 1, 1.0), ev.coVisitation);
        assertEquals(new Evaluation.Score(2, 1, 0.5), ev.popularity);
        assertEquals(new Evaluation.Score(2, 0, 0), ev.recentlyViewed);
    }

    @Test
    void theTableAndTheJsonCarryCoVisitation() throws Exception {
        Evaluation ev = Evaluation.of(EVENTS, LISTS, List.of(), List.of());
        String table = ev.table();
        assertTrue(table.contains("| measure | engine | co-visitation | popularity so far | recently viewed |\n"), table);
        assertTrue(table.contains("| hit rate @10 | 100.00% | 50.00% | 50.00% | 0.00% |\n"), table);
        assertTrue(table.contains("| MRR@10 | 1.0000 | 0.5000 | 0.2500 | 0.0000 |\n"), table);
        assertTrue(table.contains("engine / co-visitation: 2.00× (hit rate @10)\n"), table);
        ObjectNode json = ev.json();
        assertEquals(1, json.path("co_visitation").path("hits").asLong());
        assertEquals(0.5, json.path("co_visitation").path("mrr_at_10").asDouble(), 1e-12);
        assertEquals(0.25, json.path("popularity_so_far").path("mrr_at_10").asDouble(), 1e-12);
    }

    @Test
    void theNumbersDoNotDependOnTheOrderInWhichCustomersListsArrive() throws Exception {
        // Ten shoppers, each hit once at a different rank; their lists interleave in any order on
        // the topic (only each shopper's own order is kept), and floating-point sums depend on order.
        int[] ranks = {2, 8, 1, 7, 7, 10, 1, 8, 5, 4}; // summed forwards and backwards, 1/r differs in the last bit
        List<ShopperEvent> events = new ArrayList<>();
        List<List<Evaluation.ListRecord>> perShopper = new ArrayList<>();
        for (int i = 0; i < ranks.length; i++) {
            String u = "u" + i;
            events.add(Events.view(u, u + "-1", 2L * i, "X" + i));
            events.add(Events.view(u, u + "-2", 2L * i + 1, "T" + i));
            List<String> list = new ArrayList<>();
            for (int r = 1; r <= 10; r++) {
                list.add(r == ranks[i] ? "T" + i : "F" + i + "-" + r);
            }
            perShopper.add(List.of(new Evaluation.ListRecord("c:" + u, u + "-1", null, list),
                    new Evaluation.ListRecord("c:" + u, u + "-2", true, List.of("Z"))));
        }
        List<Evaluation.ListRecord> forward = new ArrayList<>();
        perShopper.forEach(forward::addAll);
        Collections.reverse(perShopper);
        List<Evaluation.ListRecord> reversed = new ArrayList<>();
        perShopper.forEach(reversed::addAll);
        Evaluation a = Evaluation.of(events, forward, List.of(), List.of());
        Evaluation b = Evaluation.of(events, reversed, List.of(), List.of());
        assertEquals(10, a.engine.hits());
        assertEquals(a.json().toString(), b.json().toString());
    }
}
