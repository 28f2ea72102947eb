package dev.rtpe.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.RecordParser;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.ShopperEventWriter;
import dev.rtpe.replay.DatasetFormat.MalformedRow;
import dev.rtpe.testing.Parsers;

/** Each public dataset's lines map to contract events, and bad lines to a reason, never to another exception. */
class DatasetFormatsTest {
    private static final Set<String> REASONS =
            Set.of("wrong_column_count", "bad_time", "unknown_event_type", "missing_field", "bad_number");
    private static final RecordParser ENGINE = Parsers.ingest();
    private static final ShopperEventWriter WRITER = new ShopperEventWriter();

    @Nested
    class Rees46 {
        private final DatasetFormat format = Formats.byName("rees46");
        private static final String HEADER =
                "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";

        @Test
        void viewWithoutCategoryCode() throws Exception {
            ShopperEvent e = format.parse("2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,"
                    + "541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c", 2);
            ShopperEvent x = expected("rees46-2", EventType.VIEW_ITEM, "2019-10-01T00:00:00Z", "541312140", null,
                    "72d76fde-8bb3-4e00-8c23-a032dfed738c");
            x.productId = "44600062";
            x.brand = "shiseido";
            x.price = 35.79;
            x.currency = "USD";
            assertSameEvent(x, e);
        }

        @Test
        void cart() throws Exception {
            ShopperEvent e = format.parse("2019-10-01 00:09:33 UTC,cart,1002524,2053013555631882655,electronics.smartphone,"
                    + "apple,515.67,524325294,0b74a829-f9d7-4654-b5b0-35bc9822c238", 585);
            ShopperEvent x = expected("rees46-585", EventType.ADD_TO_CART, "2019-10-01T00:09:33Z", "524325294", null,
                    "0b74a829-f9d7-4654-b5b0-35bc9822c238");
            x.productId = "1002524";
            x.category = "electronics.smartphone";
            x.brand = "apple";
            x.price = 515.67;
            x.currency = "USD";
            x.quantity = 1;
            assertSameEvent(x, e);
        }

        @Test
        void purchaseIsAnOrderOfOneUnit() throws Exception {
            ShopperEvent e = format.parse("2019-10-01 00:02:14 UTC,purchase,1004856,2053013555631882655,electronics.smartphone,"
                    + "samsung,130.76,543272936,8187d148-3c41-46d4-b0c0-9c08cd9dc564", 164);
            ShopperEvent x = expected("rees46-164", EventType.PURCHASE, "2019-10-01T00:02:14Z", "543272936", null,
                    "8187d148-3c41-46d4-b0c0-9c08cd9dc564");
            LineItem item = new LineItem("1004856", "electronics.smartphone", 130.76, 1);
            item.brand = "samsung";
            x.items = new LineItem[] {item};
            x.orderId = "rees46-164";
            x.value = 130.76;
            x.currency = "USD";
            assertSameEvent(x, e);
        }

        @Test
        void removeFromCartAndTrimmedFields() throws Exception {
            ShopperEvent e = format.parse(" 2019-10-01 00:11:32 UTC , remove_from_cart ,4804056,2053013554658804075,"
                    + "electronics.audio.headphone, ,161.98,533624186,e5ac3caa-e6d5-4d6b-ae06-2c18cd9ca683\r", 9);
            ShopperEvent x = expected("rees46-9", EventType.REMOVE_FROM_CART, "2019-10-01T00:11:32Z", "533624186", null,
                    "e5ac3caa-e6d5-4d6b-ae06-2c18cd9ca683");
            x.productId = "4804056";
            x.category = "electronics.audio.headphone";
            x.price = 161.98;
            x.currency = "USD";
            assertSameEvent(x, e);
        }

