package dev.rtpe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BenchDriverTest {
    @Test
    void findsTheCauseOfAListWhereverItSits() {
        String json = "{\"schema_version\":1,\"items\":[{\"product_id\":\"p\",\"event_id\":\"decoy\"}],"
                + "\"cause\":{\"event_type\":\"view_item\",\"event_id\":\"e-42\"},\"event_id\":\"other\"}";
        assertEquals("e-42", BenchDriver.causeEventId(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aListWithoutCauseIsAnError() {
        assertThrows(IllegalStateException.class, () -> BenchDriver.causeEventId("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }
}
