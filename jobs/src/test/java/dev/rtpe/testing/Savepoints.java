package dev.rtpe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import dev.rtpe.common.EventTime;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.StateTtl;

/**
 * Savepoints of the jobs for the savepoint compatibility tests: taken on a MiniCluster from
 * {@link SavepointFixture}, committed under {@code jobs/src/test/savepoints/<job>/}, read back
 * with the State Processor API and restored into the jobs.
 *
 * <p>To take them again with today's code (after a deliberate, compatible-or-not change of state;
 * the commit should say which):
 * <pre>
 * cd jobs && mvn -o test -Dtest='*SavepointCompatibilityTest' -Drtpe.savepoints.regenerate=true
 * </pre>
 */
public final class Savepoints {
    private Savepoints() {}

    /** The uid of the fixture source: the same in the run that takes a savepoint and the runs restored from it. */
    public static final String SOURCE_UID = "savepoint-fixture-events";
    /**
     * For reading and restoring the committed savepoints: the state's TTL is processing time, so
     * with the jobs' own TTLs (30 to 365 days) the committed state would expire while it sits in git.
     * The TTL's length is no part of the state's format, so a longer one restores the same bytes.
     */
    public static final Duration LONG_TTL = Duration.ofDays(36_500);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** Where the committed savepoint of a job is: {@code jobs/src/test/savepoints/<job>}. */
    public static Path committed(String job) {
        return Path.of(System.getProperty("rtpe.savepoints.dir", "src/test/savepoints")).resolve(job);
    }

    /** Takes a job's savepoint from the fixture into a folder. */
    @FunctionalInterface
    public interface Taker {
        Path take(Path dir) throws Exception;
    }

    private static final java.util.Set<String> REGENERATED = new java.util.HashSet<>();

    /**
     * The committed savepoint of {@code job}; with {@code -Drtpe.savepoints.regenerate=true}, first
     * taken again (once per run) and committed.
     */
    public static synchronized Path committedOrTaken(String job, Path tmp, Taker taker) throws Exception {
        if (regenerating() && REGENERATED.add(job)) {
            commit(taker.take(java.nio.file.Files.createDirectories(tmp.resolve("regenerate"))), job);
        }
        Path committed = committed(job);
        if (!java.nio.file.Files.isRegularFile(committed.resolve("_metadata"))) {
            throw new AssertionError("no committed savepoint at " + committed.toAbsolutePath()
                    + "; take it with -Drtpe.savepoints.regenerate=true");
        }
        return committed;
    }