        @Test
        void viewWithoutPriceHasNoCurrency() throws Exception {
            ShopperEvent e = format.parse("2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,"
                    + "furniture.living_room.sofa,,,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8", 4);
            ShopperEvent x = expected("rees46-4", EventType.VIEW_ITEM, "2019-10-01T00:00:01Z", "519107250", null,
                    "566511c2-e2e3-422b-b695-cf8e6e792ca8");
            x.productId = "17200506";
            x.category = "furniture.living_room.sofa";
            assertSameEvent(x, e);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "wrong_column_count | 2019-10-01 00:00:10 UTC,view,28719074,2053013565480109009,,baden,102.71,520571932",
            "bad_time           | 2019-10-01T00:00:11Z,view,1004545,1,,huawei,566.01,537918940,406c46ed",
            "bad_time           | 2019-02-30 00:00:11 UTC,view,1004545,1,,huawei,566.01,537918940,406c46ed",
            "bad_time           | 1969-12-31 23:59:59 UTC,view,1004545,1,,huawei,566.01,537918940,406c46ed",
            "unknown_event_type | 2019-10-01 00:00:11 UTC,wishlist,2900536,1,,elenberg,51.46,555158050,b5bdd0b3",
            "missing_field      | 2019-10-01 00:00:11 UTC,view,1005011,1,,samsung,900.64,530282093,",
            "missing_field      | 2019-10-01 00:00:11 UTC,view,1005011,1,,samsung,900.64,,50a293fb",
            "missing_field      | 2019-10-01 00:00:11 UTC,view,,1,,samsung,900.64,530282093,50a293fb",
            "missing_field      | 2019-10-01 00:05:14 UTC,cart,5100816,1,,xiaomi,,550121407,6f623695",
            "missing_field      | 2019-10-01 00:05:14 UTC,purchase,5100816,1,,xiaomi,,550121407,6f623695",
            "bad_number         | 2019-10-01 00:00:13 UTC,view,3900746,1,,haier,n/a,555444559,98b88fa0",
            "bad_number         | 2019-10-01 00:00:13 UTC,view,3900746,1,,haier,-1.00,555444559,98b88fa0",
            "bad_number         | 2019-10-01 00:00:13 UTC,view,3900746,1,,haier,NaN,555444559,98b88fa0",
            "bad_number         | 2019-10-01 00:00:13 UTC,view,3900746,1,,haier,Infinity,555444559,98b88fa0",
        })
        void malformed(String reason, String line) {
            assertReason(format, reason, line);
        }

        @Test
        void header() {
            assertTrue(format.isHeader(HEADER));
            assertFalse(format.isHeader("2019-10-01 00:00:00 UTC,view,44600062,1,,shiseido,35.79,541312140,72d76fde"));
        }

        @Test
        void theMalformedFixtureHasOneLineOfEachKind() {
            Outcome o = replay(format, "rees46-malformed.csv");
            assertEquals(1, o.headers);
            assertEquals(0, o.events.size());
            assertEquals(Map.of("wrong_column_count", 1, "bad_time", 1, "unknown_event_type", 1, "missing_field", 2,
                    "bad_number", 1), o.malformed);
        }

