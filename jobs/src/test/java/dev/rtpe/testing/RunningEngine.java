package dev.rtpe.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.rtpe.abandonment.AbandonmentConfig;
import dev.rtpe.abandonment.AbandonmentJob;
import dev.rtpe.common.EngineJob;
import dev.rtpe.devkit.ConsumerLag;
import dev.rtpe.devkit.TopicSnapshot;
import dev.rtpe.ingest.IngestConfig;
import dev.rtpe.ingest.IngestJob;
import dev.rtpe.local.RetainedCheckpoints;
import dev.rtpe.metrics.MetricsConfig;
import dev.rtpe.metrics.MetricsJob;

/**
 * Ingest, abandonment and metrics as deployed, each its own Flink job on the test's MiniCluster,
 * talking through a real broker on topics of their own ({@code <name>-browse-events} and so on), with
 * checkpoints every second kept under a folder so that any job can be stopped and resumed.
 */
public final class RunningEngine implements AutoCloseable {
    public final String name;
    private final KafkaBroker kafka;
    private final Path checkpoints;
    private final int parallelism;
    private final List<String> abandonmentFlags;
    private final List<JobClient> started = new ArrayList<>();

    public RunningEngine(KafkaBroker kafka, String name, Path checkpoints, int parallelism, String... abandonmentFlags) {
        this.kafka = kafka;
        this.name = name;
        this.checkpoints = checkpoints;
        this.parallelism = parallelism;
        this.abandonmentFlags = List.of(abandonmentFlags);
    }

    public String topic(String topic) {
        return name + "-" + topic;
    }

    /** Creates the topics, with several partitions each for the inputs. */
    public void createTopics(int inputPartitions) {
        kafka.createTopics(topic("browse-events") + ":" + inputPartitions, topic("cart-events") + ":" + inputPartitions,
                topic("shopper-events") + ":4", topic("cart-abandonment-triggers") + ":2", topic("recommendations") + ":2", topic("rec-evaluations") + ":2",
                topic("conversion-metrics") + ":2", topic("dead-letter") + ":1");
    }

    public IngestJob ingest() {
        return new IngestJob(IngestConfig.fromArgs(common("ingest", "--browse-topic", topic("browse-events"),
                "--cart-topic", topic("cart-events"), "--events-topic", topic("shopper-events"))));
    }

    public AbandonmentJob abandonment() {
        List<String> flags = new ArrayList<>(List.of(common("abandonment", "--events-topic", topic("shopper-events"),
                "--triggers-topic", topic("cart-abandonment-triggers"), "--transactional-id-prefix", name + "-abandonment")));
        flags.addAll(abandonmentFlags);
        return new AbandonmentJob(AbandonmentConfig.fromArgs(flags.toArray(new String[0])));
    }

    public MetricsConfig metricsConfig() {
        // No recommendations job here, so no hit-rate input: its clock would hold event time back for ever.
        return MetricsConfig.fromArgs(common("metrics", "--events-topic", topic("shopper-events"),
                "--evaluations-topic", "", "--metrics-topic", topic("conversion-metrics")));
    }

    public MetricsJob metrics() {
        return new MetricsJob(metricsConfig());
    }

    private String[] common(String job, String... more) {
        List<String> flags = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--group-id", groupOf(job),
                "--dead-letter-topic", topic("dead-letter"), "--checkpoint-interval", "1s", "--parallelism", String.valueOf(parallelism),
                "--checkpoint-dir", checkpointDir(job).toUri().toString()));
        flags.addAll(List.of(more));
        return flags.toArray(new String[0]);
    }

    public String groupOf(String job) {
        return name + "-" + job;
    }

    private Path checkpointDir(String job) {
        return checkpoints.resolve(job);
    }

    public JobClient start(EngineJob job) throws Exception {
        return start(job, false);
    }

    /** Starts the job, from its last retained checkpoint when {@code resume}. */
    public JobClient start(EngineJob job, boolean resume) throws Exception {
        Configuration config = job.settings().flinkConfiguration();
        if (resume) {
            Path from = RetainedCheckpoints.latest(checkpointDir(job.name()))
                    .orElseThrow(() -> new IllegalStateException("no retained checkpoint of " + job.name()));
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, from.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(parallelism);
        job.build(env);
        JobClient client = env.executeAsync(name + "-" + job.name());
        started.add(client);
        return client;
    }

    /** Cancels every job this started that still runs, so the next test has the cluster's slots. */
    @Override
    public void close() throws Exception {
        for (JobClient job : started) {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
    }

    /**
     * Waits until ingest has committed all its input, and then until the downstream jobs have
     * committed everything ingest had written by then. Ingest goes on writing its watermarks, so
     * "the end of shopper-events" is a snapshot, not zero lag.
     */
    public void awaitInputProcessed(Duration timeout, EngineJob... downstream) throws Exception {
        List<ConsumerLag.Stage> chain = new ArrayList<>(List.of(
                new ConsumerLag.Stage(groupOf("ingest"), List.of(topic("browse-events"), topic("cart-events")))));
        for (EngineJob job : downstream) {
            chain.add(new ConsumerLag.Stage(groupOf(job.name()), List.of(topic("shopper-events"))));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConsumerLag.awaitChain(admin, chain, timeout);
        }
    }

    /** Triggers as a messaging service reads them (read_committed), without the wall-clock emitted_at. */
    public List<JsonNode> triggers(String isolationLevel) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(kafka.bootstrapServers(), topic("cart-abandonment-triggers"),
                isolationLevel)) {
            ObjectNode json = (ObjectNode) Contracts.JSON.readTree(r.value());
            List<String> violations = Contracts.violations("cart-abandonment-triggers", json);
            if (!violations.isEmpty()) {
                throw new AssertionError(json + ": " + violations);
            }
            json.remove("emitted_at");
            out.add(json);
        }
        return out;
    }

    public List<ConsumerRecord<byte[], byte[]>> shopperEvents() throws Exception {
        return TopicSnapshot.read(kafka.bootstrapServers(), topic("shopper-events"), "read_uncommitted");
    }
}
