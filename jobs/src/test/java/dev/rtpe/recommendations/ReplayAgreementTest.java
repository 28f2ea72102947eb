package dev.rtpe.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.rtpe.common.JobSettings;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.replay.Dataset;
import dev.rtpe.replay.Formats;
import dev.rtpe.testing.CollectingSink;
import dev.rtpe.testing.MiniClusters;

/**
 * The job on a MiniCluster, where the trending path and the shoppers' path run at their own
 * speeds, makes exactly the lists of the one-thread replay, where every output is handed on at
 * once. Before trending versions, a list on the cluster could hold products that trended after its
 * own event, and a replay scored differently each run (REES46 sample: 24.65% on the cluster, 18.43%
 * in one thread).
 */
class ReplayAgreementTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void theClusterMakesTheListsOfTheOneThreadReplay(int parallelism) throws Exception {
        Path file = Path.of(getClass().getResource("/data/rees46-2019-Oct-sample.csv").toURI());
        List<ShopperEvent> events = new java.util.ArrayList<>(
                Dataset.read(Formats.byName("rees46"), file, 0, Duration.ofMinutes(30), b -> { }).events);
        events.sort(EventTimeOrder.ORDER); // the order the job takes them in, for the one-thread replay too

        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(
                new JobSettings("unused:9092", Duration.ofSeconds(1), null, parallelism));
        DataStream<ShopperEvent> input = env.fromData(events, TypeInformation.of(ShopperEvent.class)).setParallelism(1).uid("test-events");
        if (parallelism > 1) {
            // Live, event time comes with the events: at parallelism 2 each instance sees its own
            // share of them, and the shares meet again after every shuffle in whatever order they come.
            input = input.assignTimestampsAndWatermarks(WatermarkStrategy.<ShopperEvent>forMonotonousTimestamps()
                            .withTimestampAssigner((e, t) -> e.eventTime)).setParallelism(1).uid("test-watermarks")
                    .rebalance();
        }
        CollectingSink<Recommendation> lists = new CollectingSink<>();
        // At parallelism 1 the collection has no watermarks until its end: event-time order takes every event then, in order.
        RecommendationsPipeline.attach(input, null, lists, new CollectingSink<>(), RecommendationsConfig.fromArgs("--event-order", "event-time"));
        env.execute("replay-agreement");

        List<String> sequential = describe(SequentialRecommendations.replay(events));
        assertThat(sequential).hasSizeGreaterThan(900);
        assertThat(describe(lists.results())).containsExactlyInAnyOrderElementsOf(sequential);
    }

    private static List<String> describe(List<Recommendation> lists) {
        return lists.stream().map(r -> r.causeEventId + " " + List.of(r.productIds) + " " + List.of(r.reasons) + " " + r.evaluated + "/" + r.hit)
                .collect(Collectors.toList());
    }
}
