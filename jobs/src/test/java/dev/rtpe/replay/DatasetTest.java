package dev.rtpe.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;

/** Reading a dataset file: order, merged orders, derived sessions, malformed rows, limit and gzip. */
class DatasetTest {
    private static final Duration GAP = Duration.ofMinutes(30);
    private static final long MIN = 60_000L;
    private static final long T = 1_500_000_000_000L;
    private static final String RR_HEADER = "timestamp,visitorid,event,itemid,transactionid";

    // ---- 1. event-time order, stable --------------------------------------------------------

    @Test
    void sortsByEventTimeKeepingFileOrderForEqualTimes() throws IOException {
        Dataset d = read("retailrocket", RR_HEADER,
                "3000,1,view,10,", // line 2
                "1000,2,view,11,", // line 3
                "2000,3,view,12,", // line 4
                "1000,4,view,13,", // line 5
                "3000,5,view,14,", // line 6
                "1000,6,view,15,"); // line 7
        assertEquals(List.of(3, 5, 7, 4, 2, 6), lineNumbers(d, "retailrocket"));
    }

    @Test
    void taobaoFixtureComesOutInTimeOrderThoughTheFileIsNot() throws Exception {
        List<String> lines = Files.readAllLines(fixture("taobao-userbehavior-sample.csv"));
        Map<Integer, Long> fileTimes = new LinkedHashMap<>(); // line number -> epoch seconds, for well-formed rows
        for (int i = 0; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            if (c.length == 5 && c[4].matches("\\d+")) {
                fileTimes.put(i + 1, Long.parseLong(c[4]));
            }
        }
        List<Long> inFileOrder = new ArrayList<>(fileTimes.values());
        assertFalse(isSorted(inFileOrder), "the fixture must not already be in time order");

        Dataset d = readFixture("taobao", "taobao-userbehavior-sample.csv");
        List<Integer> expected = lineNumbers(d, "taobao").stream()
                .sorted(Comparator.<Integer>comparingLong(fileTimes::get).thenComparing(Function.identity()))
                .collect(Collectors.toList());
        assertEquals(expected, lineNumbers(d, "taobao"), "sorted by time, ties in file order");
        for (ShopperEvent e : d.events) {
            assertEquals(fileTimes.get(lineOf(e, "taobao")) * 1000, e.eventTime, e.eventId);
        }
        assertEquals(lines.size() - d.malformedRows(), d.events.size(), "no header; Taobao buys never merge");
        assertEquals(0, d.mergedOrderLines);
    }

    // ---- 2. RetailRocket transactions ---------------------------------------------------------

    @Test
    void retailRocketTransactionRowsBecomeOnePurchasePerOrder() throws Exception {
        List<String> lines = Files.readAllLines(fixture("retailrocket-events-sample.csv"));
        Map<String, List<String[]>> orders = new LinkedHashMap<>(); // visitor/transaction -> {line, time, item} rows
        int transactionRows = 0;
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            if (c.length == 5 && c[2].equals("transaction") && !c[4].isEmpty()) {
                transactionRows++;
                orders.computeIfAbsent(c[1] + "/" + c[4], k -> new ArrayList<>())
                        .add(new String[] {String.valueOf(i + 1), c[0], c[3]});
            }
        }
        assertTrue(orders.values().stream().anyMatch(rows -> rows.size() > 2), "the fixture has a multi-line order");