    /** An environment at parallelism 2 that starts the job from a copy of {@code savepoint}, with the job's settings. */
    public static StreamExecutionEnvironment restoredEnvironment(dev.rtpe.common.JobSettings job, Path savepoint, Path tmp)
            throws Exception {
        Path copy = copyOf(savepoint, java.nio.file.Files.createDirectory(tmp.resolve("restore")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                restoringFrom(job.flinkConfiguration(), copy));
        env.setParallelism(2);
        return env;
    }

    /** Whether this run takes the committed savepoints again ({@code -Drtpe.savepoints.regenerate=true}). */
    public static boolean regenerating() {
        return Boolean.getBoolean("rtpe.savepoints.regenerate");
    }

    /**
     * The events as the jobs get them, with event time: a watermark after each event (its time
     * minus the engine's 5 s out-of-orderness), so that where event time stands when the savepoint
     * is taken does not depend on a periodic timer.
     */
    public static DataStream<ShopperEvent> events(StreamExecutionEnvironment env, HeldOpenSource<ShopperEvent> source) {
        return env.fromSource(source, afterEachEvent(EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS), "fixture events",
                        TypeInformation.of(ShopperEvent.class))
                .setParallelism(1).uid(SOURCE_UID);
    }

    private static WatermarkStrategy<ShopperEvent> afterEachEvent(Duration outOfOrderness) {
        long bound = outOfOrderness.toMillis();
        return WatermarkStrategy.<ShopperEvent>forGenerator(ctx -> new WatermarkGenerator<>() {
            private long max = Long.MIN_VALUE + bound + 1;

            @Override
            public void onEvent(ShopperEvent e, long timestamp, WatermarkOutput output) {
                max = Math.max(max, e.eventTime);
                output.emitWatermark(new Watermark(max - bound - 1));
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {}
        }).withTimestampAssigner((e, ts) -> e.eventTime);
    }

    /**
     * Runs the job built on {@code env} until its source has emitted everything, then stops it
     * with a savepoint (canonical format) under {@code parent}; returns the savepoint's directory.
     */
    public static Path stopWithSavepoint(StreamExecutionEnvironment env, HeldOpenSource<?> source, String jobName, Path parent)
            throws Exception {
        JobClient job = env.executeAsync(jobName);
        try {
            source.awaitEmitted(TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                try {
                    String location = job.stopWithSavepoint(false, parent.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    job.getJobExecutionResult().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    return Path.of(URI.create(location));
                } catch (ExecutionException e) {
                    // The source runs as soon as it is deployed; the savepoint needs every task running.
                    if (!notAllTasksRunning(e) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100); // polling a condition: all tasks running
                }
            }
        } catch (Exception e) {
            job.cancel();
            throw e;
        }
    }

    /**
     * Waits for {@code output} of a job restored from a savepoint. Fails at once when the job fails
     * or restarts instead (a restore that cannot read its state does either), with the cause when
     * there is one.
     */
    public static <T> T await(JobClient job, Supplier<Optional<T>> output, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<T> found = output.get();
            if (found.isPresent()) {
                return found.get();
            }
            JobStatus status = job.getJobStatus().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (status.isGloballyTerminalState() || status == JobStatus.FAILING || status == JobStatus.RESTARTING) {
                throw new AssertionError("the restored job is " + status + ", and no " + what + " came", failureOf(job, status));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + TIMEOUT);
            }
            Thread.sleep(50); // polling a condition
        }
    }

    /** Cancels a job still running; one that already ended (failed) is left as it is, so its failure is what the test reports. */
    public static void cancel(JobClient job) throws Exception {
        if (!job.getJobStatus().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isGloballyTerminalState()) {
            job.cancel().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static Throwable failureOf(JobClient job, JobStatus status) {
        if (status != JobStatus.FAILED) {
            return null; // restarting: the cause is in the log
        }
        try {
            job.getJobExecutionResult().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static boolean notAllTasksRunning(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Not all required tasks are currently running")) {
                return true;
            }
        }
        return false;
    }

    /** Replaces the committed savepoint of {@code job} with {@code taken} (its files; the paths inside are relative). */
    public static void commit(Path taken, String job) throws IOException {
        Path target = committed(job);
        deleteRecursively(target);
        copyRecursively(taken, target);
    }

    /** A copy to restore from: a job restored from a savepoint must not touch the committed files. */
    public static Path copyOf(Path savepoint, Path into) throws IOException {
        Path copy = into.resolve(savepoint.getFileName());
        copyRecursively(savepoint, copy);
        return copy;
    }

    /** Starts the job from {@code savepoint}; every state in it must find its operator. */
    public static Configuration restoringFrom(Configuration c, Path savepoint) {
        c.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toUri().toString());
        c.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        c.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.NO_CLAIM);
        return c;
    }

    /** One key's value in a keyed {@code byte[]} state, and the key's event-time timers. */
    public record SavedValue(byte[] bytes, List<Long> eventTimeTimers) {}

    /**
     * The keyed {@code byte[]} value state {@code stateName} of the operator {@code uid}, as the
     * State Processor API reads it from the savepoint with RocksDB: key → value and timers.
     */
    public static Map<String, SavedValue> readValueState(Path savepoint, String uid, String stateName) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        SavepointReader reader = SavepointReader.read(env, savepoint.toUri().toString(), new EmbeddedRocksDBStateBackend());
        TypeInformation<Tuple3<String, byte[], long[]>> type = Types.TUPLE(Types.STRING,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        DataStream<Tuple3<String, byte[], long[]>> values =
                reader.readKeyedState(OperatorIdentifier.forUid(uid), new ValueReader(stateName), Types.STRING, type);
        Map<String, SavedValue> out = new TreeMap<>();
        try (CloseableIterator<Tuple3<String, byte[], long[]>> it = values.executeAndCollect("read " + uid + " " + stateName)) {
            while (it.hasNext()) {
                Tuple3<String, byte[], long[]> t = it.next();
                List<Long> timers = new ArrayList<>();
                for (long l : t.f2) {
                    timers.add(l);
                }
                timers.sort(Comparator.naturalOrder());
                out.put(t.f0, new SavedValue(t.f1, timers));
            }
        }
        return out;
    }

    /** Reads a {@code byte[]} value state declared as the jobs declare it ({@code CompactValueState}): with TTL. */
    private static final class ValueReader extends KeyedStateReaderFunction<String, Tuple3<String, byte[], long[]>> {
        private static final long serialVersionUID = 1L;
        private final String stateName;
        private transient ValueState<byte[]> state;

        ValueReader(String stateName) {
            this.stateName = stateName;
        }

        @Override
        public void open(OpenContext openContext) {
            ValueStateDescriptor<byte[]> d = new ValueStateDescriptor<>(stateName, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            d.enableTimeToLive(StateTtl.refreshedOnWrite(LONG_TTL));
            state = getRuntimeContext().getState(d);
        }

        @Override
        public void readKey(String key, Context ctx, Collector<Tuple3<String, byte[], long[]>> out) throws Exception {
            byte[] bytes = state.value();
            if (bytes != null) {
                out.collect(Tuple3.of(key, bytes, ctx.registeredEventTimeTimers().stream().mapToLong(Long::longValue).toArray()));
            }
        }
    }

    /** Total size of the files of a savepoint, for keeping the committed ones small. */
    public static long sizeOf(Path savepoint) throws IOException {
        try (Stream<Path> files = Files.walk(savepoint)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
