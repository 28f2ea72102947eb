package dev.rtpe.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source that emits a fixed list and then stays open, so that the job is still running when a
 * savepoint is taken of it: {@code fromData} would finish, and a finishing source ends event time
 * (fires every timer) and the job. {@link #awaitEmitted} waits until the last element has left the
 * source; a savepoint's barrier comes after it, so the savepoint holds the state of every element.
 *
 * <p>Run it at parallelism 1 (one split, on subtask 0). The elements stay in this JVM, as
 * {@link CollectingSink}'s results do (MiniCluster runs in the test JVM), so they need not be
 * serializable. Its state is only that it has its split: restored from a savepoint, a source with
 * the same uid emits its own list, the next run's input, from the start.
 */
public final class HeldOpenSource<T> implements Source<T, HeldOpenSource.Split, Boolean> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<?>> ELEMENTS = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> EMITTED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public HeldOpenSource(List<T> elements) {
        ELEMENTS.put(id, List.copyOf(elements));
        EMITTED.put(id, new CountDownLatch(1));
    }

    /** Waits until the source has emitted its last element. */
    public void awaitEmitted(Duration timeout) throws InterruptedException {
        if (!EMITTED.get(id).await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the source did not emit its " + ELEMENTS.get(id).size() + " elements within " + timeout);
        }
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, Split> createReader(SourceReaderContext context) {
        @SuppressWarnings("unchecked")
        List<T> elements = (List<T>) ELEMENTS.get(id);
        return new Reader<>(elements, EMITTED.get(id));
    }

    @Override
    public SplitEnumerator<Split, Boolean> createEnumerator(SplitEnumeratorContext<Split> context) {
        return new Enumerator(context, false);
    }

    @Override
    public SplitEnumerator<Split, Boolean> restoreEnumerator(SplitEnumeratorContext<Split> context, Boolean assigned) {
        return new Enumerator(context, assigned);
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Split split) {
                return new byte[0];
            }

            @Override
            public Split deserialize(int version, byte[] serialized) {
                return new Split();
            }
        };
    }

    @Override
    public SimpleVersionedSerializer<Boolean> getEnumeratorCheckpointSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Boolean assigned) {
                return new byte[] {(byte) (assigned ? 1 : 0)};
            }

            @Override
            public Boolean deserialize(int version, byte[] serialized) {
                return serialized[0] == 1;
            }
        };
    }

    /** The one split: the list. */
    public static final class Split implements SourceSplit {
        @Override
        public String splitId() {
            return "elements";
        }
    }

    private static final class Enumerator implements SplitEnumerator<Split, Boolean> {
        private final SplitEnumeratorContext<Split> context;
        private boolean assigned;

        Enumerator(SplitEnumeratorContext<Split> context, boolean assigned) {
            this.context = context;
            this.assigned = assigned;
        }

        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<Split> splits, int subtaskId) {
            assigned = false; // the reader failed before a checkpoint had its split: it gets it again
        }

        @Override
        public void addReader(int subtaskId) {
            if (!assigned && subtaskId == 0) {
                context.assignSplit(new Split(), 0);
                assigned = true;
            }
        }

        @Override
        public Boolean snapshotState(long checkpointId) {
            return assigned;
        }

        @Override
        public void close() {}
    }

    private static final class Reader<T> implements SourceReader<T, Split> {
        private final List<T> elements;
        private final CountDownLatch emitted;
        private final CompletableFuture<Void> splitArrived = new CompletableFuture<>();
        /** Completed never: after the last element there is nothing more, ever. */
        private final CompletableFuture<Void> never = new CompletableFuture<>();
        private boolean hasSplit;
        private int next;

        Reader(List<T> elements, CountDownLatch emitted) {
            this.elements = elements;
            this.emitted = emitted;
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) {
            if (!hasSplit || next >= elements.size()) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            output.collect(elements.get(next++));
            if (next < elements.size()) {
                return InputStatus.MORE_AVAILABLE;
            }
            emitted.countDown();
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            if (!hasSplit) {
                return splitArrived;
            }
            return next < elements.size() ? CompletableFuture.completedFuture(null) : never;
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            return hasSplit ? List.of(new Split()) : List.of();
        }

        @Override
        public void addSplits(List<Split> splits) {
            if (!splits.isEmpty()) {
                hasSplit = true;
                if (elements.isEmpty()) {
                    emitted.countDown();
                }
                splitArrived.complete(null);
            }
        }

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }
}
