package dev.rtpe.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The cache must never lose a write: not when it evicts, and not across a checkpoint and restore. */
class WriteBackCacheTest {

    /** Counts events per key, in a cached long. */
    static final class CountPerKey extends KeyedProcessFunction<String, String, String>
            implements CachingKeyedProcessOperator.CachedFunction {
        private final int capacity;
        private transient WriteBackCache<long[]> counts;

        CountPerKey(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public Iterable<WriteBackCache<?>> writeBackCaches() {
            return List.<WriteBackCache<?>>of(counts);
        }

        @Override
        public void open(OpenContext openContext) {
            counts = WriteBackCache.of(getRuntimeContext(), "count", Duration.ofDays(1), new CompactValueState.Codec<>() {
                @Override
                public void write(long[] v, CompactState.Writer out) {
                    out.putLong(v[0]);
                }

                @Override
                public long[] read(CompactState.Reader in) {
                    return new long[] {in.getLong()};
                }
            }, capacity);
        }

        @Override
        public void processElement(String key, Context ctx, Collector<String> out) throws Exception {
            long[] c = counts.value();
            c = c == null ? new long[] {1} : new long[] {c[0] + 1};
            counts.update(c);
            out.collect(key + "=" + c[0]);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(int capacity, OperatorSubtaskState restore)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, String, String>(
                new CachingKeyedProcessOperator<>(new CountPerKey(capacity)), k -> k, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    @Test
    void anEvictedValueIsWrittenBackAndReadAgain() throws Exception {
        try (var h = harness(1, null)) {
            for (String k : List.of("a", "b", "a", "b", "c", "a")) {
                h.processElement(k, 0);
            }
            assertEquals(List.of("a=1", "b=1", "a=2", "b=2", "c=1", "a=3"), h.extractOutputValues());
        }
    }

    @Test
    void aCheckpointHoldsEveryCachedWrite() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness(100, null)) {
            for (String k : List.of("a", "a", "b")) {
                h.processElement(k, 0);
            }
            // The runtime's order at a checkpoint: pre-barrier work first, then the snapshot.
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 1);
        }
        try (var restored = harness(100, snapshot)) {
            restored.processElement("a", 0);
            restored.processElement("b", 0);
            assertEquals(List.of("a=3", "b=2"), restored.extractOutputValues());
        }
    }
}
