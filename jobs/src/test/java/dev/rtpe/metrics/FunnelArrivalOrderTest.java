package dev.rtpe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.Events;

/**
 * The metrics funnel must not depend on the order events arrive in while event time stands still:
 * a few customers' sessions, cut into batches between watermark steps, each batch delivered in
 * every order (all of its events are still ahead of the watermark), must send the same panes, at
 * the same watermarks, as the events in time order; at parallelism 1 and spread over two subtasks.
 */
class FunnelArrivalOrderTest {
    private static final long T = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
    private static final long SEC = 1_000;
    private static final long MIN = 60 * SEC;
    private static final long END = T + 3 * 60 * MIN;

    private final MetricsConfig config = MetricsConfig.fromArgs();

    private static ShopperEvent event(EventType type, String customer, String session, Channel channel, String id, long time) {
        ShopperEvent e = type == EventType.PURCHASE
                ? Events.purchase(customer, id, time, "shoes", "p-1", "p-2")
                : Events.of(type, customer, id, time, "p-1", "shoes");
        e.sessionId = session;
        e.channel = channel;
        return e;
    }

    /** Events between two watermarks, and the watermark that follows them. */
    private record Batch(List<ShopperEvent> events, long watermarkAfter) {}

    private static List<Batch> batches() {
        return List.of(
                new Batch(List.of(
                        event(EventType.VIEW_ITEM, "c1", "s1", Channel.WEB, "e1", T + 10 * SEC),
                        event(EventType.ADD_TO_CART, "c1", "s1", Channel.WEB, "e2", T + 20 * SEC),
                        event(EventType.VIEW_ITEM, "c2", "s3", Channel.APP, "e3", T + 30 * SEC),
                        event(EventType.VIEW_ITEM, "c1", "s2", Channel.APP, "e4", T + 40 * SEC), // c1's second session: a bounce
                        event(EventType.PURCHASE, "c1", "s1", Channel.WEB, "e5", T + 2 * MIN)),
                        T + 2 * MIN + 30 * SEC),
                new Batch(List.of(
                        event(EventType.VIEW_ITEM, "c2", "s3", Channel.APP, "e6", T + 2 * MIN + 40 * SEC),
                        event(EventType.PURCHASE, "c2", "s3", Channel.APP, "e7", T + 3 * MIN), // c2's first order
                        event(EventType.PURCHASE, "c2", "s3", Channel.APP, "e8", T + 3 * MIN + 30 * SEC), // a repeat
                        event(EventType.VIEW_ITEM, "c1", "s1", Channel.WEB, "e9", T + 6 * MIN)),
                        T + 12 * MIN),
                // c3 has two sessions; s5 is quiet for longer than the session timeout (30 min), then
                // comes back. Whether its return counts as a new start must not depend on which of
                // c3's sessions arrived first.
                new Batch(List.of(
                        event(EventType.VIEW_ITEM, "c3", "s5", Channel.WEB, "e10", T + 13 * MIN),
                        event(EventType.VIEW_ITEM, "c3", "s4", Channel.WEB, "e11", T + 23 * MIN)),
                        T + 44 * MIN),
                new Batch(List.of(
                        event(EventType.VIEW_ITEM, "c3", "s5", Channel.WEB, "e12", T + 48 * MIN)),
                        END));
    }

    /** The panes sent at each watermark step, sorted within the step (they are sent by timers of different keys). */
    private List<List<String>> run(List<Batch> batches, int parallelism) throws Exception {
        try (FunnelStages stages = new FunnelStages(config, false, parallelism)) {
            List<List<String>> steps = new ArrayList<>();
            int sent = 0;
            for (Batch b : batches) {
                for (ShopperEvent e : b.events()) {
                    assertTrue(e.eventTime > stages.currentWatermark(), "ahead of the watermark");
                    stages.event(e);
                }
                stages.watermark(b.watermarkAfter());
                List<String> all = stages.paneSummaries();
                List<String> step = new ArrayList<>(all.subList(sent, all.size()));
                step.sort(null);
                steps.add(step);
                sent = all.size();
            }
            assertEquals(parallelism, stages.funnelSubtasksWithEvents(), "the shoppers are spread over every subtask");
            assertEquals(0, stages.funnelTimers());
            assertEquals(2, stages.funnelStateEntries(), "c1's and c2's first orders, for repeats");
            assertEquals(0, stages.paneTimers());
            assertEquals(0, stages.paneStateEntries());
            return steps;
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void everyArrivalOrderBetweenWatermarksGivesThePanesOfTimeOrder(int parallelism) throws Exception {
        List<Batch> inOrder = new ArrayList<>();
        for (Batch b : batches()) {
            List<ShopperEvent> sorted = new ArrayList<>(b.events());
            sorted.sort(Comparator.comparingLong(e -> e.eventTime));
            inOrder.add(new Batch(sorted, b.watermarkAfter()));
        }
        List<List<String>> expected = run(inOrder, 1); // the in-order run at parallelism 1 is the reference
        assertTrue(expected.get(1).stream().anyMatch(p -> p.startsWith("all|all|" + T + " ") && p.contains("sessionsStarted=3, bounces=1")),
                "the scenario decides a bounce: " + expected.get(1));
        assertTrue(expected.get(3).stream().anyMatch(p -> p.startsWith("all|all|" + (T + 48 * MIN)) && p.contains("sessionsStarted=1")),
                "s5 came back after the session timeout: a new start: " + expected.get(3));

        int runs = 0;
        for (int i = 0; i < inOrder.size(); i++) {
            for (List<ShopperEvent> order : permutations(inOrder.get(i).events())) {
                List<Batch> batches = new ArrayList<>(inOrder);
                batches.set(i, new Batch(order, inOrder.get(i).watermarkAfter()));
                assertEquals(List.of(), differences(expected, run(batches, parallelism)),
                        "batch " + i + " in the order " + order.stream().map(e -> e.eventId).toList());
                runs++;
            }
        }
        assertEquals(120 + 24 + 2 + 1, runs);
    }

    /** The panes sent at one step in one run but not in the other, step by step. */
    private static List<String> differences(List<List<String>> expected, List<List<String>> actual) {
        List<String> d = new ArrayList<>();
        for (int step = 0; step < Math.max(expected.size(), actual.size()); step++) {
            List<String> e = step < expected.size() ? expected.get(step) : List.of();
            List<String> a = step < actual.size() ? actual.get(step) : List.of();
            for (String p : e) {
                if (!a.contains(p)) {
                    d.add("watermark step " + step + ", expected " + p);
                }
            }
            for (String p : a) {
                if (!e.contains(p)) {
                    d.add("watermark step " + step + ", got " + p);
                }
            }
        }
        return d;
    }

    private static <E> List<List<E>> permutations(List<E> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<E>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<E> rest = new ArrayList<>(items);
            E first = rest.remove(i);
            for (List<E> p : permutations(rest)) {
                List<E> o = new ArrayList<>();
                o.add(first);
                o.addAll(p);
                out.add(o);
            }
        }
        return out;
    }
}
