package dev.rtpe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.Events;
import dev.rtpe.testing.KeyedStateEntries;

/**
 * The customer funnel chained with the pane and window stages: what reaches the windows must not
 * depend on events that came too late to count, nor on the order events arrive in between
 * watermarks.
 */
class CustomerFunnelTest {
    private static final long T = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000;
    private static final long END = T + 3 * 60 * MIN;

    private final MetricsConfig config = MetricsConfig.fromArgs("--allowed-lateness", "5min", "--bounce-window", "5min");

    /** An event, or a watermark when {@code event} is null. */
    private record Step(ShopperEvent event, long watermark) {
        static Step of(ShopperEvent e) {
            return new Step(e, 0);
        }

        static Step watermark(long w) {
            return new Step(null, w);
        }
    }

    private static ShopperEvent view(String customer, String session, String id, long time) {
        ShopperEvent e = Events.view(customer, id, time, "p-1", "shoes");
        e.sessionId = session;
        return e;
    }

    private static ShopperEvent order(String customer, String session, String id, long time) {
        ShopperEvent e = Events.purchase(customer, id, time, "shoes", "p-1");
        e.sessionId = session;
        return e;
    }

    /** The outcome of a run: the windows, what was dropped, and what is left in state. */
    private record Outcome(Map<String, String> windows, long lateEvents, long lateCorrections, int funnelTimers,
                           long funnelEntries, int paneTimers, long paneEntries) {}

    private Outcome run(List<Step> steps) throws Exception {
        try (FunnelStages stages = new FunnelStages(config, true)) {
            for (Step s : steps) {
                if (s.event() != null) {
                    stages.event(s.event());
                } else {
                    stages.watermark(s.watermark());
                }
            }
            stages.watermark(END);
            return new Outcome(stages.latestWindows(), stages.funnel.lateEventsDropped(), stages.panes.lateCorrectionsDropped(),
                    stages.funnelHarness.numEventTimeTimers(), KeyedStateEntries.count(stages.funnelHarness, "funnel"),
                    stages.paneHarness.numEventTimeTimers(), KeyedStateEntries.count(stages.paneHarness, "pane"));
        }
    }

