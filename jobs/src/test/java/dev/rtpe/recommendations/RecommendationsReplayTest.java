package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.ShopperEvent;

/**
 * Replays simulated shoppers through all stages in one thread, handing each output on at once, so
 * the run is repeatable to the bit. Two replays must agree on every list and score: decay runs on
 * event time, ties are broken by product id, nothing is random.
 */
class RecommendationsReplayTest {

    @Test
    void replayingTheSameInputGivesTheSameListsAndScores() throws Exception {
        List<ShopperEvent> events = RecommendationsPipelineTest.simulatedEvents(4_000);
        List<String> first = replay(events);
        List<String> second = replay(RecommendationsPipelineTest.simulatedEvents(4_000));
        assertTrue(first.size() > 3_900, "one list per distinct event: " + first.size());
        assertEquals(first, second);
        assertTrue(first.stream().anyMatch(l -> l.contains("also_viewed")));
    }

    private static List<String> replay(List<ShopperEvent> events) throws Exception {
        List<String> out = new ArrayList<>();
        for (Recommendation r : SequentialRecommendations.replay(events)) {
            out.add(r.customerKey + " " + r.causeEventId + " " + Arrays.toString(r.productIds) + " " + Arrays.toString(r.scores)
                    + " " + Arrays.toString(r.reasons) + " " + r.evaluated + "/" + r.hit);
        }
        return out;
    }
}
