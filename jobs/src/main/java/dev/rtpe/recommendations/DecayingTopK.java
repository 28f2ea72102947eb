package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.rtpe.common.CompactState;

/**
 * A bounded set of keys with scores that decay exponentially in event time: heavy hitters with
 * forward decay. Kept in RocksDB inside its owner's compact state.
 *
 * <p>Forward decay: a weight w added at time t is stored as {@code w * 2^((t - landmark) / halfLife)}.
 * All entries share the landmark, so their order is the order of their decayed scores at any time,
 * and nothing needs touching as time passes. When full, a new key takes the place of the smallest
 * entry and inherits its value plus its own weight (Space-Saving), so a key that keeps coming gets in
 * and stays, while the size never exceeds the capacity.
 *
 * <p>Ties are broken by key, so the same updates always give the same ranking.
 */
public class DecayingTopK {
    /** Rescale before 2^x overflows a double's useful range. */
    private static final double MAX_EXPONENT = 500;

    public String[] keys = new String[0];
    /** Forward-decayed values, relative to {@link #landmark}. */
    public double[] values = new double[0];
    /** A label per key (its category), or null. */
    public String[] labels = new String[0];
    public long landmark;

    public DecayingTopK() {}

    /** One ranked entry with its score decayed to the time it was read. */
    public record Entry(String key, double score, String label) {}

    public int size() {
        return keys.length;
    }

    public boolean isEmpty() {
        return keys.length == 0;
    }

    /** Adds {@code weight} to {@code key} at {@code time}; keeps at most {@code capacity} keys. */
    public void add(String key, String label, double weight, long time, long halfLifeMillis, int capacity) {
        if (keys.length == 0) {
            landmark = time;
        }
        double exponent = (double) (time - landmark) / halfLifeMillis;
        if (exponent > MAX_EXPONENT) {
            rescale(time, halfLifeMillis);
            exponent = 0;
        }
        double value = weight * Math.pow(2, exponent);
        int i = indexOf(key);
        if (i >= 0) {
            values[i] += value;
            if (label != null) {
                labels[i] = label;
            }
        } else if (keys.length < capacity) {
            keys = Arrays.copyOf(keys, keys.length + 1);
            values = Arrays.copyOf(values, values.length + 1);
            labels = Arrays.copyOf(labels, labels.length + 1);
            keys[keys.length - 1] = key;
            values[values.length - 1] = value;
            labels[labels.length - 1] = label;
        } else {
            int min = indexOfSmallest();
            keys[min] = key;
            values[min] += value;
            labels[min] = label;
        }
    }

    /** The {@code n} highest entries, scores decayed to {@code time}. */
    public List<Entry> top(int n, long time, long halfLifeMillis) {
        int[] best = topIndexes(n);
        double decay = Math.pow(2, -(double) (time - landmark) / halfLifeMillis);
        List<Entry> top = new ArrayList<>(best.length);
        for (int i : best) {
            top.add(new Entry(keys[i], values[i] * decay, labels[i]));
        }
        return top;
    }

    /** The keys of the {@code n} highest entries, best first. */
    public String[] topKeys(int n) {
        int[] best = topIndexes(n);
        String[] top = new String[best.length];
        for (int k = 0; k < best.length; k++) {
            top[k] = keys[best[k]];
        }
        return top;
    }

    /** Partial insertion sort: O(size x n) with no boxing, which beats a full sort for n much smaller than size. */
    private int[] topIndexes(int n) {
        int[] best = new int[Math.min(n, keys.length)];
        if (best.length == 0) {
            return best;
        }
        int filled = 0;
        for (int i = 0; i < keys.length; i++) {
            if (filled == best.length && !ranksBefore(i, best[filled - 1])) {
                continue;
            }
            int at = filled < best.length ? filled++ : filled - 1;
            while (at > 0 && ranksBefore(i, best[at - 1])) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        return best;
    }

    private boolean ranksBefore(int a, int b) {
        return values[a] > values[b] || (values[a] == values[b] && keys[a].compareTo(keys[b]) < 0);
    }

    public void write(CompactState.Writer w) {
        w.putLong(landmark).putStrings(keys).putDoubles(values).putStrings(labels);
    }

    public static DecayingTopK read(CompactState.Reader r) {
        DecayingTopK t = new DecayingTopK();
        t.landmark = r.getLong();
        t.keys = r.getStrings();
        t.values = r.getDoubles();
        t.labels = r.getStrings();
        return t;
    }

    public void remove(String key) {
        int i = indexOf(key);
        if (i < 0) {
            return;
        }
        int last = keys.length - 1;
        keys[i] = keys[last];
        values[i] = values[last];
        labels[i] = labels[last];
        keys = Arrays.copyOf(keys, last);
        values = Arrays.copyOf(values, last);
        labels = Arrays.copyOf(labels, last);
    }

    public void clear() {
        keys = new String[0];
        values = new double[0];
        labels = new String[0];
    }

    private int indexOf(String key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The smallest value; among equals, the greatest key, so eviction is deterministic. */
    private int indexOfSmallest() {
        int min = 0;
        for (int i = 1; i < keys.length; i++) {
            if (values[i] < values[min] || (values[i] == values[min] && keys[i].compareTo(keys[min]) > 0)) {
                min = i;
            }
        }
        return min;
    }

    private void rescale(long time, long halfLifeMillis) {
        double factor = Math.pow(2, -(double) (time - landmark) / halfLifeMillis);
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        landmark = time;
    }
}
