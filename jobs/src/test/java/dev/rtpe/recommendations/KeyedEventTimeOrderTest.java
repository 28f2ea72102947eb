package dev.rtpe.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.rtpe.testing.KeyedStateEntries;

class KeyedEventTimeOrderTest {
    private static KeyedOneInputStreamOperatorTestHarness<String, ProductTouch, ProductTouch> unopened() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new KeyedEventTimeOrder<>(ProductTouch.ORDER, TypeInformation.of(ProductTouch.class))),
                (ProductTouch t) -> t.productId, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ProductTouch, ProductTouch> harness() throws Exception {
        var h = unopened();
        h.open();
        return h;
    }

    private static ProductTouch touch(String product, String customer, long seq, int index, long time) {
        ProductTouch t = new ProductTouch();
        t.productId = product;
        t.eventTime = time;
        t.causeEventId = customer + "#" + seq + "." + index;
        t.emission = new Emission(customer, seq, index);
        return t;
    }

    private static List<String> released(KeyedOneInputStreamOperatorTestHarness<String, ProductTouch, ProductTouch> h) {
        return h.extractOutputValues().stream().map(t -> t.productId + ":" + t.causeEventId).toList();
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, ProductTouch, ProductTouch> h, ProductTouch t) throws Exception {
        h.processElement(t, t.eventTime);
    }

    @Test
    void eachKeysRecordsGoOnInTimeThenEmissionOrderOnceTheWatermarkPasses() throws Exception {
        try (var h = harness()) {
            send(h, touch("P", "c:b", 1, 0, 2_000));
            send(h, touch("P", "c:b", 1, 1, 1_000)); // arrives first from its instance, but is later in time
            send(h, touch("P", "c:a", 7, 2, 1_000));
            send(h, touch("P", "c:a", 7, 1, 1_000)); // same shopper and event: by index
            send(h, touch("Q", "c:a", 3, 0, 1_000));
            assertThat(released(h)).isEmpty();

            h.processWatermark(1_000);
            assertThat(released(h)).containsExactlyInAnyOrder("P:c:a#7.1", "P:c:a#7.2", "P:c:b#1.1", "Q:c:a#3.0");
            assertThat(released(h).stream().filter(s -> s.startsWith("P:")))
                    .containsExactly("P:c:a#7.1", "P:c:a#7.2", "P:c:b#1.1");
            h.processWatermark(2_000);
            assertThat(released(h)).endsWith("P:c:b#1.0");
        }
    }

    @Test
    void aRecordReleasedCarriesItsOwnTime() throws Exception {
        try (var h = harness()) {
            send(h, touch("P", "c:a", 1, 0, 1_500));
            h.processWatermark(9_000);
            assertThat(h.getOutput()).first().isInstanceOfSatisfying(StreamRecord.class,
                    r -> assertThat(r.getTimestamp()).isEqualTo(1_500));
        }
    }

    @Test
    void aLateRecordGoesOnAtOnce() throws Exception {
        try (var h = harness()) {
            h.processWatermark(5_000);
            send(h, touch("P", "c:a", 1, 0, 5_000));
            send(h, touch("P", "c:a", 2, 0, 4_000));
            assertThat(released(h)).containsExactly("P:c:a#1.0", "P:c:a#2.0");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void nothingIsLeftOnceEverythingIsReleased() throws Exception {
        try (var h = harness()) {
            send(h, touch("P", "c:a", 1, 0, 1_000));
            send(h, touch("P", "c:b", 1, 0, 1_000));
            send(h, touch("Q", "c:a", 2, 0, 3_000));
            assertThat(h.numEventTimeTimers()).isEqualTo(2);
            assertThat(KeyedStateEntries.count(h, "held-by-time")).isEqualTo(2);

            h.processWatermark(3_000);
            assertThat(released(h)).hasSize(3);
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(KeyedStateEntries.count(h, "held-by-time")).isZero();
        }
    }

    @Test
    void heldRecordsSurviveARestore() throws Exception {
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState snapshot;
        try (var h = harness()) {
            send(h, touch("P", "c:b", 1, 0, 1_000));
            send(h, touch("P", "c:a", 1, 0, 1_000));
            snapshot = h.snapshot(1, 1);
        }
        var restored = unopened();
        restored.initializeState(snapshot);
        restored.open();
        try (restored) {
            restored.processWatermark(1_000);
            assertThat(released(restored)).containsExactly("P:c:a#1.0", "P:c:b#1.0");
        }
    }
}
