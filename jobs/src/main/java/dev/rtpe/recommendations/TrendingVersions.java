package dev.rtpe.recommendations;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.state.BroadcastState;

/**
 * Which trending lists a shopper's list may see: those of an event-time version, the same however
 * fast the trending path runs beside the shopper's own.
 *
 * <p>Event time is cut into buckets of {@code delay}. Version {@code k} holds every trending list
 * that took effect ({@link ContextUpdate#effectiveAt}) before bucket {@code k} began; it is complete
 * once the watermark reaches that point. An event at time {@code t} sees the version of the bucket
 * before its own: lists at least one and less than two delays old, never one made after the event.
 * Live, the watermark trails the newest events by the out-of-orderness bound (5 s), far less than
 * the delay (30 s), so an event's version is complete when it arrives. In a catch-up it may not be:
 * in arrival order the event then takes the newest complete version (older trending, never newer);
 * in event-time order it waits until the watermark passes it.
 *
 * <p>Two versions are at hand: the folded lists (the broadcast {@code trending-by-category} state)
 * make version {@code applied - 1}; with the pending lists of bucket {@code applied - 1} they make
 * version {@code applied}, where {@code applied} is the watermark's bucket. An event that is not
 * late needs one of the two, or a newer one it waits for. Pending lists of later buckets wait in
 * broadcast state; the watermark folds them in, in bucket and then category order, so every
 * instance holds the same, and holds it again after a restore.
 */
final class TrendingVersions {
    private static final String APPLIED = "applied";
    /** Before the first watermark: nothing is complete. */
    static final long NONE = Long.MIN_VALUE / 4;

    private final BroadcastState<String, ContextUpdate> pending;
    private final BroadcastState<String, Long> version;
    private final long delayMillis;
    private long applied;
    private String newestBucketPrefix;

    TrendingVersions(BroadcastState<String, ContextUpdate> pending, BroadcastState<String, Long> version, long delayMillis)
            throws Exception {
        this.pending = pending;
        this.version = version;
        this.delayMillis = delayMillis;
        Long restored = version.get(APPLIED);
        setApplied(restored == null ? NONE : restored);
    }

    /** The pending keys of bucket {@code applied - 1} start with this: built once per version, not per lookup. */
    private void setApplied(long v) {
        applied = v;
        newestBucketPrefix = pendingKey(v - 1, "");
    }

    long delayMillis() {
        return delayMillis;
    }

    /** The newest complete version. */
    long applied() {
        return applied;
    }

    /** The version an event at {@code eventTime} sees: the one complete at the start of its bucket's predecessor. */
    static long versionFor(long eventTime, long delayMillis) {
        return Math.floorDiv(eventTime, delayMillis) - 1;
    }

    static long bucketOf(long effectiveAt, long delayMillis) {
        return Math.floorDiv(effectiveAt, delayMillis);
    }

    /** The watermark that completes a version. */
    long completeAt(long v) {
        return v * delayMillis;
    }

    static String pendingKey(long bucket, String category) {
        return bucket + "|" + category;
    }

    private static long bucketOfKey(String key) {
        return Long.parseLong(key.substring(0, key.indexOf('|')));
    }

    /**
     * Keeps a trending list until its version is complete: the newest per category and bucket.
     * False when it is late, because its bucket is folded already; the caller then folds it too.
     */
    boolean offer(ContextUpdate update) throws Exception {
        long bucket = bucketOf(update.effectiveAt, delayMillis);
        if (bucket < applied - 1) {
            return false;
        }
        String key = pendingKey(bucket, update.category);
        ContextUpdate kept = pending.get(key);
        if (kept == null || kept.effectiveAt <= update.effectiveAt) {
            pending.put(key, update);
        }
        return true;
    }

    /** The category's list from bucket {@code applied - 1}, which only version {@code applied} and later see; or null. */
    ContextUpdate newestBucket(String category, long v) throws Exception {
        return v >= applied ? pending.get(newestBucketPrefix + category) : null;
    }

    /**
     * The next version to complete on the way to the watermark's bucket {@code target}. While lists
     * are pending, bucket by bucket from the oldest pending one, since each bucket's held steps need
     * their own version (the versions before it are all the same); once none is, the target, since
     * every version from here on is the same.
     */
    long nextStop(long target) throws Exception {
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<String, ContextUpdate> e : pending.immutableEntries()) {
            oldest = Math.min(oldest, bucketOfKey(e.getKey()));
        }
        return oldest == Long.MAX_VALUE ? target : Math.min(target, Math.max(applied + 1, oldest));
    }

    /**
     * Completes version {@code v}: the lists that the folded state must now hold, oldest bucket
     * first, then by category. They leave the pending state; the caller folds them in, in order.
     */
    List<ContextUpdate> complete(long v) throws Exception {
        List<Map.Entry<String, ContextUpdate>> due = new ArrayList<>();
        for (Map.Entry<String, ContextUpdate> e : pending.immutableEntries()) {
            if (bucketOfKey(e.getKey()) < v - 1) {
                due.add(Map.entry(e.getKey(), e.getValue()));
            }
        }
        due.sort(Comparator.<Map.Entry<String, ContextUpdate>>comparingLong(e -> bucketOfKey(e.getKey()))
                .thenComparing(e -> e.getValue().category));
        List<ContextUpdate> fold = new ArrayList<>(due.size());
        for (Map.Entry<String, ContextUpdate> e : due) {
            pending.remove(e.getKey());
            fold.add(e.getValue());
        }
        setApplied(v);
        version.put(APPLIED, v);
        return fold;
    }

    /** The watermark's bucket: every version up to it is complete. */
    long targetFor(long watermark) {
        return Math.floorDiv(watermark, delayMillis);
    }
}
