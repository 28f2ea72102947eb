package dev.rtpe.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import dev.rtpe.abandonment.AbandonmentConfig;
import dev.rtpe.abandonment.AbandonmentJob;
import dev.rtpe.ceiling.CeilingJobs;
import dev.rtpe.common.EngineJob;
import dev.rtpe.common.Flags;
import dev.rtpe.ingest.IngestConfig;
import dev.rtpe.ingest.IngestJob;
import dev.rtpe.metrics.MetricsConfig;
import dev.rtpe.metrics.MetricsJob;
import dev.rtpe.recommendations.RecommendationsConfig;
import dev.rtpe.recommendations.RecommendationsJob;

/**
 * Runs the engine's jobs on one local Flink cluster in this JVM, with the Flink Web UI, RocksDB state
 * and checkpoints under a local folder. Each job is submitted as it would be to a real cluster.
 */
public final class LocalEngine {
    private LocalEngine() {}

    /**
     * Flags for the local cluster, then optionally {@code --} and flags every job gets (for example
     * {@code -- --buffer-timeout 100ms}).
     */
    public static void main(String[] args) throws Exception {
        int separator = java.util.Arrays.asList(args).indexOf("--");
        String[] jobArgs = separator < 0 ? new String[0] : java.util.Arrays.copyOfRange(args, separator + 1, args.length);
        Flags flags = Flags.parse(separator < 0 ? args : java.util.Arrays.copyOfRange(args, 0, separator));
        int uiPort = flags.integer("ui-port", 8081);
        String bootstrap = flags.string("bootstrap-servers", "localhost:9092");
        Path stateDir = Path.of(flags.string("state-dir", ".local/flink")).toAbsolutePath();
        String logFile = flags.string("log-file", null);
        // One instance per operator: on a 2-core machine more instances only compete for the same cores.
        int parallelism = flags.integer("parallelism", 1);
        String managedMemory = flags.string("managed-memory", "1536m");
        // Short stages locally, so a newcomer sees triggers within minutes rather than after 30 min.
        String abandonmentStages = flags.string("abandonment-stages", "2min,15min");
        // Off: event time only from the data, for runs that must give the same numbers every time (scripts/evaluate.sh).
        String quietClock = flags.string("quiet-clock", "true");
        // event-time for scripts/evaluate.sh: the same lists every run, whichever input topic is read first.
        String recommendationsOrder = flags.string("recommendations-event-order", "arrival");
        // scripts/bench.sh runs its reference jobs on the same kind of cluster: --jobs passthrough or reference.
        String which = flags.string("jobs", "engine");
        flags.rejectUnknown();

        if (!isFree(uiPort)) {
            System.err.println("ERROR: port " + uiPort + " (Flink Web UI) is already in use. Stop whatever listens there"
                    + " (ss -ltnp 'sport = :" + uiPort + "') or pass --ui-port.");
            System.exit(2);
        }
        Files.createDirectories(stateDir);
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConfiguration(uiPort, stateDir, logFile, managedMemory))
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots(parallelism))
                .build());
        cluster.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(cluster), "flink-shutdown"));

        List<EngineJob> selected = switch (which) {
            case "engine" -> jobs(bootstrap, stateDir, parallelism, abandonmentStages, quietClock, recommendationsOrder, jobArgs);
            case "passthrough" -> List.of(CeilingJobs.passThrough(common(bootstrap, stateDir, which, parallelism, jobArgs)));
            case "reference" -> List.of(CeilingJobs.reference(common(bootstrap, stateDir, which, parallelism, jobArgs)));
            default -> throw new IllegalArgumentException("--jobs must be engine, passthrough or reference, got " + which);
        };
        for (EngineJob job : selected) {
            Configuration jobConfig = job.settings().flinkConfiguration();
            Path checkpoints = checkpointDir(stateDir, job.name());
            Optional<Path> resumeFrom = RetainedCheckpoints.latest(checkpoints);
            if (resumeFrom.isPresent()) {
                RetainedCheckpoints.pruneAllBut(checkpoints, resumeFrom.get());
                jobConfig.set(StateRecoveryOptions.SAVEPOINT_PATH, resumeFrom.get().toUri().toString());
                System.out.println("Resuming job " + job.name() + " from its retained checkpoint " + resumeFrom.get());
            } else {
                System.out.println("Starting job " + job.name() + " clean (no retained checkpoint in " + checkpoints + ")");
            }
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createRemoteEnvironment("localhost", uiPort, jobConfig);
            env.setParallelism(parallelism);
            job.build(env);
            env.executeAsync(job.name());
            System.out.println("Started job " + job.name());
        }
        System.out.println("Flink Web UI: http://localhost:" + uiPort);
        Thread.currentThread().join();
    }

    static List<EngineJob> jobs(String bootstrap, Path stateDir, int parallelism, String abandonmentStages, String quietClock,
                                String recommendationsOrder, String... extraArgs) {
        List<EngineJob> jobs = new ArrayList<>();
        jobs.add(new IngestJob(IngestConfig.fromArgs(with(common(bootstrap, stateDir, "ingest", parallelism, extraArgs),
                "--quiet-clock", quietClock))));
        jobs.add(new RecommendationsJob(RecommendationsConfig.fromArgs(with(common(bootstrap, stateDir, "recommendations", parallelism,
                extraArgs), "--event-order", recommendationsOrder))));
        jobs.add(new AbandonmentJob(AbandonmentConfig.fromArgs(with(common(bootstrap, stateDir, "abandonment", parallelism, extraArgs),
                "--stages", abandonmentStages))));
        jobs.add(new MetricsJob(MetricsConfig.fromArgs(common(bootstrap, stateDir, "metrics", parallelism, extraArgs))));
        return jobs;
    }

    private static String[] with(String[] args, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more)).toArray(String[]::new);
    }

    /** Flags every job gets, then the extra ones after {@code --} (settings every job understands, such as --buffer-timeout). */
    private static String[] common(String bootstrap, Path stateDir, String job, int parallelism, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--bootstrap-servers", bootstrap,
                "--checkpoint-dir", checkpointDir(stateDir, job).toUri().toString(),
                "--parallelism", String.valueOf(parallelism)));
        args.addAll(List.of(extraArgs));
        return args.toArray(new String[0]);
    }

    static Path checkpointDir(Path stateDir, String job) {
        return stateDir.resolve("checkpoints").resolve(job);
    }

    /** One slot per job and parallel instance (a job's operators share a slot): room for the engine's four jobs. */
    static int slots(int parallelism) {
        return 4 * parallelism;
    }

    /**
     * @param managedMemory off-heap memory for RocksDB (block cache and write buffers), shared by the
     *     slots; too little and every state read goes to disk and decompression
     */
    static Configuration clusterConfiguration(int uiPort, Path stateDir, String logFile, String managedMemory) {
        Configuration c = new Configuration();
        c.set(RestOptions.PORT, uiPort);
        c.set(RestOptions.BIND_ADDRESS, "localhost");
        c.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(managedMemory));
        // Memtables are flushed in the synchronous part of every incremental checkpoint, which
        // stalls the stream: keep them small and give the memory to the block cache instead.
        c.set(RocksDBOptions.WRITE_BUFFER_RATIO, 0.2);
        c.setString("io.tmp.dirs", stateDir.resolve("tmp").toString());
        if (logFile != null) {
            c.setString("web.log.path", logFile); // the Web UI's "Job Manager > Log" tab
        }
        return c;
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void close(MiniCluster cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException("Flink did not shut down cleanly", e));
        }
    }
}
