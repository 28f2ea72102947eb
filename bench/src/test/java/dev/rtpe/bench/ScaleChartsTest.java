package dev.rtpe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleChartsTest {
    @TempDir
    Path dir;

    @Test
    void eachMeasuredPointIsOneRowOnItsAxisInOrder() throws Exception {
        write("state-1000000.json", "{\"customers\":1000000,\"events_per_second\":4000.5,\"rocksdb_dir_bytes\":9,\"checkpoint_full_bytes\":8}");
        write("state-100000.json", "{\"customers\":100000,\"events_per_second\":5000,\"rocksdb_dir_bytes\":3,\"checkpoint_full_bytes\":2}");
        write("sustained-categories-10.json", "{\"events\":5,\"events_per_second\":700}");
        write("recommendations-categories-10.json", "{\"events_per_second\":900}");
        write("latency-5000.json", latency(4990, 30000));
        write("latency-1000.json", latency(1001, 40));
        write("sustained.json", "{\"events\":5,\"events_per_second\":1}"); // not a scale point

        ArrayNode rows = ScaleCharts.points(dir);

        assertEquals(5, rows.size());
        assertRow(rows.get(0), "categories", 10);
        assertEquals(900, rows.get(0).get("lists_per_second").asDouble());
        assertRow(rows.get(1), "customers", 100_000);
        assertRow(rows.get(2), "customers", 1_000_000);
        assertEquals(4000.5, rows.get(2).get("events_per_second").asDouble());
        assertRow(rows.get(3), "input_rate", 1000);
        assertEquals(40, rows.get(3).get("p99_ms").asLong());
        assertRow(rows.get(4), "input_rate", 5000);
        assertEquals(4990, rows.get(4).get("achieved_events_per_second").asDouble());
        assertEquals(77, rows.get(4).get("trigger_p99_ms").asLong());
    }

    @Test
    void drawsAChartPerAxisThatHasPoints() throws Exception {
        write("latency-1000.json", latency(1000, 40));
        write("latency-2000.json", latency(2000, 60));

        ScaleCharts.write(dir);

        assertTrue(Files.size(dir.resolve("scale-latency.png")) > 0);
        assertTrue(Files.exists(dir.resolve("points.json")));
        assertTrue(Files.notExists(dir.resolve("scale-customers.png")));
    }

    @Test
    void anEventsPerSecondAxisStartsAtZero() {
        assertEquals(0.0, ScaleCharts.rateChart("t", "categories").getStyler().getYAxisMin());
    }

    @Test
    void aStateResultWithoutARateIsNoPoint() throws Exception {
        write("state-100000.json", "{\"customers\":100000,\"rocksdb_dir_bytes\":3,\"checkpoint_full_bytes\":2}");

        assertEquals(0, ScaleCharts.points(dir).size());
    }

    private static void assertRow(JsonNode row, String axis, long x) {
        assertEquals(axis, row.get("axis").asText());
        assertEquals(x, row.get("x").asLong());
    }

    private static String latency(double achieved, long p99) {
        return "{\"achieved_events_per_second\":" + achieved + ",\"p50_ms\":10,\"p95_ms\":20,\"p99_ms\":" + p99
                + ",\"max_ms\":99,\"measured_events\":100,\"events_without_list\":0,"
                + "\"trigger_delay\":{\"percentiles_ms\":{\"99.0\":77}}}";
    }

    private void write(String name, String json) throws Exception {
        Files.writeString(dir.resolve(name), json);
    }
}
