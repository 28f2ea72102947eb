package dev.rtpe.common;

import java.io.Serializable;
import java.time.Duration;
import java.util.Properties;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What every job shares: where Kafka is, and how state and checkpoints are kept. Each job's own
 * config object holds one of these.
 */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    /**
     * Each checkpoint briefly stalls the stream (RocksDB flushes its memtables synchronously), so the
     * at-least-once jobs checkpoint every 30 s: a recovery replays at most that much, and repeats are
     * dropped by event_id downstream.
     */
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);
    /** Fixed up front: it decides key groups, and changing it breaks savepoint compatibility. */
    public static final int MAX_PARALLELISM = 128;

    public final String bootstrapServers;
    public final Duration checkpointInterval;
    /** Null: use the cluster's {@code execution.checkpointing.dir}. */
    public final String checkpointDir;
    /** 0: use the cluster's default parallelism. */
    public final int parallelism;
    /**
     * How long a network buffer between operators may wait to fill before it is sent. Flink's 100 ms
     * default costs up to 100 ms per shuffle at low rates; recommendations take four shuffles.
     */
    public final Duration bufferTimeout;

    public static final Duration DEFAULT_BUFFER_TIMEOUT = Duration.ofMillis(5);
    /**
     * How long a sink's producer waits to fill a batch ({@code linger.ms}), and how large a batch
     * may grow ({@code batch.size}). Kafka's defaults: short enough for the latency target, and a
     * busy sink fills its batches before the linger runs out anyway.
     */
    public final Duration producerLinger;
    public final int producerBatchSize;

    public static final Duration DEFAULT_PRODUCER_LINGER = Duration.ofMillis(5);
    public static final int DEFAULT_PRODUCER_BATCH_SIZE = 16 * 1024;

    public JobSettings(String bootstrapServers, Duration checkpointInterval, String checkpointDir, int parallelism) {
        this(bootstrapServers, checkpointInterval, checkpointDir, parallelism, DEFAULT_BUFFER_TIMEOUT,
                DEFAULT_PRODUCER_LINGER, DEFAULT_PRODUCER_BATCH_SIZE);
    }

    public JobSettings(String bootstrapServers, Duration checkpointInterval, String checkpointDir, int parallelism,
                       Duration bufferTimeout, Duration producerLinger, int producerBatchSize) {
        this.bootstrapServers = bootstrapServers;
        this.checkpointInterval = checkpointInterval;
        this.checkpointDir = checkpointDir;
        this.parallelism = parallelism;
        this.bufferTimeout = bufferTimeout;
        this.producerLinger = producerLinger;
        this.producerBatchSize = producerBatchSize;
    }

    public static JobSettings from(Flags flags) {
        return from(flags, DEFAULT_CHECKPOINT_INTERVAL);
    }

    /** For a job whose checkpoint interval matters more (exactly-once output appears at checkpoints). */
    public static JobSettings from(Flags flags, Duration defaultCheckpointInterval) {
        return new JobSettings(
                flags.string("bootstrap-servers", DEFAULT_BOOTSTRAP_SERVERS),
                flags.duration("checkpoint-interval", defaultCheckpointInterval),
                flags.string("checkpoint-dir", null),
                flags.integer("parallelism", 0),
                flags.duration("buffer-timeout", DEFAULT_BUFFER_TIMEOUT),
                flags.duration("producer-linger", DEFAULT_PRODUCER_LINGER),
                positive(flags.integer("producer-batch-size", DEFAULT_PRODUCER_BATCH_SIZE), "--producer-batch-size"));
    }

    private static int positive(int value, String flag) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be a positive number of bytes, not " + value);
        }
        return value;
    }

    /** Settings for every sink's producer: compressed batches, acknowledged by all in-sync replicas. */
    public Properties producerProperties() {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(producerLinger.toMillis()));
        p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(producerBatchSize));
        p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    /** The Flink settings every job runs with; see the README's "Operating the jobs". */
    public Configuration flinkConfiguration() {
        Configuration c = new Configuration();
        c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        // Most state reads are point lookups, many for keys that do not exist yet (new event ids):
        // bloom filters let RocksDB skip files instead of searching them.
        c.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        // Kept on cancel, so a stopped job can be resumed from its last checkpoint.
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (checkpointDir != null) {
            c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        // Fail at submission rather than run slowly: no Kryo fallback, no operator without a uid.
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        c.set(PipelineOptions.MAX_PARALLELISM, MAX_PARALLELISM);
        // Our functions never keep a reference to an input record, so chained operators may share it.
        c.set(PipelineOptions.OBJECT_REUSE, true);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        c.set(ExecutionOptions.BUFFER_TIMEOUT, bufferTimeout);
        return c;
    }

    public StreamExecutionEnvironment createEnvironment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration());
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        return env;
    }
}
