package dev.rtpe.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency distributions as a percentile plot (HdrHistogram's classic view): the x axis is
 * 1/(1-p) on a log scale, so p90, p99 and p99.9 are evenly spaced and the tail is visible.
 * Milliseconds on a linear axis, which every reader reads right.
 */
final class LatencyChart {
    private LatencyChart() {}

    static void write(Path png, String title, List<String> names, List<Histogram> histograms) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title)
                .xAxisTitle("percentile, as 1/(1-p): 2 = p50, 10 = p90, 100 = p99, 1000 = p99.9")
                .yAxisTitle("milliseconds").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(3);
        for (int i = 0; i < names.size(); i++) {
            Histogram h = histograms.get(i);
            if (h.getTotalCount() == 0) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (HistogramIterationValue v : h.percentiles(5)) {
                double p = v.getPercentileLevelIteratedTo() / 100.0;
                if (p >= 1.0) {
                    break; // 1/(1-p) is infinite at the maximum
                }
                x.add(1 / (1 - p));
                y.add((double) v.getValueIteratedTo());
            }
            if (!x.isEmpty()) {
                XYSeries s = chart.addSeries(names.get(i) + " (" + h.getTotalCount() + ")", x, y);
                s.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
