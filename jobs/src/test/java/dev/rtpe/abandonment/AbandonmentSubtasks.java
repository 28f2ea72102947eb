package dev.rtpe.abandonment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

import dev.rtpe.common.ShopperEvent;

/**
 * The cart abandonment operator at a given parallelism, as the job runs it: each event goes to the
 * subtask that owns its customer's key group, and every watermark goes to every subtask, as a
 * keyed exchange does after the watermark has been combined over the inputs.
 */
final class AbandonmentSubtasks implements AutoCloseable {
    private static final int MAX_PARALLELISM = 128; // Flink's default for small parallelism
    private final List<AbandonmentHarness> subtasks = new ArrayList<>();
    private final Set<Integer> receiving = new HashSet<>();

    AbandonmentSubtasks(int parallelism, String... flags) throws Exception {
        for (int i = 0; i < parallelism; i++) {
            subtasks.add(AbandonmentHarness.open(MAX_PARALLELISM, parallelism, i, flags));
        }
    }

    void send(ShopperEvent e) throws Exception {
        int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(e.customerKey, MAX_PARALLELISM, subtasks.size());
        receiving.add(owner);
        subtasks.get(owner).send(e);
    }

    void processWatermark(long watermark) throws Exception {
        for (AbandonmentHarness h : subtasks) {
            h.processWatermark(watermark);
        }
    }

    /** Every subtask's records, subtask by subtask (each shopper's records keep their order). */
    List<AbandonmentMessage> extractOutputValues() {
        List<AbandonmentMessage> out = new ArrayList<>();
        for (AbandonmentHarness h : subtasks) {
            out.addAll(h.extractOutputValues());
        }
        return out;
    }

    /** Subtasks that were sent at least one event: so a test can tell the work was spread. */
    int subtasksWithEvents() {
        return receiving.size();
    }

    int numEventTimeTimers() {
        return subtasks.stream().mapToInt(AbandonmentHarness::numEventTimeTimers).sum();
    }

    int stateEntries() throws Exception {
        int n = 0;
        for (AbandonmentHarness h : subtasks) {
            n += h.stateEntries();
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        for (AbandonmentHarness h : subtasks) {
            h.close();
        }
    }
}
