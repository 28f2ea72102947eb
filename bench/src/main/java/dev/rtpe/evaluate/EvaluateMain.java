package dev.rtpe.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rtpe.common.Flags;
import dev.rtpe.bench.FlinkCheckpoints;
import dev.rtpe.bench.Sustained;
import dev.rtpe.devkit.TopicCoverage;
import dev.rtpe.devkit.TopicSnapshot;
import dev.rtpe.replay.ReplayEnd;
import dev.rtpe.replay.Dataset;
import dev.rtpe.replay.Evaluation;
import dev.rtpe.replay.ReplayMain;

/**
 * {@code scripts/evaluate.sh}, after the script has started a fresh engine: replays the file as
 * fast as possible, waits until every job has processed and committed every event, then scores
 * the recommendations and prints what the jobs made of the data.
 */
public final class EvaluateMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluateMain() {}

    public static void main(String[] args) throws Exception {
        Flags flags = Flags.parse(args);
        ReplayMain.Options options = ReplayMain.Options.from(flags);
        String uiPort = flags.string("ui-port", "8081");
        Path out = Path.of(flags.string("out", "evaluation.json"));
        Duration timeout = flags.duration("timeout", Duration.ofMinutes(30));
        flags.rejectUnknown();

        Dataset data = ReplayMain.load(options);
        ReplayMain.replay(data, options.target());
        String bootstrap = options.target().bootstrapServers();
        awaitProcessed(bootstrap, List.of(options.target().browseTopic(), options.target().cartTopic()), "http://localhost:" + uiPort,
                timeout);

        List<Evaluation.ListRecord> lists = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicSnapshot.read(bootstrap, "recommendations", "read_uncommitted")) {
            lists.add(Evaluation.ListRecord.parse(r.value()));
        }
        Evaluation result = Evaluation.of(data.events, lists, values(bootstrap, "cart-abandonment-triggers", "read_committed"),
                values(bootstrap, "conversion-metrics", "read_uncommitted"));
        System.out.println();
        System.out.print(result.table());
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), result.json()
                .put("format", options.format().name()).put("file", options.file().getFileName().toString())
                .put("malformed_rows", data.malformedRows()));
        System.out.println("\nWritten to " + out);
    }

    /**
     * Every job has committed offsets at the end of its inputs (Flink commits them when a
     * checkpoint completes); every event has its list, which in event-time order comes once the
     * recommendations job's input has been idle a while, and the metrics job has read those lists
     * too; then the abandonment job has completed two more checkpoints, so the transactions
     * holding its last triggers are committed too.
     */
    public static void awaitProcessed(String bootstrap, List<String> replayTopics, String rest, Duration timeout) throws Exception {
        System.out.println("Waiting until every job has processed every event");
        Sustained.awaitAllCommitted(bootstrap, replayTopics, timeout);
        TopicCoverage.await(bootstrap, "shopper-events", ReplayEnd::eventId, "recommendations", ReplayEnd::causeEventId, timeout);
        Sustained.awaitAllCommitted(bootstrap, replayTopics, timeout);
        String abandonment = FlinkCheckpoints.runningJobs(rest).entrySet().stream()
                .filter(job -> job.getValue().equals("abandonment")).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running job named abandonment at " + rest));
        FlinkCheckpoints.awaitCompleted(rest, abandonment, FlinkCheckpoints.completed(rest, abandonment) + 2, timeout);
    }

    private static List<byte[]> values(String bootstrap, String topic, String isolation) throws Exception {
        List<byte[]> values = new ArrayList<>();
        TopicSnapshot.read(bootstrap, topic, isolation).forEach(r -> values.add(r.value()));
        return values;
    }
}
