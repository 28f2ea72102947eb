package dev.rtpe.recommendations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.rtpe.common.ShopperEvent;
import dev.rtpe.replay.Dataset;
import dev.rtpe.replay.Evaluation;
import dev.rtpe.replay.Formats;

/**
 * A developer's tool, not a test: scores the recommendation stages on a dataset in one thread
 * ({@link SequentialRecommendations}), in seconds rather than the minutes of a broker and a cluster.
 * {@code scripts/evaluate.sh} stays the measure of record.
 *
 * <p>Arguments: {@code format file [limit] [job flags...]}, or {@code sim events [job flags...]}.
 */
public final class OfflineEvaluation {
    private OfflineEvaluation() {}

    public static void main(String[] args) throws Exception {
        List<ShopperEvent> events;
        String[] flags;
        if (args[0].equals("sim")) {
            events = RecommendationsPipelineTest.simulatedEvents(Integer.parseInt(args[1]));
            flags = Arrays.copyOfRange(args, 2, args.length);
        } else {
            events = Dataset.read(Formats.byName(args[0]), Path.of(args[1]), Long.parseLong(args[2]), Duration.ofMinutes(30), b -> { })
                    .events;
            // jsonl leaves the key to ingest, which this one-thread tool skips
            events.stream().filter(e -> e.customerKey == null)
                    .forEach(e -> e.customerKey = ShopperEvent.customerKeyOf(e.customerId, e.anonymousId));
            flags = Arrays.copyOfRange(args, 3, args.length);
        }
        System.out.print(score(events, flags).table());
    }

    static Evaluation score(List<ShopperEvent> events, String... flags) throws Exception {
        List<Evaluation.ListRecord> lists = new ArrayList<>();
        for (Recommendation r : SequentialRecommendations.replay(events, flags)) {
            lists.add(new Evaluation.ListRecord(r.customerKey, r.causeEventId, r.evaluated ? r.hit : null, List.of(r.productIds)));
        }
        return Evaluation.of(events, lists, List.of(), List.of());
    }
}
