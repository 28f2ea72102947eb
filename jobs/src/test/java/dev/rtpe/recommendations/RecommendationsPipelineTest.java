package dev.rtpe.recommendations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.rtpe.common.JobSettings;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.RecordParser;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.simulator.ShopperSimulator;
import dev.rtpe.simulator.SimulationModel;
import dev.rtpe.testing.CollectingSink;
import dev.rtpe.testing.Events;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.Parsers;

/** The three stages wired together on a MiniCluster with RocksDB and the production settings. */
class RecommendationsPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    private record Outputs(List<Recommendation> lists, List<ProductRecommendation> productLists) {}

    private static Outputs run(List<ShopperEvent> events, int parallelism) throws Exception {
        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(
                new JobSettings("unused:9092", Duration.ofSeconds(1), null, parallelism));
        DataStream<ShopperEvent> input = env.fromData(events, TypeInformation.of(ShopperEvent.class)).setParallelism(1).uid("test-events");
        CollectingSink<Recommendation> lists = new CollectingSink<>();
        CollectingSink<ProductRecommendation> productLists = new CollectingSink<>();
        RecommendationsPipeline.attach(input, null, lists, productLists, RecommendationsConfig.fromArgs());
        env.execute("recommendations-pipeline-test");
        return new Outputs(lists.results(), productLists.results());
    }

    @Test
    void aShopperWhoViewsAThenBMakesBAppearInAsAlsoViewedForTheNextShopper() throws Exception {
        long t = Instant.parse("2026-11-23T08:00:00Z").toEpochMilli();
        List<ShopperEvent> events = List.of(
                Events.view("first", "e1", t, "A", "shoes"),
                Events.view("first", "e2", t + 30_000, "B", "shoes"),
                Events.view("next", "e3", t + 60_000, "A", "shoes"));
        Outputs out = run(events, 1);

        Recommendation forNext = out.lists().stream().filter(r -> r.causeEventId.equals("e3")).findFirst().orElseThrow();
        assertEquals("c:next", forNext.customerKey);
        assertEquals("B", forNext.productIds[0]);
        assertEquals("also_viewed", forNext.reasons[0]);
        ProductRecommendation a = out.productLists().stream().filter(p -> p.productId.equals("A")).reduce((x, y) -> y).orElseThrow();
        assertEquals(List.of("B"), List.of(a.alsoViewed));
        assertEquals(3, out.lists().size(), "one list per event");
    }

    @Test
    void everyDistinctEventOfSimulatedShoppersGetsExactlyOneList() throws Exception {
        List<ShopperEvent> events = simulatedEvents(3_000);
        Outputs out = run(events, 2);
        assertEquals(events.size() - repeats(events), out.lists().size(), "one list per distinct event; repeats dropped");
        assertEquals(out.lists().size(), out.lists().stream().map(r -> r.customerKey + r.causeEventId).distinct().count());
        assertTrue(out.lists().stream().anyMatch(r -> r.personalized), "simulated shoppers get personal lists");
        assertTrue(out.lists().stream().anyMatch(r -> r.evaluated), "and hit rate is measured");
        assertTrue(out.lists().stream().allMatch(r -> r.productIds.length <= 10));
        assertTrue(!out.productLists().isEmpty());
    }

    static List<ShopperEvent> simulatedEvents(int n) {
        long start = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
        ShopperSimulator simulator = new ShopperSimulator(new SimulationModel(), 11, start);
        RecordParser parser = Parsers.ingest(() -> start + 30L * 86_400_000);
        List<ShopperEvent> events = new ArrayList<>();
        while (events.size() < n) {
            ShopperSimulator.Record r = simulator.next();
            ParsedRecord p = parser.parse(r.topic(), 0, 0, 0, null, r.value());
            if (p.isAccepted()) {
                p.event.ingestedAt = p.event.eventTime + 5;
                events.add(p.event);
            }
        }
        return events;
    }

    private static long repeats(List<ShopperEvent> events) {
        return events.size() - events.stream().map(e -> e.customerKey + e.eventId).collect(Collectors.toSet()).size();
    }
}
