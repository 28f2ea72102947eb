package dev.rtpe.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.rtpe.testing.Events;

class DropRepeatedEventsTest {
    private static final Duration HORIZON = Duration.ofHours(24);

    private static KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, ShopperEvent> harness(OperatorSubtaskState restoreFrom)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, ShopperEvent> h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(DropRepeatedEvents.ofShopperEvents(HORIZON)), new CustomerKey(), Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    private static List<String> ids(KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, ShopperEvent> h) {
        return h.extractOutputValues().stream().map(e -> e.eventId).collect(Collectors.toList());
    }

    @Test
    void aRepeatedEventIdOfTheSameCustomerIsDropped() throws Exception {
        try (var h = harness(null)) {
            h.processElement(Events.view("c1", "e1", 1000, "p1"), 1000);
            h.processElement(Events.view("c1", "e2", 2000, "p2"), 2000);
            h.processElement(Events.view("c1", "e1", 1000, "p1"), 3000);
            h.processElement(Events.view("c2", "e1", 1500, "p9"), 3500);
            assertEquals(List.of("e1", "e2", "e1"), ids(h), "c2's e1 is a different event from c1's e1");
            assertEquals(List.of("c:c1", "c:c1", "c:c2"),
                    h.extractOutputValues().stream().map(e -> e.customerKey).collect(Collectors.toList()));
        }
    }

    @Test
    void aRepeatAfterTheHorizonIsLetThrough() throws Exception {
        try (var h = harness(null)) {
            h.setStateTtlProcessingTime(0);
            h.processElement(Events.view("c1", "e1", 1000, "p1"), 1000);
            h.setStateTtlProcessingTime(HORIZON.toMillis() - 1);
            h.processElement(Events.view("c1", "e1", 1000, "p1"), 1000);
            h.setStateTtlProcessingTime(HORIZON.toMillis() + 1);
            h.processElement(Events.view("c1", "e1", 1000, "p1"), 1000);
            assertEquals(List.of("e1", "e1"), ids(h));
        }
    }

    @Test
    void seenIdsSurviveARestoreSoAReplayAfterFailureIsDropped() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            h.processElement(Events.view("c1", "e1", 1000, "p1"), 1000);
            snapshot = h.snapshot(1L, 5000L);
        }
        try (var restored = harness(snapshot)) {
            restored.processElement(Events.view("c1", "e1", 1000, "p1"), 1000);
            restored.processElement(Events.view("c1", "e3", 4000, "p3"), 4000);
            assertEquals(List.of("e3"), ids(restored));
        }
    }
}
