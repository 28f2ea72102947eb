package dev.rtpe.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The comparison of chaos.sh: what counts as a difference, and what does not. */
class ChaosOutputsTest {
    private static ObjectNode snapshot() {
        ObjectNode s = ChaosOutputs.JSON.createObjectNode();
        s.putArray("trigger_ids").add("cart_abandoned:t1").add("cart_recovered:t1").add("cart_abandoned:t2");
        ObjectNode metrics = s.putObject("metrics");
        metrics.putObject("all|all|0|60000").put("visitors", 10).put("rec_hits", 3).put("rec_hit_rate_at_10", 0.3);
        s.putArray("customers_with_list").add("c:1").add("c:2");
        s.putArray("input_customers").add("c:1").add("c:2");
        s.put("shopper_events_records", 5);
        s.put("shopper_events_distinct", 4);
        s.putArray("event_ids").add("e1").add("e2").add("e3").add("e4");
        s.put("dead_letters_distinct", 1);
        return s;
    }

    private static long differences(JsonNode reference, JsonNode faulted) {
        return ChaosOutputs.compare(reference, faulted, 1).get("differences").asLong();
    }

    @Test
    void identicalRunsHaveNoDifferenceAndARepeatedRecordOfAnEventIsNone() {
        ObjectNode faulted = snapshot();
        faulted.put("shopper_events_records", 9); // at least once: repeats of the same events are allowed
        assertEquals(0, differences(snapshot(), faulted));
    }

    @Test
    void aLostOrRepeatedTriggerIsADifference() {
        ObjectNode lost = snapshot();
        lost.set("trigger_ids", ChaosOutputs.JSON.createArrayNode().add("cart_abandoned:t1").add("cart_recovered:t1"));
        assertEquals(1, differences(snapshot(), lost));
        ObjectNode twice = snapshot();
        ((ArrayNode) twice.get("trigger_ids")).insert(0, "cart_abandoned:t1");
        assertEquals(1, differences(snapshot(), twice));
    }

    @Test
    void aChangedCountIsADifferenceHitsIncluded() {
        ObjectNode hits = snapshot();
        ((ObjectNode) hits.get("metrics").get("all|all|0|60000")).put("rec_hits", 4).put("rec_hit_rate_at_10", 0.4);
        assertEquals(1, differences(snapshot(), hits));
        ObjectNode visitors = snapshot();
        ((ObjectNode) visitors.get("metrics").get("all|all|0|60000")).put("visitors", 11);
        assertEquals(1, differences(snapshot(), visitors));
    }

    @Test
    void aCustomerWithoutAListOrALostEventOrAMissingDeadLetterIsADifference() {
        ObjectNode noList = snapshot();
        noList.set("customers_with_list", ChaosOutputs.JSON.createArrayNode().add("c:1"));
        assertEquals(1, differences(snapshot(), noList));
        ObjectNode lost = snapshot();
        lost.set("event_ids", ChaosOutputs.JSON.createArrayNode().add("e1").add("e2").add("e3"));
        assertEquals(1, differences(snapshot(), lost));
        ObjectNode noDeadLetter = snapshot();
        noDeadLetter.put("dead_letters_distinct", 0);
        assertEquals(1, differences(snapshot(), noDeadLetter));
    }
}
