package dev.rtpe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.rtpe.common.PublishWatermarks;
import dev.rtpe.common.CanonicalRecord;
import dev.rtpe.common.DeadLetter;
import dev.rtpe.common.EventTime;
import dev.rtpe.common.JobSettings;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.RecordParser;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.CollectingSink;
import dev.rtpe.testing.MalformedInputCorpus;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.Parsers;
import dev.rtpe.testing.Rees46Fixture;
import dev.rtpe.testing.Rees46Fixture.RawEvent;

/** The ingest dataflow on a MiniCluster with RocksDB, fed real shopper behaviour, repeats and bad input. */
class IngestPipelineTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    private static final String BROWSE = MalformedInputCorpus.BROWSE;
    private static final String CART = MalformedInputCorpus.CART;

    @Test
    void validEventsFlowOnceInCustomerOrderAndBadRecordsBecomeDeadLetters() throws Exception {
        RecordParser parser = Parsers.ingest();
        List<RawEvent> shoppers = Rees46Fixture.events(BROWSE, CART);
        List<MalformedInputCorpus.Case> corpus = MalformedInputCorpus.cases();

        List<ParsedRecord> input = new ArrayList<>();
        long offset = 0;
        for (RawEvent e : shoppers) {
            input.add(parser.parse(e.topic(), 0, offset++, 0, null, e.json()));
        }
        for (MalformedInputCorpus.Case c : corpus) {
            input.add(parser.parse(c.topic(), 0, offset++, 0, null, c.value()));
        }
        for (RawEvent e : shoppers.subList(0, 50)) {
            input.add(parser.parse(e.topic(), 0, offset++, 0, null, e.json())); // a producer retrying
        }

        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(
                new JobSettings("unused:9092", Duration.ofSeconds(1), null, 2));
        DataStream<ParsedRecord> parsed = env.fromData(input, TypeInformation.of(ParsedRecord.class))
                .setParallelism(1) // like one Kafka partition: the order the test checks is the input order
                .uid("test-input")
                .assignTimestampsAndWatermarks(EventTime.boundedOutOfOrderness(Duration.ofSeconds(5), Duration.ofSeconds(1),
                        (r, ts) -> r.eventTimeOrMin()))
                .setParallelism(1)
                .uid("test-watermarks");
        CollectingSink<CanonicalRecord> events = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        IngestPipeline.attach(parsed, events, deadLetters, Duration.ofHours(24),
                PublishWatermarks.ofShopperEvents(() -> 3, Duration.ofSeconds(5), true));
        env.execute("ingest-pipeline-test");

        List<ShopperEvent> out = events.results().stream().filter(r -> r.event != null).map(r -> r.event).collect(Collectors.toList());
        assertEquals(shoppers.size(), out.size(), "each valid event exactly once");
        assertEquals(shoppers.stream().map(RawEvent::eventId).sorted().collect(Collectors.toList()),
                out.stream().map(e -> e.eventId).sorted().collect(Collectors.toList()));
        assertTrue(out.stream().allMatch(e -> e.ingestedAt > 0 && e.customerKey.equals("c:" + e.customerId)));

        assertEquals(byCustomer(shoppers.stream().map(e -> List.of(e.customerId(), e.eventId())).collect(Collectors.toList())),
                byCustomer(out.stream().map(e -> List.of(e.customerId, e.eventId)).collect(Collectors.toList())),
                "each customer's events keep their order");

        assertEquals(corpus.stream().map(MalformedInputCorpus.Case::expectedReason).sorted().collect(Collectors.toList()),
                deadLetters.results().stream().map(d -> d.reason).sorted().collect(Collectors.toList()));
    }

    private static Map<String, List<String>> byCustomer(List<List<String>> customerAndEvent) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (List<String> ce : customerAndEvent) {
            m.computeIfAbsent(ce.get(0), k -> new ArrayList<>()).add(ce.get(1));
        }
        return m;
    }
}
