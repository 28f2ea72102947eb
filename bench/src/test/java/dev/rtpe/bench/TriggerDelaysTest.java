package dev.rtpe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class TriggerDelaysTest {
    private static ConsumerRecord<byte[], byte[]> trigger(long dueAt, long appendedAt) {
        byte[] value = ("{\"type\":\"cart_abandoned\",\"due_at\":" + dueAt + "}").getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>("cart-abandonment-triggers", 0, 0, appendedAt, TimestampType.LOG_APPEND_TIME,
                0, value.length, null, value, new RecordHeaders(), Optional.empty());
    }

    @Test
    void aTriggerIsLateUntilItIsReadCommittedNotUntilItIsAppended() {
        TriggerDelays delays = new TriggerDelays();
        delays.measureDueFrom(0);
        // Appended 2 s after its due time, committed with the checkpoint 5 s later.
        delays.record(trigger(1_000, 3_000), 8_000);
        assertEquals(7_000, delays.visible().getMaxValue(), 10);
        assertEquals(2_000, delays.appended().getMaxValue(), 10);
        assertEquals(5_000, delays.commitWait().getMaxValue(), 10);
    }

    @Test
    void triggersDueBeforeTheMeasuredWindowAreReadButNotMeasured() {
        TriggerDelays delays = new TriggerDelays();
        delays.measureDueFrom(5_000);
        delays.record(trigger(1_000, 3_000), 8_000);
        assertEquals(1, delays.seen());
        assertEquals(0, delays.visible().getTotalCount());
    }
}
