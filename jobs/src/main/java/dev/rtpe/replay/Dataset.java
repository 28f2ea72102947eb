package dev.rtpe.replay;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/**
 * A dataset file read into memory as input events, in event-time order. The public datasets are
 * not all sorted by time (Taobao's is by user), and a replay must be, or most events would be late.
 * Sorting needs them all in memory: about 200 bytes an event (see the README for large files).
 */
public final class Dataset {
    /** How many examples of malformed rows are kept for the report. */
    static final int EXAMPLES_KEPT = 5;

    public final List<ShopperEvent> events;
    public final long lines;
    /** Malformed rows per reason, in the order reasons were first seen. */
    public final Map<String, Long> malformed;
    public final List<String> malformedExamples;
    /** Rows that were further lines of an order already read (RetailRocket's transactions). */
    public final long mergedOrderLines;

    private Dataset(List<ShopperEvent> events, long lines, Map<String, Long> malformed, List<String> malformedExamples,
                    long mergedOrderLines) {
        this.events = events;
        this.lines = lines;
        this.malformed = malformed;
        this.malformedExamples = malformedExamples;
        this.mergedOrderLines = mergedOrderLines;
    }

    public long malformedRows() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Reads a plain or gzipped file (gzip is recognised by its magic bytes, not by the name).
     *
     * @param limit at most this many data lines; 0 for all
     * @param progress told the bytes read so far, now and then
     */
    public static Dataset read(DatasetFormat format, Path file, long limit, Duration sessionGap, LongConsumer progress)
            throws IOException {
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(file), progress);
             BufferedReader in = new BufferedReader(new InputStreamReader(maybeGunzip(counted), StandardCharsets.UTF_8), 1 << 16)) {
            return read(format, in, limit, sessionGap);
        }
    }

    static Dataset read(DatasetFormat format, BufferedReader in, long limit, Duration sessionGap) throws IOException {
        List<ShopperEvent> events = new ArrayList<>();
        Map<String, Long> malformed = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        long lineNumber = 0;
        boolean first = true;
        long rows = 0;
        String line;
        while ((line = in.readLine()) != null && (limit <= 0 || rows < limit)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            if (first) {
                first = false;
                line = withoutByteOrderMark(line);
                if (format.isHeader(line)) {
                    continue;
                }
            }
            rows++;
            try {
                events.add(format.parse(line, lineNumber));
            } catch (DatasetFormat.MalformedRow bad) {
                malformed.merge(bad.reason, 1L, Long::sum);
                if (examples.size() < EXAMPLES_KEPT) {
                    examples.add("line " + lineNumber + ": " + bad.reason + ": " + bad.getMessage());
                }
            }
        }
        sortByEventTime(events);
        long merged = format.ordersSpanRows() ? mergeOrderLines(events) : 0;
        deriveSessions(events, sessionGap.toMillis());
        return new Dataset(events, lineNumber, malformed, examples, merged);
    }

    /** Spreadsheet exports often start with one. */
    private static String withoutByteOrderMark(String line) {
        return line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }

    /** Stable: events at the same time keep their file order. */
    static void sortByEventTime(List<ShopperEvent> events) {
        events.sort(Comparator.comparingLong(e -> e.eventTime));
    }

    /**
     * Rows of one order (same shopper and order id) become one purchase with all their lines, at
     * the time of the first. Only for formats with a row per order line.
     */
    static long mergeOrderLines(List<ShopperEvent> events) {
        Map<String, ShopperEvent> orders = new HashMap<>();
        List<ShopperEvent> kept = new ArrayList<>(events.size());
        long merged = 0;
        for (ShopperEvent e : events) {
            if (e.eventType == EventType.PURCHASE) {
                ShopperEvent first = orders.putIfAbsent(shopperOf(e) + '\u0000' + e.orderId, e);
                if (first != null) {
                    addLines(first, e);
                    merged++;
                    continue;
                }
            }
            kept.add(e);
        }
        events.clear();
        events.addAll(kept);
        return merged;
    }

    private static void addLines(ShopperEvent order, ShopperEvent more) {
        LineItem[] items = Arrays.copyOf(order.items, order.items.length + more.items.length);
        System.arraycopy(more.items, 0, items, order.items.length, more.items.length);
        order.items = items;
        order.value += more.value;
    }

    /**
     * Formats without sessions get them from inactivity, as web analytics does: a shopper's next
     * event more than {@code gapMillis} after the previous one starts a new session.
     */
    static void deriveSessions(List<ShopperEvent> events, long gapMillis) {
        Map<String, long[]> lastSeen = new HashMap<>(); // shopper -> {last event time, session number}
        for (ShopperEvent e : events) {
            if (e.sessionId != null) {
                continue;
            }
            String shopper = shopperOf(e);
            long[] s = lastSeen.get(shopper);
            if (s == null) {
                s = new long[] {e.eventTime, 1};
                lastSeen.put(shopper, s);
            } else if (e.eventTime - s[0] > gapMillis) {
                s[1]++;
            }
            s[0] = e.eventTime;
            e.sessionId = shopper + "-s" + s[1];
        }
    }

    /** The customer key: customer "42" and anonymous visitor "42" are different shoppers. */
    static String shopperOf(ShopperEvent e) {
        return ShopperEvent.customerKeyOf(e.customerId, e.anonymousId);
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    }

    /** Counts the file's bytes (compressed, for gzip), which is what "% done" can be measured in. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final LongConsumer progress;
        private long count;
        private long reported;

        CountingInputStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                advance(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                advance(n);
            }
            return n;
        }

        private void advance(long n) {
            count += n;
            if (count - reported >= (8 << 20)) {
                reported = count;
                progress.accept(count);
            }
        }
    }
}