        @Test
        void theWholeRealSampleParsesWithItsEventTypes() {
            List<String> lines = lines("rees46-2019-Oct-sample.csv");
            Map<EventType, Integer> expected = new TreeMap<>();
            Map<String, EventType> types = Map.of("view", EventType.VIEW_ITEM, "cart", EventType.ADD_TO_CART,
                    "remove_from_cart", EventType.REMOVE_FROM_CART, "purchase", EventType.PURCHASE);
            for (String line : lines.subList(1, lines.size())) {
                expected.merge(types.get(line.split(",")[1]), 1, Integer::sum);
            }

            Outcome o = replay(format, "rees46-2019-Oct-sample.csv");
            assertEquals(1, o.headers);
            assertEquals(Map.of(), o.malformed);
            assertEquals(1000, o.events.size());
            assertEquals(expected, o.countByType());
            assertEquals("rees46-2", o.events.get(0).eventId);
            o.events.forEach(DatasetFormatsTest::assertEngineAccepts);
        }
    }

    @Nested
    class RetailRocket {
        private final DatasetFormat format = Formats.byName("retailrocket");

        @Test
        void viewOfAnAnonymousVisitor() throws Exception {
            ShopperEvent e = format.parse("1433221332117,257597,view,355908,", 2);
            ShopperEvent x = expected("retailrocket-2", EventType.VIEW_ITEM, 1433221332117L, null, "257597", null);
            x.productId = "355908";
            assertSameEvent(x, e);
        }

        @Test
        void addToCartHasAZeroPriceOfNoCurrency() throws Exception {
            ShopperEvent e = format.parse("1433223236124,287857,addtocart,5206,", 40);
            ShopperEvent x = expected("retailrocket-40", EventType.ADD_TO_CART, 1433223236124L, null, "287857", null);
            x.productId = "5206";
            x.price = 0;
            x.currency = "XXX";
            x.quantity = 1;
            assertSameEvent(x, e);
        }

        @Test
        void transactionRowIsOneItemOfItsOrder() throws Exception {
            ShopperEvent e = format.parse("1433222276276,599528,transaction,356475,4000", 7);
            ShopperEvent x = expected("retailrocket-7", EventType.PURCHASE, 1433222276276L, null, "599528", null);
            x.orderId = "4000";
            x.items = new LineItem[] {new LineItem("356475", null, 0, 1)};
            x.value = 0;
            x.currency = "XXX";
            assertSameEvent(x, e);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "wrong_column_count | 1433222531378,1076270,view,262799",
            "wrong_column_count | 1433223236124,287857,addtocart,5206,,",
            "bad_time           | 2015-06-02 05:30:11,1254125,view,206783,",
            "bad_time           | 0,1254125,view,206783,",
            "bad_time           | -1433221332117,1254125,view,206783,",
            "unknown_event_type | 1433224410552,513,click,319764,",
            "missing_field      | 1433225005917,,view,457165,",
            "missing_field      | 1433225005917,513,view,,",
            "missing_field      | 1433226811245,168883,transaction,178601,",
            "missing_field      | ,168883,view,178601,",
        })
        void malformed(String reason, String line) {
            assertReason(format, reason, line);
        }

        @Test
        void header() {
            assertTrue(format.isHeader("timestamp,visitorid,event,itemid,transactionid"));
            assertFalse(format.isHeader("1433221332117,257597,view,355908,"));
        }

        @Test
        void theFixture() {
            Outcome o = replay(format, "retailrocket-events-sample.csv");
            assertEquals(1, o.headers);
            assertEquals(122, o.events.size());
            assertEquals(Map.of("wrong_column_count", 2, "bad_time", 1, "unknown_event_type", 1, "missing_field", 2),
                    o.malformed);
            assertEquals(Map.of(EventType.VIEW_ITEM, 103, EventType.ADD_TO_CART, 12, EventType.PURCHASE, 7),
                    o.countByType());
            // An order of three items is three transaction rows with one time and one transaction id.
            List<ShopperEvent> order = o.events.stream().filter(e -> "11117".equals(e.orderId)).toList();
            assertEquals(3, order.size());
            assertEquals(1, order.stream().map(e -> e.eventTime).distinct().count());
            o.events.forEach(DatasetFormatsTest::assertEngineAccepts);
        }
    }

    @Nested
    class Taobao {
        private final DatasetFormat format = Formats.byName("taobao");

        @Test
        void pageView() throws Exception {
            ShopperEvent e = format.parse("1,2268318,2520377,pv,1511544070", 1);
            ShopperEvent x = expected("taobao-1", EventType.VIEW_ITEM, 1511544070_000L, "1", null, null);
            x.productId = "2268318";
            x.category = "2520377";
            assertSameEvent(x, e);
        }

        @Test
        void favouriteIsAWishList() throws Exception {
            ShopperEvent e = format.parse("100,4606018,2735466,fav,1511671212", 12);
            ShopperEvent x = expected("taobao-12", EventType.ADD_TO_WISHLIST, 1511671212_000L, "100", null, null);
            x.productId = "4606018";
            x.category = "2735466";
            assertSameEvent(x, e);
        }

        @Test
        void cart() throws Exception {
            ShopperEvent e = format.parse("100,2268318,2520377,cart,1511682716", 20);
            ShopperEvent x = expected("taobao-20", EventType.ADD_TO_CART, 1511682716_000L, "100", null, null);
            x.productId = "2268318";
            x.category = "2520377";
            x.price = 0;
            x.currency = "XXX";
            x.quantity = 1;
            assertSameEvent(x, e);
        }

        @Test
        void buyIsAnOrderOfOneUnit() throws Exception {
            ShopperEvent e = format.parse("100,2268318,2520377,buy,1511683502", 21);
            ShopperEvent x = expected("taobao-21", EventType.PURCHASE, 1511683502_000L, "100", null, null);
            x.orderId = "taobao-21";
            x.items = new LineItem[] {new LineItem("2268318", "2520377", 0, 1)};
            x.value = 0;
            x.currency = "XXX";
            assertSameEvent(x, e);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "wrong_column_count | 100,1603476,2951233,pv",
            "wrong_column_count | 117,5002615,2520377,pv,1511713921,1",
            "bad_time           | 118,2971043,4869428,pv,1511x83913",
            "bad_time           | 119,4615417,4145813,pv,-1511593426",
            "bad_time           | 119,4615417,4145813,pv,0",
            "bad_time           | 119,4615417,4145813,pv,9223372036854776",
            "unknown_event_type | 120,2155340,4145813,click,1511713921",
            "missing_field      | ,3911486,982926,pv,1511593426",
            "missing_field      | 125,,2520377,buy,1511741372",
            "missing_field      | 125,3911486,982926,pv,",
        })
        void malformed(String reason, String line) {
            assertReason(format, reason, line);
        }

        @Test
        void thereIsNoHeaderSoAHeaderLikeLineIsMalformed() {
            String line = "user_id,item_id,category_id,behavior_type,timestamp";
            assertFalse(format.isHeader(line));
            assertReason(format, "bad_time", line);
        }

        @Test
        void theFixture() {
            Outcome o = replay(format, "taobao-userbehavior-sample.csv");
            assertEquals(0, o.headers);
            assertEquals(144, o.events.size());
            assertEquals(Map.of("wrong_column_count", 2, "bad_time", 2, "unknown_event_type", 1, "missing_field", 2),
                    o.malformed);
            assertEquals(Map.of(EventType.VIEW_ITEM, 126, EventType.ADD_TO_CART, 5, EventType.ADD_TO_WISHLIST, 10,
                    EventType.PURCHASE, 3), o.countByType());
            o.events.forEach(DatasetFormatsTest::assertEngineAccepts);
        }
    }

    @Nested
    class Diginetica {
        private final DatasetFormat format = Formats.byName("diginetica");

        @Test
        void viewWithoutUserIsAnAnonymousSession() throws Exception {
            ShopperEvent e = format.parse("1;NA;81766;526309;2016-05-09", 2);
            ShopperEvent x = expected("diginetica-2", EventType.VIEW_ITEM,
                    Instant.parse("2016-05-09T00:00:00Z").toEpochMilli() + 526309, null, "session-1", "1");
            x.productId = "81766";
            assertSameEvent(x, e);
        }

        @Test
        void viewOfAKnownUser() throws Exception {
            ShopperEvent e = format.parse("3;18278;9654;23294411;2016-05-09", 16);
            ShopperEvent x = expected("diginetica-16", EventType.VIEW_ITEM,
                    Instant.parse("2016-05-09T00:00:00Z").toEpochMilli() + 23294411, "18278", null, "3");
            x.productId = "9654";
            assertSameEvent(x, e);
        }

        @Test
        void anEmptyUserIsAnonymousToo() throws Exception {
            ShopperEvent e = format.parse("2;;32627;0;2016-05-10", 11);
            assertNull(e.customerId);
            assertEquals("session-2", e.anonymousId);
            assertEquals(Instant.parse("2016-05-10T00:00:00Z").toEpochMilli(), e.eventTime);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "wrong_column_count | 5;NA;8407;1164231",
            "wrong_column_count | 5,NA,8407,1164231,2016-05-10",
            "bad_time           | 6;NA;32468;12o4552;2016-05-10",
            "bad_time           | 6;NA;32468;-1;2016-05-10",
            "bad_time           | 6;NA;32468;400512;2016-05-32",
            "bad_time           | 6;NA;32468;400512;10.05.2016",
            "missing_field      | 7;NA;;290377;2016-05-11",
            "missing_field      | ;NA;9654;290377;2016-05-11",
            "missing_field      | 7;NA;9654;;2016-05-11",
        })
        void malformed(String reason, String line) {
            assertReason(format, reason, line);
        }

        @Test
        void header() {
            assertTrue(format.isHeader("sessionId;userId;itemId;timeframe;eventdate"));
            assertFalse(format.isHeader("1;NA;81766;526309;2016-05-09"));
        }

        @Test
        void theFixture() {
            Outcome o = replay(format, "diginetica-train-item-views-sample.csv");
            assertEquals(1, o.headers);
            assertEquals(109, o.events.size());
            assertEquals(Map.of("wrong_column_count", 2, "bad_time", 2, "missing_field", 2), o.malformed);
            assertEquals(Map.of(EventType.VIEW_ITEM, 109), o.countByType());
            assertEquals(41, o.events.stream().filter(e -> e.customerId != null).count());
            // Known users come back across sessions: fewer shoppers than sessions.
            long shoppers = o.events.stream().map(e -> e.customerKey).distinct().count();
            long sessions = o.events.stream().map(e -> e.sessionId).distinct().count();
            assertEquals(20, sessions);
            assertEquals(16, shoppers);
            o.events.forEach(DatasetFormatsTest::assertEngineAccepts);
        }
    }

    /** Across formats; nested like the others, as surefire reports an outer class's own tests under a nested one. */
    @Nested
    class AllFormats {
        @Test
        void formatsByName() {
            List<String> datasets = List.of("rees46", "retailrocket", "taobao", "diginetica");
            // Other formats (not public datasets) may follow these four.
            assertEquals(datasets, Formats.NAMES.subList(0, 4));
            for (String name : Formats.NAMES) {
                assertEquals(name, Formats.byName(name).name());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Formats.byName("yoochoose"));
            for (String name : Formats.NAMES) {
                assertTrue(e.getMessage().contains(name), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> Formats.byName(null));
        }

        /** Every prefix of every fixture line, and the line with each character dropped, maps or gives a known reason. */
        @Test
        void mangledLinesOnlyEverGiveAKnownReason() {
            Map<String, String> fixtures = Map.of("rees46", "rees46-2019-Oct-sample.csv", "retailrocket", "retailrocket-events-sample.csv",
                    "taobao", "taobao-userbehavior-sample.csv", "diginetica", "diginetica-train-item-views-sample.csv");
            fixtures.forEach((name, file) -> {
                DatasetFormat format = Formats.byName(name);
                for (String line : lines(file).subList(0, 30)) {
                    for (int i = 0; i <= line.length(); i++) {
                        assertMapsOrKnownReason(format, line.substring(0, i));
                        if (i < line.length()) {
                            assertMapsOrKnownReason(format, line.substring(0, i) + line.substring(i + 1));
                        }
                    }
                }
            });
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** What a replay of a fixture makes of it: events, malformed lines by reason, headers skipped. */
    private record Outcome(List<ShopperEvent> events, Map<String, Integer> malformed, int headers) {
        Map<EventType, Integer> countByType() {
            return events.stream().collect(Collectors.toMap(e -> e.eventType, e -> 1, Integer::sum, TreeMap::new));
        }
    }

    private static Outcome replay(DatasetFormat format, String file) {
        List<ShopperEvent> events = new ArrayList<>();
        Map<String, Integer> malformed = new TreeMap<>();
        int headers = 0;
        long lineNumber = 0;
        for (String line : lines(file)) {
            lineNumber++;
            if (format.isHeader(line)) {
                headers++;
                continue;
            }
            try {
                events.add(format.parse(line, lineNumber));
            } catch (MalformedRow r) {
                assertTrue(REASONS.contains(r.reason), r.reason);
                malformed.merge(r.reason, 1, Integer::sum);
            }
        }
        Set<String> ids = new HashSet<>();
        events.forEach(e -> assertTrue(ids.add(e.eventId), "repeated id " + e.eventId));
        return new Outcome(events, malformed, headers);
    }

    private static List<String> lines(String file) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                DatasetFormatsTest.class.getResourceAsStream("/data/" + file), StandardCharsets.UTF_8))) {
            return in.lines().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ShopperEvent expected(String id, EventType type, String time, String customerId, String anonymousId,
                                         String sessionId) {
        return expected(id, type, Instant.parse(time).toEpochMilli(), customerId, anonymousId, sessionId);
    }

    /** An event with the fields every format sets; the test adds the product fields. */
    private static ShopperEvent expected(String id, EventType type, long time, String customerId, String anonymousId,
                                         String sessionId) {
        ShopperEvent e = new ShopperEvent();
        e.eventId = id;
        e.eventType = type;
        e.eventTime = time;
        e.customerId = customerId;
        e.anonymousId = anonymousId;
        e.customerKey = ShopperEvent.customerKeyOf(customerId, anonymousId);
        e.sessionId = sessionId;
        e.channel = Channel.OTHER;
        return e;
    }

    /** Field by field, for a readable failure, then as a whole so no field is left out. */
    private static void assertSameEvent(ShopperEvent x, ShopperEvent e) {
        assertEquals(fields(x), fields(e));
        assertArrayEquals(x.items, e.items);
        assertEquals(x, e);
        assertEngineAccepts(e);
    }

    private static Map<String, Object> fields(ShopperEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", e.eventId);
        m.put("eventType", e.eventType);
        m.put("eventTime", e.eventTime);
        m.put("customerKey", e.customerKey);
        m.put("customerId", e.customerId);
        m.put("anonymousId", e.anonymousId);
        m.put("sessionId", e.sessionId);
        m.put("channel", e.channel);
        m.put("productId", e.productId);
        m.put("category", e.category);
        m.put("brand", e.brand);
        m.put("price", e.price);
        m.put("currency", e.currency);
        m.put("quantity", e.quantity);
        m.put("searchTerm", e.searchTerm);
        m.put("itemListId", e.itemListId);
        m.put("orderId", e.orderId);
        m.put("value", e.value);
        m.put("consentPersonalization", e.consentPersonalization);
        m.put("consentMarketing", e.consentMarketing);
        m.put("timeZone", e.timeZone);
        m.put("ingestedAt", e.ingestedAt);
        return m;
    }

    /**
     * Written as an input record, the event passes ingest's validation on its type's topic and reads
     * back the same, apart from the ingestion time ingest stamps. Formats without sessions get one first, as the replay derives them.
     */
    private static void assertEngineAccepts(ShopperEvent e) {
        if (e.sessionId == null) {
            e.sessionId = "s";
        }
        String topic = e.eventType.inputTopic == EventType.InputTopic.BROWSE ? "browse-events" : "cart-events";
        ParsedRecord r = ENGINE.parse(topic, 0, 0, 0, null, WRITER.writeInput(e));
        assertTrue(r.isAccepted(), e + " rejected: " + r.deadLetter);
        assertTrue(r.event.ingestedAt > 0, "ingest stamps when it accepted " + e.eventId);
        e.ingestedAt = r.event.ingestedAt;
        assertEquals(e, r.event, e.eventId);
    }

    private static void assertReason(DatasetFormat format, String reason, String line) {
        MalformedRow r = assertThrows(MalformedRow.class, () -> format.parse(line, 1), line);
        assertEquals(reason, r.reason, r.getMessage());
        assertFalse(r.getMessage().isBlank());
    }

    private static void assertMapsOrKnownReason(DatasetFormat format, String line) {
        try {
            format.parse(line, 1);
        } catch (MalformedRow r) {
            assertTrue(REASONS.contains(r.reason), line + ": " + r.reason);
        }
    }
}