        Dataset d = readFixture("retailrocket", "retailrocket-events-sample.csv");
        List<ShopperEvent> purchases = d.events.stream()
                .filter(e -> e.eventType == EventType.PURCHASE).collect(Collectors.toList());
        assertEquals(orders.size(), purchases.size());
        assertEquals(transactionRows - orders.size(), d.mergedOrderLines);
        Map<String, ShopperEvent> byId = d.events.stream().collect(Collectors.toMap(e -> e.eventId, e -> e));
        for (Map.Entry<String, List<String[]>> order : orders.entrySet()) {
            List<String[]> rows = order.getValue();
            ShopperEvent p = byId.get("retailrocket-" + rows.get(0)[0]);
            assertNotNull(p, "the purchase keeps the first row's id: " + order.getKey());
            assertEquals(order.getKey(), p.anonymousId + "/" + p.orderId);
            assertEquals(Long.parseLong(rows.get(0)[1]), p.eventTime);
            assertEquals(rows.stream().map(r -> r[2]).collect(Collectors.toList()), productIds(p.items));
            assertEquals(0.0, p.value, "RetailRocket has no prices: the sum of zeros");
            for (String[] further : rows.subList(1, rows.size())) {
                assertFalse(byId.containsKey("retailrocket-" + further[0]), "merged row is no event of its own");
            }
        }
        assertEquals(lines.size() - 1 - d.malformedRows() - d.mergedOrderLines, d.events.size());
    }

    @Test
    void onlyTheSameVisitorAndTransactionMerge() throws IOException {
        Dataset d = read("retailrocket", RR_HEADER,
                "1000,1,transaction,10,7", // 2
                "1000,2,transaction,11,7", // 3: another visitor, same transaction id
                "1000,1,transaction,12,8", // 4: same visitor, another transaction
                "1000,1,transaction,13,7"); // 5: joins line 2
        assertEquals(1, d.mergedOrderLines);
        assertEquals(List.of(2, 3, 4), lineNumbers(d, "retailrocket"));
        assertEquals(List.of("10", "13"), productIds(d.events.get(0).items));
        assertEquals(List.of("11"), productIds(d.events.get(1).items));
        assertEquals(List.of("12"), productIds(d.events.get(2).items));
    }

    @Test
    void mergedOrderSumsValuesAndAppendsLines() {
        ShopperEvent first = purchase("p1", "c1", "o1", 100, 10.0, "A");
        ShopperEvent view = new ShopperEvent();
        view.eventId = "v";
        view.eventType = EventType.VIEW_ITEM;
        view.customerId = "c1";
        view.eventTime = 150;
        ShopperEvent second = purchase("p2", "c1", "o1", 200, 5.5, "B", "C");
        ShopperEvent otherShopper = purchase("p3", "c2", "o1", 300, 1.0, "D");
        List<ShopperEvent> events = new ArrayList<>(List.of(first, view, second, otherShopper));

        assertEquals(1, Dataset.mergeOrderLines(events));
        assertEquals(List.of("p1", "v", "p3"), events.stream().map(e -> e.eventId).collect(Collectors.toList()));
        assertEquals(List.of("A", "B", "C"), productIds(first.items));
        assertEquals(15.5, first.value, 1e-9);
        assertEquals(100, first.eventTime);
        assertEquals(List.of("D"), productIds(otherShopper.items));
        assertEquals(1.0, otherShopper.value);
    }

    // ---- 3. derived sessions --------------------------------------------------------------------

    @Test
    void retailRocketSessionsSplitOnMoreThanTheGap() throws IOException {
        Dataset d = read("retailrocket", RR_HEADER,
                (T + 30 * MIN) + ",1,view,10,", // 2: exactly the gap after line 3 (which comes first in time)
                T + ",1,view,11,", // 3
                (T + 60 * MIN + 1) + ",1,view,12,", // 4: 30 min + 1 ms after line 2
                (T + 61 * MIN) + ",1,view,13,", // 5
                (T + MIN) + ",2,view,14,", // 6: another visitor, inside visitor 1's session
                (T + 5 * MIN) + ",2,view,15,", // 7
                (T + 200 * MIN) + ",11,view,16,"); // 8
        assertEquals(Map.of(2, "a:1-s1", 3, "a:1-s1", 4, "a:1-s2", 5, "a:1-s2", 6, "a:2-s1", 7, "a:2-s1", 8, "a:11-s1"),
                sessionsByLine(d, "retailrocket"));

        Dataset longGap = read("retailrocket", Duration.ofHours(1), RR_HEADER,
                T + ",1,view,11,", (T + 45 * MIN) + ",1,view,12,", (T + 106 * MIN) + ",1,view,13,");
        assertEquals(Map.of(2, "a:1-s1", 3, "a:1-s1", 4, "a:1-s2"), sessionsByLine(longGap, "retailrocket"),
                "the gap is the one asked for");
    }

    @Test
    void taobaoSessionsSplitOnMoreThanTheGap() throws IOException {
        long s = T / 1000;
        Dataset d = read("taobao",
                "7,100,1,pv," + s, // 1
                "7,101,1,pv," + (s + 1800), // 2: exactly 30 min later
                "8,102,1,cart," + (s + 10), // 3
                "7,103,1,buy," + (s + 3601), // 4: 30 min 1 s later
                "8,104,1,fav," + (s + 9000)); // 5
        assertEquals(Map.of(1, "c:7-s1", 2, "c:7-s1", 3, "c:8-s1", 4, "c:7-s2", 5, "c:8-s2"), sessionsByLine(d, "taobao"));
    }

    @ParameterizedTest
    @CsvSource({"retailrocket, retailrocket-events-sample.csv, 1", "taobao, taobao-userbehavior-sample.csv, 30"})
    void fixtureSessionsFollowTheGapRule(String format, String file, int gapMinutes) throws Exception {
        Duration gap = Duration.ofMinutes(gapMinutes); // RetailRocket's sample has no 30-minute pause
        Dataset d = Dataset.read(Formats.byName(format), fixture(file), 0, gap, b -> { });
        Map<String, ShopperEvent> previous = new HashMap<>();
        Map<String, Set<String>> shoppersBySession = new HashMap<>();
        int splits = 0;
        for (ShopperEvent e : d.events) {
            String shopper = e.customerId != null ? "c:" + e.customerId : "a:" + e.anonymousId;
            shoppersBySession.computeIfAbsent(e.sessionId, k -> new HashSet<>()).add(shopper);
            ShopperEvent p = previous.put(shopper, e);
            int n = sessionNumber(e, shopper);
            if (p == null) {
                assertEquals(1, n, e.eventId);
            } else if (e.eventTime - p.eventTime > gap.toMillis()) {
                assertEquals(sessionNumber(p, shopper) + 1, n, e.eventId);
                splits++;
            } else {
                assertEquals(p.sessionId, e.sessionId, e.eventId);
            }
        }
        assertTrue(splits > 0, "the fixture has shoppers with several sessions");
        shoppersBySession.forEach((session, shoppers) -> assertEquals(1, shoppers.size(), session));
    }

    @Test
    void formatsWithSessionsKeepThem() throws IOException {
        Dataset rees = read("rees46",
                "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session",
                "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,42,abc", // 2
                "2019-10-01 05:00:00 UTC,view,1,2,,,1.00,42,abc", // 3: hours later, same session
                "2019-10-01 05:00:01 UTC,view,1,2,,,1.00,42,def"); // 4: a second later, another session
        assertEquals(Map.of(2, "abc", 3, "abc", 4, "def"), sessionsByLine(rees, "rees46"));

        Dataset digi = read("diginetica", "sessionId;userId;itemId;timeframe;eventdate",
                "1;NA;10;0;2016-05-09", // 2
                "1;NA;11;0;2016-05-10", // 3: a day later
                "2;NA;12;1000;2016-05-09"); // 4
        assertEquals(Map.of(2, "1", 3, "1", 4, "2"), sessionsByLine(digi, "diginetica"));
    }

    // ---- 4. malformed rows -----------------------------------------------------------------------

    @Test
    void malformedFixtureIsCountedPerReasonWithExamples() throws Exception {
        Dataset d = readFixture("rees46", "rees46-malformed.csv");
        assertEquals(0, d.events.size());
        assertEquals(List.of("wrong_column_count", "bad_time", "unknown_event_type", "missing_field", "bad_number"),
                new ArrayList<>(d.malformed.keySet()), "reasons in the order first seen");
        assertEquals(List.of(1L, 1L, 1L, 2L, 1L), new ArrayList<>(d.malformed.values()));
        assertEquals(6, d.malformedRows(), "every data line, and not the header");
        assertEquals(Dataset.EXAMPLES_KEPT, d.malformedExamples.size());
        String[] reasons = {"wrong_column_count", "bad_time", "unknown_event_type", "missing_field", "bad_number"};
        for (int i = 0; i < reasons.length; i++) {
            assertTrue(d.malformedExamples.get(i).startsWith("line " + (i + 2) + ": " + reasons[i] + ": "),
                    d.malformedExamples.get(i));
        }
    }

    @Test
    void blankLinesAreIgnoredAndMalformedRowsNeverAbort() throws Exception {
        Dataset d = read("retailrocket", RR_HEADER,
                "", // 2
                "1000,1,view,10,", // 3
                "   ", // 4
                "1000,1,click,10,", // 5: unknown_event_type
                "", // 6
                "2000,1,view,11,"); // 7
        assertEquals(List.of(3, 7), lineNumbers(d, "retailrocket"), "line numbers count blank lines");
        assertEquals(Map.of("unknown_event_type", 1L), d.malformed);
        assertEquals(List.of("line 5: unknown_event_type: event 'click' is not a known event type"), d.malformedExamples);

        Dataset fixture = readFixture("retailrocket", "retailrocket-events-sample.csv");
        assertEquals(Map.of("wrong_column_count", 2L, "bad_time", 1L, "unknown_event_type", 1L, "missing_field", 2L),
                fixture.malformed);
        assertTrue(fixture.malformedExamples.stream().allMatch(x -> x.matches("line \\d+: \\w+: .+")), fixture.malformedExamples.toString());
    }

    @Test
    void headerIsSkippedOnlyOnTheFirstLine() throws IOException {
        Dataset d = read("retailrocket", RR_HEADER, "1000,1,view,10,", RR_HEADER);
        assertEquals(List.of(2), lineNumbers(d, "retailrocket"));
        assertEquals(Map.of("bad_time", 1L), d.malformed, "a header-like line later is data, and bad");
    }

    // ---- 5. limit ----------------------------------------------------------------------------------

    @Test
    void limitCapsDataLinesGoodAndMalformed() throws Exception {
        String[] rows = {RR_HEADER,
                "1000,1,view,10,", // 2
                "", // 3
                "1000,1,click,10,", // 4
                "1000,1,view,11,", // 5
                "1000,1,view,12,", // 6
                "x,1,view,13,"}; // 7
        Dataset limited = read("retailrocket", GAP, 3, rows);
        assertEquals(List.of(2, 5), lineNumbers(limited, "retailrocket"));
        assertEquals(1, limited.malformedRows());

        Dataset all = read("retailrocket", GAP, 0, rows);
        assertEquals(List.of(2, 5, 6), lineNumbers(all, "retailrocket"));
        assertEquals(2, all.malformedRows());

        Dataset order = read("retailrocket", GAP, 3, RR_HEADER,
                "1000,1,transaction,10,7", "1000,1,transaction,11,7", "1000,1,transaction,12,7", "1000,1,view,13,");
        assertEquals(1, order.events.size(), "limit counts rows, not merged events");
        assertEquals(List.of("10", "11", "12"), productIds(order.events.get(0).items));
        assertEquals(2, order.mergedOrderLines);

        Dataset rees = Dataset.read(Formats.byName("rees46"), fixture("rees46-2019-Oct-sample.csv"), 10, GAP, b -> { });
        assertEquals(10, rees.events.size());
    }

    // ---- 6. gzip -------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"retailrocket, retailrocket-events-sample.csv", "taobao, taobao-userbehavior-sample.csv",
            "rees46, rees46-2019-Oct-sample.csv", "diginetica, diginetica-train-item-views-sample.csv"})
    void gzippedFileReadsLikePlainWhateverItsName(String format, String file, @TempDir Path dir) throws Exception {
        Path plain = fixture(file);
        Path gzipped = dir.resolve("copy.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(plain, out);
        }
        byte[] head = Files.readAllBytes(gzipped);
        assertTrue((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b, "the copy really is gzip");
        Path plainNamedGz = Files.copy(plain, dir.resolve("plain.csv.gz"));

        Dataset expected = Dataset.read(Formats.byName(format), plain, 0, GAP, b -> { });
        assertFalse(expected.events.isEmpty());
        for (Path other : List.of(gzipped, plainNamedGz)) {
            Dataset d = Dataset.read(Formats.byName(format), other, 0, GAP, b -> { });
            assertEquals(summary(expected), summary(d), other.getFileName().toString());
            assertEquals(expected.malformed, d.malformed);
            assertEquals(expected.mergedOrderLines, d.mergedOrderLines);
        }
    }

    // ---- 7. REES46 sample -------------------------------------------------------------------------

    @Test
    void rees46SampleReadsCleanAndSorted() throws Exception {
        Dataset d = readFixture("rees46", "rees46-2019-Oct-sample.csv");
        assertEquals(1000, d.events.size());
        assertEquals(0, d.malformedRows());
        assertTrue(d.malformedExamples.isEmpty());
        assertTrue(isSorted(d.events.stream().map(e -> e.eventTime).collect(Collectors.toList())));
        List<String> lines = Files.readAllLines(fixture("rees46-2019-Oct-sample.csv"));
        for (ShopperEvent e : d.events) {
            String[] c = lines.get(lineOf(e, "rees46") - 1).split(",", -1);
            assertEquals(c[8], e.sessionId, "the file's own session");
            assertEquals(c[7], e.customerId);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    @Test
    void aHeaderAfterBlankLinesOrAByteOrderMarkIsStillTheHeader() throws IOException {
        Dataset d = read("retailrocket", "", "\uFEFF" + RR_HEADER, T + ",1,view,10,");
        assertEquals(1, d.events.size());
        assertEquals(0, d.malformedRows(), String.valueOf(d.malformed));
    }

    /** Messages of the input contract carry whole orders: two with one order id are a resend, not two lines. */
    @Test
    void jsonLinesOrdersAreNeverMerged() throws IOException {
        String order = "{\"schema_version\":1,\"event_id\":\"%s\",\"event_type\":\"purchase\",\"event_time\":%d,"
                + "\"customer_id\":\"c1\",\"session_id\":\"s1\",\"channel\":\"web\",\"order_id\":\"o-1\",\"value\":10,"
                + "\"currency\":\"EUR\",\"items\":[{\"product_id\":\"p1\",\"price\":10,\"quantity\":1}]}";
        Dataset d = read("jsonl", String.format(order, "e-1", T), String.format(order, "e-2", T + 1));
        assertEquals(List.of("e-1", "e-2"), d.events.stream().map(e -> e.eventId).collect(Collectors.toList()));
        assertEquals(0, d.mergedOrderLines);
        assertEquals(10.0, d.events.get(0).value);
    }

    private static Dataset read(String format, String... lines) throws IOException {
        return read(format, GAP, 0, lines);
    }

    private static Dataset read(String format, Duration gap, String... lines) throws IOException {
        return read(format, gap, 0, lines);
    }

    private static Dataset read(String format, Duration gap, long limit, String... lines) throws IOException {
        return Dataset.read(Formats.byName(format), new BufferedReader(new StringReader(String.join("\n", lines) + "\n")),
                limit, gap);
    }

    private static Dataset readFixture(String format, String file) throws Exception {
        return Dataset.read(Formats.byName(format), fixture(file), 0, GAP, b -> { });
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(DatasetTest.class.getResource("/data/" + name).toURI());
    }

    private static int lineOf(ShopperEvent e, String format) {
        assertTrue(e.eventId.startsWith(format + "-"), e.eventId);
        return Integer.parseInt(e.eventId.substring(format.length() + 1));
    }

    private static List<Integer> lineNumbers(Dataset d, String format) {
        return d.events.stream().map(e -> lineOf(e, format)).collect(Collectors.toList());
    }

    private static Map<Integer, String> sessionsByLine(Dataset d, String format) {
        return d.events.stream().collect(Collectors.toMap(e -> lineOf(e, format), e -> e.sessionId));
    }

    private static int sessionNumber(ShopperEvent e, String shopper) {
        assertTrue(e.sessionId.startsWith(shopper + "-s"), e.sessionId);
        return Integer.parseInt(e.sessionId.substring(shopper.length() + 2));
    }

    private static List<String> productIds(LineItem[] items) {
        List<String> ids = new ArrayList<>();
        for (LineItem item : items) {
            ids.add(item.productId);
        }
        return ids;
    }

    private static boolean isSorted(List<Long> times) {
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i) < times.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> summary(Dataset d) {
        return d.events.stream()
                .map(e -> e.eventId + " " + e.eventType + " " + e.eventTime + " " + e.sessionId + " "
                        + (e.items == null ? "" : productIds(e.items)))
                .collect(Collectors.toList());
    }

    private static ShopperEvent purchase(String id, String customer, String order, long time, double value, String... products) {
        ShopperEvent e = new ShopperEvent();
        e.eventId = id;
        e.eventType = EventType.PURCHASE;
        e.customerId = customer;
        e.orderId = order;
        e.eventTime = time;
        e.value = value;
        e.items = new LineItem[products.length];
        for (int i = 0; i < products.length; i++) {
            e.items[i] = new LineItem(products[i], null, value / products.length, 1);
        }
        return e;
    }
}
