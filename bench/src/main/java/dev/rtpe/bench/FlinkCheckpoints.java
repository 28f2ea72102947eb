package dev.rtpe.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Checkpoints of the jobs on a Flink cluster, through its REST API (what the Web UI shows). */
public final class FlinkCheckpoints {
    private FlinkCheckpoints() {}

    /** Running jobs: id to name. */
    public static Map<String, String> runningJobs(String rest) throws Exception {
        Map<String, String> jobs = new LinkedHashMap<>();
        for (JsonNode job : get(rest, "/jobs/overview").path("jobs")) {
            if (job.path("state").asText().equals("RUNNING")) {
                jobs.put(job.path("jid").asText(), job.path("name").asText());
            }
        }
        return jobs;
    }

    public static long completed(String rest, String jobId) throws Exception {
        return get(rest, "/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** The latest completed checkpoint's statistics, once the job has completed {@code target} in all. */
    public static JsonNode awaitCompleted(String rest, String jobId, long target, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode stats = get(rest, "/jobs/" + jobId + "/checkpoints");
            if (stats.path("counts").path("completed").asLong() >= target) {
                return stats.path("latest").path("completed");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " completed no checkpoint within " + timeout);
            }
            Thread.sleep(200); // polling a condition
        }
    }

    private static JsonNode get(String rest, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(rest + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return BenchDriver.JSON.readTree(r.body());
    }
}
