package dev.rtpe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class WindowTotalsTest {
    private static final int LG_K = 12;

    /**
     * Distinct visitors and sessions must not depend on the order the events came in: at parallelism
     * 2 the interleaving of partitions differs from run to run. Found by scripts/chaos.sh: two
     * fault-free runs over the same input gave visitors 524 and 525 for the same hour.
     */
    @Test
    void distinctCountsDoNotDependOnTheOrderOfTheEvents() {
        List<PaneDelta> deltas = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            PaneDelta d = new PaneDelta(Dimension.ALL, Dimension.ALL_VALUE, 0);
            d.sessionFlags = PaneDelta.ACTIVE | PaneDelta.VIEWED;
            d.visitorHash = i * 0x9E3779B97F4A7C15L;
            d.sessionHash = (i / 2) * 0xC2B2AE3D27D4EB4FL;
            deltas.add(d);
        }
        long[] reference = counts(deltas);
        Random random = new Random(7);
        for (int run = 0; run < 5; run++) {
            Collections.shuffle(deltas, random);
            assertThat(counts(deltas)).as("visitors, sessions, sessions with a view").containsExactly(reference);
        }
    }

    private static long[] counts(List<PaneDelta> deltas) {
        PaneCounts pane = new PaneCounts();
        deltas.forEach(d -> pane.add(d, LG_K));
        WindowTotals totals = new WindowTotals(LG_K);
        totals.add(pane);
        WindowMetrics m = totals.toMetrics("sliding", 0, 60_000, "all", "all", 0);
        return new long[] {m.visitors, m.sessions, m.sessionsWithView};
    }
}
