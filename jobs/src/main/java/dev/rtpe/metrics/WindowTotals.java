package dev.rtpe.metrics;

import java.util.Map;
import java.util.TreeMap;

import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/** A window as the sum of its panes: counters add up, sketches are unioned. */
final class WindowTotals {
    private final PaneCounts sum = new PaneCounts();
    private final Map<String, long[]> revenue = new TreeMap<>();
    private final Union[] unions = new Union[PaneCounts.SKETCHES];
    private final int lgK;
    private boolean empty = true;

    WindowTotals(int lgK) {
        this.lgK = lgK;
    }

    void add(PaneCounts p) {
        empty = false;
        sum.views += p.views;
        sum.addToCarts += p.addToCarts;
        sum.removes += p.removes;
        sum.checkouts += p.checkouts;
        sum.orders += p.orders;
        sum.repeatOrders += p.repeatOrders;
        sum.units += p.units;
        sum.sessionsStarted += p.sessionsStarted;
        sum.bounces += p.bounces;
        sum.recEvaluations += p.recEvaluations;
        sum.recHits += p.recHits;
        for (int i = 0; i < p.currencies.length; i++) {
            long[] r = revenue.computeIfAbsent(p.currencies[i], c -> new long[2]);
            r[0] += p.revenueMicros[i];
            r[1] += p.currencyOrders[i];
        }
        for (int i = 0; i < PaneCounts.SKETCHES; i++) {
            HllSketch s = p.sketches[i];
            if (s != null) {
                if (unions[i] == null) {
                    unions[i] = new Union(lgK);
                }
                unions[i].update(s);
            }
        }
    }

    boolean isEmpty() {
        return empty;
    }

    WindowMetrics toMetrics(String kind, long start, long end, String dimension, String value, long now) {
        WindowMetrics m = new WindowMetrics();
        m.windowKind = kind;
        m.windowStart = start;
        m.windowEnd = end;
        m.dimension = dimension;
        m.dimensionValue = value;
        m.visitors = estimate(PaneCounts.VISITORS);
        m.sessions = estimate(PaneCounts.SESSIONS);
        m.sessionsWithView = estimate(PaneCounts.VIEW_SESSIONS);
        m.sessionsWithCart = estimate(PaneCounts.CART_SESSIONS);
        m.sessionsWithOrder = estimate(PaneCounts.ORDER_SESSIONS);
        m.sessionsStarted = sum.sessionsStarted;
        m.bounces = sum.bounces;
        m.productViews = sum.views;
        m.addToCarts = sum.addToCarts;
        m.removes = sum.removes;
        m.checkouts = sum.checkouts;
        m.orders = sum.orders;
        m.repeatOrders = sum.repeatOrders;
        m.units = sum.units;
        m.currencies = revenue.keySet().toArray(new String[0]);
        m.revenueMicros = new long[m.currencies.length];
        m.currencyOrders = new long[m.currencies.length];
        for (int i = 0; i < m.currencies.length; i++) {
            long[] r = revenue.get(m.currencies[i]);
            m.revenueMicros[i] = r[0];
            m.currencyOrders[i] = r[1];
        }
        m.recEvaluations = sum.recEvaluations;
        m.recHits = sum.recHits;
        m.emittedAt = now;
        return m;
    }

    /**
     * The composite estimator reads the registers only. The default (HIP) follows the order of the
     * updates, so the same visitors in another arrival order (another interleaving of partitions at
     * parallelism 2, a replay after a restart) gave another count.
     */
    private long estimate(int which) {
        return unions[which] == null ? 0 : Math.round(unions[which].getCompositeEstimate());
    }
}
