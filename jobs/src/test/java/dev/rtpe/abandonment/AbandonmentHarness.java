package dev.rtpe.abandonment;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.runtime.operators.testutils.MockInputSplitProvider;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.CustomerKey;
import dev.rtpe.common.ShopperEvent;

/**
 * The cart abandonment operator on RocksDB, as the job runs it (without the quiet clock: event time
 * moves only with the watermarks a test sends), with its counters and state size at hand.
 */
final class AbandonmentHarness extends KeyedOneInputStreamOperatorTestHarness<String, ShopperEvent, AbandonmentMessage> {
    private final OperatorMetrics metrics;
    private final MockEnvironment environment;
    private long checkpoint;

    /** The task's metric group hands every operator the same intercepting group, so a test can read counters. */
    private static final class OperatorMetrics extends UnregisteredMetricGroups.UnregisteredTaskMetricGroup {
        final InterceptingOperatorMetricGroup operator = new InterceptingOperatorMetricGroup();

        @Override
        public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> variables) {
            return operator;
        }
    }

    private AbandonmentHarness(AbandonmentConfig config, OperatorMetrics metrics, MockEnvironment environment) throws Exception {
        super(new CachingKeyedProcessOperator<>(new CartAbandonment(config)), new CustomerKey(), Types.STRING, environment);
        this.metrics = metrics;
        this.environment = environment;
    }

    static AbandonmentHarness open(String... flags) throws Exception {
        return open(1, 1, 0, flags);
    }

    /** One subtask of {@code parallelism}, owning its share of {@code maxParallelism} key groups. */
    static AbandonmentHarness open(int maxParallelism, int parallelism, int subtask, String... flags) throws Exception {
        OperatorMetrics metrics = new OperatorMetrics();
        MockEnvironment env = new MockEnvironmentBuilder()
                .setTaskName("MockTask")
                .setManagedMemorySize(3 * 1024 * 1024)
                .setInputSplitProvider(new MockInputSplitProvider())
                .setBufferSize(1024)
                .setMaxParallelism(maxParallelism)
                .setParallelism(parallelism)
                .setSubtaskIndex(subtask)
                .setMetricGroup(metrics)
                .build();
        AbandonmentHarness h = new AbandonmentHarness(AbandonmentConfig.fromArgs(flags), metrics, env);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        return h;
    }

    /** A counter registered directly on the operator's group (not one with a stage or reason); 0 if never registered. */
    long counter(String name) {
        Counter c = (Counter) metrics.operator.get(name);
        return c == null ? 0 : c.getCount();
    }

    /** Shoppers with state in RocksDB, after the state cache has written back what it holds, as before a checkpoint. */
    int stateEntries() throws Exception {
        prepareSnapshotPreBarrier(++checkpoint);
        return numKeyedStateEntries();
    }

    /**
     * The harness counts entries of the heap backend only. On RocksDB this counts the keys of the
     * operator's one state, "cart" (counting every column family would also count timers, whose
     * deletions RocksDB applies in batches).
     */
    @Override
    public int numKeyedStateEntries() {
        KeyedStateBackend<?> backend = ((AbstractStreamOperator<?>) getOperator()).getKeyedStateBackend();
        try (Stream<?> keys = backend.getKeys("cart", VoidNamespace.INSTANCE)) {
            return (int) keys.count();
        }
    }

    void send(ShopperEvent e) throws Exception {
        processElement(e, e.eventTime);
    }

    void send(List<ShopperEvent> events) throws Exception {
        for (ShopperEvent e : events) {
            send(e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            environment.close();
        }
    }
}
