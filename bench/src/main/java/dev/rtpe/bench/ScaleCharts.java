package dev.rtpe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The scale points of a bench run, one row each in {@code points.json}, and a chart per axis:
 * events/s against distinct customers ({@code state-N.json}), against categories
 * ({@code sustained-categories-N.json}), and latency percentiles against the input rate
 * ({@code latency-R.json}). An axis with no results in the run is left out.
 */
final class ScaleCharts {
    static final String CUSTOMERS = "customers";
    static final String CATEGORIES = "categories";
    static final String INPUT_RATE = "input_rate";

    private ScaleCharts() {}

    /** Writes points.json and the charts; returns the rows. */
    static ArrayNode write(Path dir) throws IOException {
        ArrayNode rows = points(dir);
        Files.writeString(dir.resolve("points.json"), BenchDriver.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        List<JsonNode> customers = axis(rows, CUSTOMERS);
        if (!customers.isEmpty()) {
            XYChart c = rateChart("Events/s against distinct customers in state (each event a new customer)", "distinct customers");
            series(c, "all four jobs", customers, r -> r.get("events_per_second").asDouble());
            save(c, dir.resolve("scale-customers.png"));
        }
        List<JsonNode> categories = axis(rows, CATEGORIES);
        if (!categories.isEmpty()) {
            XYChart c = rateChart("Events/s against the number of categories (100,000 products)", "categories");
            series(c, "all four jobs", categories, r -> r.get("events_per_second").asDouble());
            series(c, "lists appended", categories, r -> r.get("lists_per_second").asDouble());
            save(c, dir.resolve("scale-categories.png"));
        }
        List<JsonNode> rates = axis(rows, INPUT_RATE);
        if (!rates.isEmpty()) {
            XYChart c = chart("Event to list latency against the input rate", "input events/s (target)", "milliseconds");
            c.getStyler().setYAxisLogarithmic(true); // a rate above capacity is seconds behind, one below it milliseconds
            for (String p : List.of("p50_ms", "p95_ms", "p99_ms")) {
                series(c, p.replace("_ms", ""), rates, r -> Math.max(1, r.get(p).asDouble()));
            }
            save(c, dir.resolve("scale-latency.png"));
        }
        return rows;
    }

    /** Every scale result in the directory, as rows of (axis, x, measures), sorted by axis and x. */
    static ArrayNode points(Path dir) throws IOException {
        List<ObjectNode> rows = new ArrayList<>();
        for (Path f : jsonFiles(dir)) {
            String name = f.getFileName().toString();
            Matcher state = Pattern.compile("state-(\\d+)\\.json").matcher(name);
            Matcher categories = Pattern.compile("sustained-categories-(\\d+)\\.json").matcher(name);
            Matcher latency = Pattern.compile("latency-(\\d+)\\.json").matcher(name);
            JsonNode r = BenchDriver.JSON.readTree(f.toFile());
            if (state.matches() && r.has("events_per_second")) {
                ObjectNode o = row(CUSTOMERS, r.get("customers").asLong());
                o.put("events_per_second", r.get("events_per_second").asDouble());
                o.put("rocksdb_dir_bytes", r.get("rocksdb_dir_bytes").asLong());
                o.put("checkpoint_full_bytes", r.get("checkpoint_full_bytes").asLong());
                rows.add(o);
            } else if (categories.matches()) {
                ObjectNode o = row(CATEGORIES, Long.parseLong(categories.group(1)));
                o.put("events_per_second", r.get("events_per_second").asDouble());
                Path lists = dir.resolve("recommendations-categories-" + categories.group(1) + ".json");
                o.put("lists_per_second", Files.exists(lists) ? BenchDriver.JSON.readTree(lists.toFile()).path("events_per_second").asDouble() : 0);
                rows.add(o);
            } else if (latency.matches()) {
                ObjectNode o = row(INPUT_RATE, Long.parseLong(latency.group(1)));
                o.put("achieved_events_per_second", r.get("achieved_events_per_second").asDouble());
                for (String p : List.of("p50_ms", "p95_ms", "p99_ms", "max_ms", "measured_events", "events_without_list")) {
                    o.put(p, r.get(p).asLong());
                }
                o.put("trigger_p99_ms", r.path("trigger_delay").path("percentiles_ms").path("99.0").asLong());
                rows.add(o);
            }
        }
        rows.sort(Comparator.<ObjectNode, String>comparing(o -> o.get("axis").asText()).thenComparingLong(o -> o.get("x").asLong()));
        ArrayNode out = BenchDriver.JSON.createArrayNode();
        rows.forEach(out::add);
        return out;
    }

    private static ObjectNode row(String axis, long x) {
        ObjectNode o = BenchDriver.JSON.createObjectNode();
        o.put("axis", axis);
        o.put("x", x);
        return o;
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private static List<JsonNode> axis(ArrayNode rows, String axis) {
        List<JsonNode> out = new ArrayList<>();
        rows.forEach(r -> {
            if (r.get("axis").asText().equals(axis)) {
                out.add(r);
            }
        });
        return out;
    }

    /**
     * Events/s against a scale that grows tenfold per point: the y axis starts at zero, so that a
     * flat line looks flat and a ±5% wobble does not fill the chart.
     */
    static XYChart rateChart(String title, String x) {
        XYChart c = chart(title, x, "events/s");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(800).height(450).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setMarkerSize(6);
        return c;
    }

    private static void series(XYChart c, String name, List<JsonNode> rows, ToDoubleFunction<JsonNode> y) {
        XYSeries s = c.addSeries(name, rows.stream().mapToDouble(r -> r.get("x").asDouble()).toArray(),
                rows.stream().mapToDouble(y).toArray());
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    private static void save(XYChart c, Path png) throws IOException {
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