    /** The windows whose latest records differ, one line each, so a failure says where. */
    static void assertSameWindows(Map<String, String> expected, Map<String, String> actual, String why) {
        List<String> differences = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            if (!java.util.Objects.equals(expected.get(k), actual.get(k))) {
                differences.add(k + ": expected " + expected.get(k) + ", got " + actual.get(k));
            }
        }
        assertEquals(List.of(), differences, why);
    }

    private static List<Step> without(List<Step> steps, Step left) {
        List<Step> out = new ArrayList<>(steps);
        out.remove(left);
        return out;
    }

    @Test
    void anEventTooLateForItsMinuteDoesNotMoveItsSessionsStart() throws Exception {
        // A one-event session at 10:05:10, decided (a bounce) at 10:10:10; then an event of the same
        // session from 10:00:30, whose minute closed for good at 10:05:59.999.
        Step tooLate = Step.of(view("c1", "s1", "e0", T + 30_000));
        List<Step> steps = List.of(
                Step.of(view("c1", "s1", "e1", T + 5 * MIN + 10_000)),
                Step.watermark(T + 10 * MIN + 10_000),
                tooLate);

        Outcome with = run(steps);
        Outcome withoutIt = run(without(steps, tooLate));

        String minute = "tumbling all|all|" + (T + 5 * MIN) + "|60000";
        assertEquals("started=1 bounces=1", withoutIt.windows().get(minute).substring(0, "started=1 bounces=1".length()));
        assertSameWindows(withoutIt.windows(), with.windows(), "the too-late event counts nowhere: not in its minute, not in its session");
        assertEquals(1, with.lateEvents());
        assertEquals(0, withoutIt.lateEvents());
        assertEquals(0, with.lateCorrections(), "nothing of it reaches the panes");
        assertEquals(new Outcome(Map.of(), 1, 0, 0, 0, 0, 0), new Outcome(Map.of(), with.lateEvents(), with.lateCorrections(),
                with.funnelTimers(), with.funnelEntries(), with.paneTimers(), with.paneEntries()), "no timer or state left");
    }

    @Test
    void anOrderTooLateForItsMinuteDoesNotMakeTheFirstOrderARepeat() throws Exception {
        Step tooLate = Step.of(order("c2", "s2", "o-early", T + 30_000));
        List<Step> steps = List.of(
                Step.of(order("c2", "s2", "o-first", T + 5 * MIN + 10_000)),
                Step.watermark(T + 10 * MIN + 10_000),
                tooLate);

        Outcome with = run(steps);
        Outcome withoutIt = run(without(steps, tooLate));

        assertSameWindows(withoutIt.windows(), with.windows(), "the order that counted stays the first");
        assertEquals(1, with.lateEvents());
        assertEquals(0, with.funnelTimers());
        assertEquals(1, with.funnelEntries(), "the customer's first order, remembered for repeats");
        assertEquals(withoutIt.funnelEntries(), with.funnelEntries());
        assertEquals(0, with.paneTimers());
        assertEquals(0, with.paneEntries());
    }

    @Test
    void anEventLateButWithinTheLatenessStillCounts() throws Exception {
        Step late = Step.of(view("c1", "s1", "e0", T + 6 * MIN + 30_000)); // its minute is open until 10:11:59.999
        List<Step> steps = List.of(
                Step.of(view("c1", "s1", "e1", T + 8 * MIN)),
                Step.watermark(T + 11 * MIN + 59_000),
                late);

        Outcome with = run(steps);
        Outcome withoutIt = run(without(steps, late));

        assertEquals(0, with.lateEvents());
        assertNotEquals(withoutIt.windows(), with.windows());
        String firstMinute = "tumbling all|all|" + (T + 6 * MIN) + "|60000";
        String startedLater = "tumbling all|all|" + (T + 8 * MIN) + "|60000";
        assertEquals("started=1 bounces=0", with.windows().get(firstMinute).substring(0, "started=1 bounces=0".length()),
                "the session now starts a minute earlier, and had a second event");
        assertEquals("started=0 bounces=0", with.windows().get(startedLater).substring(0, "started=0 bounces=0".length()));
    }

    /**
     * A shopper with many sessions at once, during a catch-up: each session's second event comes
     * only after the first events of all of them. Keeping sessions must not depend on that order:
     * the same starts and no bounces, as when every session's events come together.
     */
    @Test
    void manySessionsAtOnceGiveTheSameStartsWhateverOrderTheirEventsComeIn() throws Exception {
        List<Step> together = new ArrayList<>();
        List<Step> firstsThenSeconds = new ArrayList<>();
        List<Step> seconds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ShopperEvent first = view("c1", "s" + i, "a" + i, T + i * 10_000);
            ShopperEvent second = view("c1", "s" + i, "b" + i, T + i * 10_000 + MIN);
            together.add(Step.of(first));
            together.add(Step.of(second));
            firstsThenSeconds.add(Step.of(first));
            seconds.add(Step.of(second));
        }
        firstsThenSeconds.addAll(seconds);
        Outcome inOrder = run(together);
        Outcome caughtUp = run(firstsThenSeconds);
        assertEquals("40", field(inOrder.windows(), "started"), "every session starts once");
        assertSameWindows(inOrder.windows(), caughtUp.windows(), "the sessions' events came in another order");
    }

    private static String field(Map<String, String> windows, String name) {
        String w = windows.get("tumbling all|all|" + T + "|" + MIN);
        long total = 0;
        for (Map.Entry<String, String> e : windows.entrySet()) {
            if (e.getKey().startsWith("tumbling all|all|")) {
                String v = e.getValue();
                int at = v.indexOf(name + "=");
                total += Long.parseLong(v.substring(at + name.length() + 1, v.indexOf(' ', at)));
            }
        }
        return w == null ? "no window" : String.valueOf(total);
    }
}
