package dev.rtpe.testing;

import java.util.stream.Stream;

import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * Counts the keys that hold a value in an operator's keyed states, on RocksDB.
 *
 * <p>The harnesses' own {@code numKeyedStateEntries()} only works on the heap backend: in Flink
 * 2.2.0 it throws {@code UnsupportedOperationException} for {@code EmbeddedRocksDBStateBackend}. So
 * this asks the backend for the keys of each named state, after flushing the operator's write-back
 * caches the way a checkpoint would, so that what is counted is what RocksDB holds.
 */
public final class KeyedStateEntries {
    private KeyedStateEntries() {}

    public static long count(AbstractStreamOperatorTestHarness<?> harness, String... stateNames) throws Exception {
        harness.prepareSnapshotPreBarrier(Long.MAX_VALUE);
        KeyedStateBackend<Object> backend = harness.getOperator().getKeyedStateBackend();
        long n = 0;
        for (String name : stateNames) {
            try (Stream<Object> keys = backend.getKeys(name, VoidNamespace.INSTANCE)) {
                n += keys.count();
            }
        }
        return n;
    }
}
