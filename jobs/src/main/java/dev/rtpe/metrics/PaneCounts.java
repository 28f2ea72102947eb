package dev.rtpe.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;

import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;

/**
 * Everything one pane of one dimension value has counted: exact counters, revenue per currency,
 * and HyperLogLog sketches for the distinct counts. Panes add up: a window is the sum of its
 * counters and the union of its sketches ({@link WindowTotals}).
 */
public final class PaneCounts {
    static final int VISITORS = 0;
    static final int SESSIONS = 1;
    static final int VIEW_SESSIONS = 2;
    static final int CART_SESSIONS = 3;
    static final int ORDER_SESSIONS = 4;
    static final int SKETCHES = 5;

    private static final long HASH_SEED = 9001L;
    private static final String[] NO_CURRENCIES = new String[0];

    long views;
    long addToCarts;
    long removes;
    long checkouts;
    long orders;
    long repeatOrders;
    long units;
    long sessionsStarted;
    long bounces;
    long recEvaluations;
    long recHits;
    /** Revenue and orders per currency, in the order the currencies first came. */
    String[] currencies = NO_CURRENCIES;
    long[] revenueMicros = new long[0];
    long[] currencyOrders = new long[0];
    /** Indexed by the constants above; null until the first update. */
    final HllSketch[] sketches = new HllSketch[SKETCHES];

    /** A 64-bit hash of an identifier, computed once per event for all the sketches it goes into. */
    public static long hash(String id) {
        return MurmurHash3.hash(id.getBytes(StandardCharsets.UTF_8), HASH_SEED)[0];
    }

    void add(PaneDelta d, int lgK) {
        views += d.views;
        addToCarts += d.addToCarts;
        removes += d.removes;
        checkouts += d.checkouts;
        orders += d.orders;
        repeatOrders += d.repeatOrders;
        units += d.units;
        sessionsStarted += d.sessionsStarted;
        bounces += d.bounces;
        recEvaluations += d.recEvaluations;
        recHits += d.recHits;
        if (d.currency != null) {
            int i = currencyIndex(d.currency);
            revenueMicros[i] += d.revenueMicros;
            currencyOrders[i] += d.orders;
        }
        int flags = d.sessionFlags;
        if ((flags & PaneDelta.ACTIVE) != 0) {
            sketch(VISITORS, lgK).update(d.visitorHash);
            sketch(SESSIONS, lgK).update(d.sessionHash);
        }
        if ((flags & PaneDelta.VIEWED) != 0) {
            sketch(VIEW_SESSIONS, lgK).update(d.sessionHash);
        }
        if ((flags & PaneDelta.CARTED) != 0) {
            sketch(CART_SESSIONS, lgK).update(d.sessionHash);
        }
        if ((flags & PaneDelta.ORDERED) != 0) {
            sketch(ORDER_SESSIONS, lgK).update(d.sessionHash);
        }
    }

    private HllSketch sketch(int which, int lgK) {
        HllSketch s = sketches[which];
        if (s == null) {
            // HLL_4: half the bytes of HLL_8 in state, with the same error.
            s = new HllSketch(lgK, TgtHllType.HLL_4);
            sketches[which] = s;
        }
        return s;
    }

    private int currencyIndex(String currency) {
        for (int i = 0; i < currencies.length; i++) {
            if (currencies[i].equals(currency)) {
                return i;
            }
        }
        int n = currencies.length;
        currencies = Arrays.copyOf(currencies, n + 1);
        revenueMicros = Arrays.copyOf(revenueMicros, n + 1);
        currencyOrders = Arrays.copyOf(currencyOrders, n + 1);
        currencies[n] = currency;
        return n;
    }

    /** Binary layout, version 1; sketches in their own compact serialization. */
    public static final CompactValueState.Codec<PaneCounts> CODEC = new CompactValueState.Codec<>() {
        private static final int VERSION = 1;

        @Override
        public void write(PaneCounts c, CompactState.Writer out) {
            out.putByte(VERSION);
            out.putLongs(new long[] {c.views, c.addToCarts, c.removes, c.checkouts, c.orders, c.repeatOrders, c.units,
                c.sessionsStarted, c.bounces, c.recEvaluations, c.recHits});
            out.putStrings(c.currencies);
            out.putLongs(c.revenueMicros);
            out.putLongs(c.currencyOrders);
            for (HllSketch s : c.sketches) {
                out.putBoolean(s != null);
                if (s != null) {
                    out.putBytes(s.toCompactByteArray());
                }
            }
        }

        @Override
        public PaneCounts read(CompactState.Reader in) {
            in.expectVersion(VERSION, "pane counts");
            PaneCounts c = new PaneCounts();
            long[] n = in.getLongs();
            c.views = n[0];
            c.addToCarts = n[1];
            c.removes = n[2];
            c.checkouts = n[3];
            c.orders = n[4];
            c.repeatOrders = n[5];
            c.units = n[6];
            c.sessionsStarted = n[7];
            c.bounces = n[8];
            c.recEvaluations = n[9];
            c.recHits = n[10];
            c.currencies = in.getStrings();
            c.revenueMicros = in.getLongs();
            c.currencyOrders = in.getLongs();
            for (int i = 0; i < SKETCHES; i++) {
                if (in.getBoolean()) {
                    c.sketches[i] = HllSketch.heapify(in.getBytes());
                }
            }
            return c;
        }
    };

    /** The pane's counts as bytes, to send downstream. */
    byte[] toBytes() {
        CompactState.Writer w = new CompactState.Writer();
        CODEC.write(this, w);
        return w.toBytes();
    }

    static PaneCounts fromBytes(byte[] bytes) {
        return CODEC.read(new CompactState.Reader(bytes));
    }
}
