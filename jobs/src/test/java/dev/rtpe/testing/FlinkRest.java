package dev.rtpe.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads job metrics the way ops see them: through Flink's REST API, which the Web UI uses. */
public final class FlinkRest {
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    public FlinkRest(URI base) {
        this.base = base;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return Contracts.JSON.readTree(r.body());
    }

    /**
     * Sum over all subtasks of the metric whose id ends with {@code suffix} (ids look like
     * {@code <operator name>.<group>.<metric>}); -1 when no vertex has it yet.
     */
    public long metricSum(String jobId, String suffix) throws IOException, InterruptedException {
        for (JsonNode vertex : get("/jobs/" + jobId).get("vertices")) {
            String vertexPath = "/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/subtasks/metrics";
            for (JsonNode metric : get(vertexPath)) {
                String id = metric.get("id").asText();
                if (id.endsWith(suffix)) {
                    JsonNode values = get(vertexPath + "?agg=sum&get=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
                    return values.get(0).get("sum").asLong();
                }
            }
        }
        return -1;
    }

    /**
     * The metric once the REST API reports it (Flink samples metrics every few seconds, so a new
     * job lists none at first). A counter created at its first increment may never appear: then 0.
     */
    public long reportedMetric(String jobId, String suffix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long value;
        while ((value = metricSum(jobId, suffix)) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(500); // polling interval of a condition
        }
        return Math.max(0, value);
    }

    /** Waits until the metric reaches {@code expected} (metrics are sampled every few seconds). */
    public void awaitMetric(String jobId, String suffix, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long value;
        while ((value = metricSum(jobId, suffix)) != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("metric " + suffix + " is " + value + ", expected " + expected);
            }
            Thread.sleep(500); // polling interval of a condition
        }
    }

    /**
     * The lowest input watermark over the subtasks of the first vertex whose name contains
     * {@code vertexName}; Long.MIN_VALUE while it has none.
     */
    public long inputWatermark(String jobId, String vertexName) throws IOException, InterruptedException {
        for (JsonNode vertex : get("/jobs/" + jobId).get("vertices")) {
            if (vertex.get("name").asText().contains(vertexName)) {
                long lowest = Long.MAX_VALUE;
                JsonNode marks = get("/jobs/" + jobId + "/vertices/" + vertex.get("id").asText() + "/watermarks");
                if (marks.isEmpty()) {
                    return Long.MIN_VALUE;
                }
                for (JsonNode m : marks) {
                    lowest = Math.min(lowest, Long.parseLong(m.get("value").asText()));
                }
                return lowest;
            }
        }
        throw new IllegalArgumentException("no vertex named like " + vertexName + " in job " + jobId);
    }

    /** Waits until the vertex's input watermark reaches {@code atLeast}. */
    public void awaitInputWatermark(String jobId, String vertexName, long atLeast, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long w;
        while ((w = inputWatermark(jobId, vertexName)) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("watermark of " + vertexName + " is " + w + ", expected at least " + atLeast);
            }
            Thread.sleep(200); // polling interval of a condition
        }
    }

    /** Completed checkpoints of the job so far. */
    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").get("counts").get("completed").asLong();
    }

    /** Waits for {@code count} more checkpoints to complete: output of an exactly-once sink before now is then committed. */
    public void awaitCheckpoints(String jobId, int count, Duration timeout) throws Exception {
        long target = completedCheckpoints(jobId) + count;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completedCheckpoints(jobId) < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " completed no " + count + " further checkpoints within " + timeout);
            }
            Thread.sleep(200); // polling interval of a condition
        }
    }
}
