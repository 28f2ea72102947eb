package dev.rtpe.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * Keeps the decoded values of the most recently used keys on the heap, in front of their RocksDB
 * state. A read of a cached key costs no RocksDB lookup and no decoding; a write only marks the
 * entry dirty. Dirty entries go to RocksDB when they are evicted and before every checkpoint
 * barrier ({@link #flush}), so every checkpoint holds exactly what the operator has applied.
 *
 * <p>Why: with one read and one write per event and stage, RocksDB lookups, writes and their
 * compactions were a third of the engine's CPU (async-profiler; README, benchmarks). Shoppers and
 * products are Zipf-distributed, so a modest cache catches most accesses.
 *
 * <p>Dirty entries also trickle back while the operator works ({@link #writeBehind}): an entry
 * written more than {@link #WRITE_BEHIND_AGE} ago goes to RocksDB a few at a time after each record.
 * A hot key is thus written once per interval instead of once per event, and a checkpoint only has
 * the last moments' changes to flush, instead of stalling the stream for all of them.
 *
 * <p>Used through {@link CachingKeyedProcessOperator} (or an operator of the same contract), which
 * binds the key context and calls {@link #writeBehind} and {@link #flush}.
 */
public final class WriteBackCache<T> {
    /** How long an entry stays dirty in memory before {@link #writeBehind} writes it back. */
    static final long WRITE_BEHIND_AGE_NANOS = 2_000_000_000L;
    /** Entries written back per {@link #writeBehind} call at most. */
    static final int WRITE_BEHIND_BUDGET = 4;

    private final CompactValueState<T> state;
    private final int capacity;
    private final LinkedHashMap<Object, Entry<T>> entries;
    /** Entries in the order they became dirty; ones cleaned meanwhile are skipped. */
    private final ArrayDeque<Entry<T>> dirtyOrder = new ArrayDeque<>();
    private KeyContext keys;
    private volatile long lastFlushMillis;
    private volatile int lastFlushEntries;

    private static final class Entry<T> {
        final Object key;
        T value;
        boolean dirty;
        long dirtySince;

        Entry(Object key, T value) {
            this.key = key;
            this.value = value;
        }
    }

    private WriteBackCache(CompactValueState<T> state, int capacity) {
        this.state = state;
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true);
    }

    /** A cached value per key, expiring {@code ttl} after its last write to RocksDB. */
    public static <T> WriteBackCache<T> of(RuntimeContext ctx, String name, Duration ttl, CompactValueState.Codec<T> codec,
                                           int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, got " + capacity);
        }
        return new WriteBackCache<>(CompactValueState.of(ctx, name, ttl, codec), capacity);
    }

    /** Called by the operator once it is open: the cache switches keys through it to write back. */
    public void bind(KeyContext keyContext) {
        this.keys = keyContext;
    }

    /**
     * Shows the cache in the Web UI: how full it is, and how long the last checkpoint's flush
     * held up the stream.
     */
    public void registerMetrics(org.apache.flink.metrics.MetricGroup group, String name) {
        org.apache.flink.metrics.MetricGroup g = group.addGroup("stateCache", name);
        g.gauge("entries", () -> entries.size());
        g.gauge("lastFlushMillis", () -> lastFlushMillis);
        g.gauge("lastFlushEntries", () -> lastFlushEntries);
    }

    /** The current key's value, or null. */
    public T value() throws IOException {
        Object key = currentKey();
        Entry<T> e = entries.get(key);
        if (e == null) {
            e = new Entry<>(key, state.value());
            admit(key, e);
        }
        return e.value;
    }

    /** Sets the current key's value; it reaches RocksDB on eviction or at the next checkpoint. */
    public void update(T value) {
        Object key = currentKey();
        Entry<T> e = entries.get(key);
        if (e == null) {
            e = new Entry<>(key, value);
            markDirty(e);
            admit(key, e);
        } else {
            e.value = value;
            markDirty(e);
        }
    }

    private void markDirty(Entry<T> e) {
        if (!e.dirty) {
            e.dirty = true;
            e.dirtySince = System.nanoTime();
            dirtyOrder.addLast(e);
        }
    }

    /**
     * Writes back a few entries that have been dirty for a while; call after each record. Leaves
     * the current key as it was.
     */
    public void writeBehind() {
        if (dirtyOrder.isEmpty()) {
            return;
        }
        Object current = keys.getCurrentKey();
        long now = System.nanoTime();
        int written = 0;
        while (written < WRITE_BEHIND_BUDGET && !dirtyOrder.isEmpty()) {
            Entry<T> e = dirtyOrder.peekFirst();
            if (!e.dirty) {
                dirtyOrder.pollFirst(); // written back or evicted meanwhile
                continue;
            }
            if (now - e.dirtySince < WRITE_BEHIND_AGE_NANOS) {
                break; // the rest became dirty even later
            }
            dirtyOrder.pollFirst();
            writeBack(e.key, e);
            written++;
        }
        if (written > 0 && current != null) {
            keys.setCurrentKey(current);
        }
    }

    /** Writes every dirty entry to RocksDB, leaving the current key as it was. */
    public void flush() {
        if (keys == null) {
            return;
        }
        long start = System.nanoTime();
        int flushed = 0;
        Object current = keys.getCurrentKey();
        for (Map.Entry<Object, Entry<T>> e : entries.entrySet()) {
            if (e.getValue().dirty) {
                writeBack(e.getKey(), e.getValue());
                flushed++;
            }
        }
        dirtyOrder.clear();
        lastFlushEntries = flushed;
        lastFlushMillis = (System.nanoTime() - start) / 1_000_000;
        if (current != null) {
            keys.setCurrentKey(current);
        }
    }

    public int size() {
        return entries.size();
    }

    private void admit(Object key, Entry<T> e) {
        entries.put(key, e);
        if (entries.size() > capacity) {
            Iterator<Map.Entry<Object, Entry<T>>> eldest = entries.entrySet().iterator();
            Map.Entry<Object, Entry<T>> victim = eldest.next();
            if (victim.getValue().dirty) {
                writeBack(victim.getKey(), victim.getValue());
                keys.setCurrentKey(key);
            }
            eldest.remove();
        }
    }

    private void writeBack(Object key, Entry<T> e) {
        keys.setCurrentKey(key);
        try {
            if (e.value == null) {
                state.clear();
            } else {
                state.update(e.value);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("writing back state of key " + key, ex);
        }
        e.dirty = false;
    }

    private Object currentKey() {
        if (keys == null) {
            throw new IllegalStateException("WriteBackCache used outside a caching operator: bind() was not called");
        }
        return keys.getCurrentKey();
    }
}
