package dev.rtpe.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.EventType;

/**
 * A shopper's list sees the trending lists of an event-time version (buckets of
 * {@code --trending-delay}, 30 s): never a list made after the shopper's event, and the same lists
 * whichever path arrives first.
 */
class TrendingVersionsTest {
    private static final long Q = 30_000;

    private interface Input {
        void send(KeyedTwoInputStreamOperatorTestHarness<String, CustomerStep, ContextUpdate, Recommendation> h) throws Exception;
    }

    private static Input overall(String product, long effectiveAt) {
        return h -> h.processElement2(ContextUpdate.trending(TrendingSignal.OVERALL, new String[] {product}, new double[] {1},
                new String[] {null}, effectiveAt, effectiveAt), effectiveAt);
    }

    /** A shopper without consent: the list is the overall trending list alone. */
    private static Input view(String shopper, long seq, long time) {
        return h -> {
            CustomerStep s = CustomerListsOperatorTest.step(seq, EventType.VIEW_ITEM, time, "X" + seq, "shoes");
            s.customerKey = "c:" + shopper;
            s.eventId = shopper + "-" + seq;
            s.consentPersonalization = false;
            h.processElement1(s, time);
        };
    }

    private static Input watermark(long time) {
        return h -> h.processBothWatermarks(new Watermark(time));
    }

    private static final String[] IN_EVENT_TIME = {"--event-order", "event-time"};

    private static List<String> run(List<Input> inputs) throws Exception {
        try (var h = CustomerListsOperatorTest.harness(IN_EVENT_TIME)) {
            for (Input i : inputs) {
                i.send(h);
            }
            List<String> lists = new ArrayList<>();
            for (Recommendation r : h.<Recommendation>extractOutputValues()) {
                lists.add(r.causeEventId + "=" + List.of(r.productIds));
            }
            assertThat(h.numEventTimeTimers()).as("no held step is left waiting").isZero();
            return lists;
        }
    }

    @Test
    void aListSeesTheTrendingOfTheBucketBeforeItsOwnNeverALaterOne() throws Exception {
        List<String> lists = run(List.of(
                watermark(0),
                overall("OLD", 1_000),
                overall("NEW", 61_000), // made by the shopper's own event, and here before it
                view("a", 1, 61_000),
                view("a", 2, 95_000),
                watermark(95_000),
                view("a", 3, 125_000),
                watermark(130_000)));
        assertThat(lists).containsExactly("a-1=[OLD]", "a-2=[OLD]", "a-3=[NEW]");
    }

    @Test
    void inEventTimeOrderAStepWaitsForTheWatermarkToPassIt() throws Exception {
        try (var h = CustomerListsOperatorTest.harness(IN_EVENT_TIME)) {
            watermark(70_000).send(h);
            overall("NEW", 80_000).send(h);
            view("a", 1, 125_000).send(h); // version 3: lists that took effect before 90 s
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            view("a", 2, 126_000).send(h); // behind the first, in the shopper's order
            watermark(124_999).send(h);
            assertThat(h.extractOutputValues()).isEmpty();
            watermark(126_000).send(h);
            assertThat(h.<Recommendation>extractOutputValues()).extracting(r -> r.causeEventId + "=" + List.of(r.productIds))
                    .containsExactly("a-1=[NEW]", "a-2=[NEW]");
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void inArrivalOrderAStepGoesAtOnceWithTheNewestCompleteVersion() throws Exception {
        try (var h = CustomerListsOperatorTest.harness()) {
            watermark(35_000).send(h); // version 1 complete: lists that took effect before 30 s
            overall("OLD", 1_000).send(h);
            overall("NEW", 50_000).send(h); // before the event, but its version is not complete
            view("a", 1, 125_000).send(h);
            assertThat(h.<Recommendation>extractOutputValues()).extracting(r -> List.of(r.productIds)).containsExactly(List.of("OLD"));
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void theListsDoNotDependOnWhichPathArrivesFirst() throws Exception {
        List<Input> trending = List.of(overall("T1", 10_000), overall("T2", 40_000), overall("T3", 70_000), overall("T4", 100_000));
        List<Input> steps = List.of(view("a", 1, 45_000), view("b", 1, 65_000), view("a", 2, 75_000), view("b", 2, 130_000));

        List<Input> trendingFirst = new ArrayList<>(trending);
        trendingFirst.addAll(steps);
        trendingFirst.add(watermark(Long.MAX_VALUE));
        List<Input> stepsFirst = new ArrayList<>(steps);
        stepsFirst.addAll(trending);
        stepsFirst.add(watermark(Long.MAX_VALUE));
        List<Input> interleaved = List.of(watermark(0), steps.get(0), trending.get(0), trending.get(1), watermark(44_000),
                steps.get(1), trending.get(2), watermark(72_000), steps.get(2), steps.get(3), trending.get(3), watermark(Long.MAX_VALUE));

        List<String> expected = run(trendingFirst);
        // 45 s sees lists from before 0 s; 65 s and 75 s from before 30 s; 130 s from before 90 s.
        assertThat(expected).containsExactlyInAnyOrder("a-1=[]", "b-1=[T1]", "a-2=[T1]", "b-2=[T3]");
        assertThat(run(stepsFirst)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(run(interleaved)).containsExactlyInAnyOrderElementsOf(expected);
    }
}
