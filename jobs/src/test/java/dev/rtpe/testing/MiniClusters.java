package dev.rtpe.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import dev.rtpe.common.JobSettings;

/** A MiniCluster sized for a 2-core machine, and job environments with the production settings. */
public final class MiniClusters {
    private MiniClusters() {}

    public static MiniClusterExtension twoSlots() {
        return slots(2);
    }

    /** One slot per job at parallelism 1 (a job's operators share a slot). */
    public static MiniClusterExtension slots(int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .build());
    }

    /** Two TaskManagers with {@code slotsEach} slots: room for several jobs at parallelism 2. */
    public static MiniClusterExtension twoTaskManagers(int slotsEach) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(2)
                .setNumberSlotsPerTaskManager(slotsEach)
                .build());
    }

    /**
     * The environment a job gets in production (RocksDB, checkpoints, no Kryo, uids required),
     * running on the test's MiniCluster.
     */
    public static StreamExecutionEnvironment productionLikeEnvironment(JobSettings settings) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(settings.flinkConfiguration());
        env.setParallelism(settings.parallelism > 0 ? settings.parallelism : 2);
        return env;
    }
}
