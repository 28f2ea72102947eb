package dev.rtpe.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.Flags;
import dev.rtpe.common.ParsedRecord;
import dev.rtpe.common.RecordParser;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.Parsers;

/**
 * The simulator is deterministic, speaks the contract, and reproduces the funnel it promises. The
 * rates are measured here from the records alone, the way an analyst would, not from its internals.
 */
class ShopperSimulatorTest {
    private static final long START = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final int RECORDS = 200_000;

    private static List<ShopperSimulator.Record> records;
    private static List<ShopperEvent> events;

    @BeforeAll
    static void simulate() {
        ShopperSimulator simulator = new ShopperSimulator(new SimulationModel(), 7, START);
        records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            records.add(simulator.next());
        }
        RecordParser parser = Parsers.ingest(() -> START + 86_400_000L * 60);
        events = new ArrayList<>();
        for (ShopperSimulator.Record r : records) {
            ParsedRecord parsed = parser.parse(r.topic(), 0, 0, 0, null, r.value());
            assertEquals(!r.malformed(), parsed.isAccepted(), () -> new String(r.value()) + " -> " + parsed.deadLetter);
            if (parsed.isAccepted()) {
                events.add(parsed.event);
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameRecordsAndAnotherSeedDoesNot() {
        ShopperSimulator a = new ShopperSimulator(new SimulationModel(), 7, START);
        ShopperSimulator b = new ShopperSimulator(new SimulationModel(), 8, START);
        boolean differs = false;
        for (int i = 0; i < 20_000; i++) {
            ShopperSimulator.Record fromA = a.next();
            ShopperSimulator.Record again = records.get(i);
            assertEquals(again.topic(), fromA.topic());
            assertEquals(again.key(), fromA.key());
            assertArrayEquals(again.value(), fromA.value(), "record " + i);
            differs |= !java.util.Arrays.equals(fromA.value(), b.next().value());
        }
        assertTrue(differs, "seed 8 produced the same records as seed 7");
    }

    @Test
    void validRecordsMeetTheirTopicSchema() throws Exception {
        for (ShopperSimulator.Record r : records.subList(0, 3000)) {
            if (!r.malformed()) {
                assertEquals(List.of(), Contracts.violations(r.topic(), r.value()), new String(r.value()));
            }
        }
    }

    /** Per session: the funnel steps it reached. Sessions still running at the end are left out. */
    private static Map<String, Set<String>> completedSessions() {
        long lastTime = events.stream().mapToLong(e -> e.eventTime).max().orElseThrow();
        Map<String, Long> firstSeen = new HashMap<>();
        Map<String, Set<String>> steps = new HashMap<>();
        for (ShopperEvent e : events) {
            firstSeen.merge(e.sessionId, e.eventTime, Math::min);
            steps.computeIfAbsent(e.sessionId, k -> new HashSet<>()).add(e.eventType.wireName);
        }
        steps.keySet().removeIf(s -> firstSeen.get(s) > lastTime - 30 * 60_000);
        return steps;
    }

    @Test
    void aboutNinePercentOfViewingSessionsAddToCartAndSeventyPercentOfCartsAreAbandoned() {
        Map<String, Set<String>> sessions = completedSessions();
        long withView = sessions.values().stream().filter(s -> s.contains("view_item")).count();
        long withCart = sessions.values().stream().filter(s -> s.contains("view_item") && s.contains("add_to_cart")).count();
        long bought = sessions.values().stream().filter(s -> s.contains("add_to_cart") && s.contains("purchase")).count();
        assertTrue(withView > 20_000, "enough sessions to measure: " + withView);
        double viewToCart = (double) withCart / withView;
        double abandoned = 1 - (double) bought / withCart;
        assertTrue(viewToCart >= 0.08 && viewToCart <= 0.10, "view to cart " + viewToCart);
        assertTrue(abandoned >= 0.65 && abandoned <= 0.75, "cart abandonment " + abandoned);
    }

    @Test
    void visitorsAreAMixOfReturningCustomersAnonymousVisitorsAndChannels() {
        Map<String, Set<String>> sessionsByShopper = new HashMap<>();
        Map<String, Long> channels = new HashMap<>();
        for (ShopperEvent e : events) {
            sessionsByShopper.computeIfAbsent(e.customerKey, k -> new HashSet<>()).add(e.sessionId);
            channels.merge(e.channel.wireName, 1L, Long::sum);
        }
        long sessions = sessionsByShopper.values().stream().mapToLong(Set::size).sum();
        long anonymous = sessionsByShopper.entrySet().stream().filter(e -> e.getKey().startsWith("a:")).mapToLong(e -> e.getValue().size()).sum();
        long returning = sessionsByShopper.entrySet().stream().filter(e -> e.getKey().startsWith("c:") && e.getValue().size() > 1).count();
        long known = sessionsByShopper.keySet().stream().filter(k -> k.startsWith("c:")).count();
        double anonymousShare = (double) anonymous / sessions;
        assertTrue(anonymousShare > 0.25 && anonymousShare < 0.35, "anonymous sessions " + anonymousShare);
        assertTrue((double) returning / known > 0.5, "returning customers " + returning + " of " + known);
        assertEquals(Set.of("web", "mobile_web", "app"), channels.keySet());
        assertTrue(channels.get("web") > channels.get("app"), channels.toString());
    }

    @Test
    void productPopularityIsSkewedLikeARealCatalog() {
        Map<String, Long> views = new HashMap<>();
        events.stream().filter(e -> e.productId != null && e.eventType.wireName.equals("view_item"))
                .forEach(e -> views.merge(e.productId, 1L, Long::sum));
        List<Long> counts = views.values().stream().sorted((a, b) -> Long.compare(b, a)).toList();
        long total = counts.stream().mapToLong(Long::longValue).sum();
        long top10Percent = counts.subList(0, counts.size() / 10).stream().mapToLong(Long::longValue).sum();
        assertTrue((double) top10Percent / total > 0.4, "top 10% of products get " + (double) top10Percent / total + " of views");
    }

    @Test
    void purchasesCarryLineItemsThatAddUpToTheTotal() {
        List<ShopperEvent> purchases = events.stream().filter(e -> e.eventType.wireName.equals("purchase")).toList();
        assertFalse(purchases.isEmpty());
        for (ShopperEvent p : purchases) {
            double sum = 0;
            for (var item : p.items) {
                sum += item.price * item.quantity;
            }
            assertEquals(Math.round(sum * 100) / 100.0, p.value, 0.001, p.eventId);
            assertTrue(p.orderId != null && p.currency.equals("USD"));
        }
    }

    @Test
    void rateMalformedShareDuplicatesAndLatenessAreAsConfigured() {
        SimulationModel model = new SimulationModel();
        long malformed = records.stream().filter(ShopperSimulator.Record::malformed).count();
        double malformedShare = (double) malformed / events.size();
        assertTrue(malformedShare > 0.003 && malformedShare < 0.007, "malformed " + malformedShare);

        Set<String> ids = new HashSet<>();
        long repeats = events.stream().filter(e -> !ids.add(e.eventId)).count();
        double repeatShare = (double) repeats / ids.size();
        assertTrue(repeatShare > 0.001 && repeatShare < 0.003, "repeats " + repeatShare);

        long late = 0;
        long highest = Long.MIN_VALUE;
        for (ShopperEvent e : events) {
            late += e.eventTime < highest ? 1 : 0;
            highest = Math.max(highest, e.eventTime);
        }
        double lateShare = (double) late / events.size();
        assertTrue(lateShare > 0.01 && lateShare < 0.06, "out of order " + lateShare);

        long span = records.get(records.size() - 1).sendAt() - START;
        double rate = ids.size() * 1000.0 / span;
        assertNotEquals(0, span);
        assertEquals(model.eventsPerSecond, rate, model.eventsPerSecond * 0.1, "valid events per simulated second");
    }

    // ---- the catalog's shape ------------------------------------------------------------

    private static Catalog catalog(String... flags) {
        return Catalog.of(SimulationModel.from(Flags.parse(flags)), new SplittableRandom(1));
    }

    private static List<Catalog.Product> products(Catalog c) {
        List<Catalog.Product> all = new ArrayList<>();
        for (int i = 0; i < c.categoryCount(); i++) {
            all.addAll(c.top(i, Integer.MAX_VALUE));
        }
        return all;
    }

    @Test
    void theDefaultCatalogIsAMarketplaceWithALongTailAndUncategorizedProducts() {
        Catalog c = catalog();
        assertTrue(c.size() >= 100_000 && c.leafCategories() >= 1_000, c.size() + " products, " + c.leafCategories() + " categories");

        List<ShopperEvent> views = events.stream().filter(e -> e.eventType.wireName.equals("view_item")).toList();
        double uncategorized = (double) views.stream().filter(e -> e.category == null).count() / views.size();
        assertTrue(uncategorized > 0.02 && uncategorized < 0.10, "views of uncategorized products " + uncategorized);

        Map<String, Long> byCategory = views.stream().filter(e -> e.category != null)
                .collect(Collectors.groupingBy(e -> e.category, Collectors.counting()));
        assertTrue(byCategory.keySet().stream().allMatch(path -> path.split("\\.").length == 3), "top.mid.leaf paths");
        assertTrue(byCategory.size() > 900, "most categories are visited: " + byCategory.size());
        List<Long> counts = byCategory.values().stream().sorted((a, b) -> Long.compare(b, a)).toList();
        long total = counts.stream().mapToLong(Long::longValue).sum();
        long top5Percent = counts.subList(0, counts.size() / 20).stream().mapToLong(Long::longValue).sum();
        assertTrue((double) top5Percent / total > 0.4, "top 5% of categories get " + (double) top5Percent / total + " of views");
        assertTrue(counts.get(counts.size() / 2) < 0.001 * total, "the median category is rarely visited");
        long topLevels = byCategory.keySet().stream().map(path -> path.substring(0, path.indexOf('.'))).distinct().count();
        assertEquals(Catalog.TOP_LEVELS.size(), topLevels, "a few departments, however many leaves");
    }

    @Test
    void theCatalogTakesItsShapeFromTheFlags() {
        Catalog c = catalog("--categories", "10000", "--products", "50000", "--uncategorized-share", "0.1", "--category-zipf", "0.5");
        assertEquals(10_000, c.leafCategories());
        assertEquals(10_001, c.categoryCount(), "plus the uncategorized bucket");
        List<Catalog.Product> all = products(c);
        assertEquals(50_000, all.size());
        assertEquals(50_000, all.stream().map(Catalog.Product::id).distinct().count(), "product ids are unique");
        assertEquals(5_000, all.stream().filter(p -> p.categoryPath() == null).count());
        Set<String> paths = all.stream().map(Catalog.Product::categoryPath).filter(p -> p != null).collect(Collectors.toSet());
        assertEquals(10_000, paths.size(), "every category has products and a path of its own");
        assertTrue(paths.stream().allMatch(p -> p.matches("[a-z]+\\.[a-z]+\\.[a-z]+")), "top.mid.leaf");

        Catalog none = catalog("--categories", "10", "--products", "1000", "--uncategorized-share", "0");
        assertEquals(10, none.categoryCount(), "no uncategorized bucket without uncategorized products");
        assertThrows(IllegalArgumentException.class, () -> catalog("--categories", "1000", "--products", "999"));
    }

    @Test
    void theSmallCatalogIsTheTwelveHandMadeCategories() {
        for (String[] flags : List.of(new String[] {"--small-catalog"}, new String[] {"--small-catalog", "true", "--seed", "3"})) {
            Flags f = Flags.parse(flags);
            SimulationModel model = SimulationModel.from(f);
            assertTrue(model.smallCatalog);
            Catalog c = Catalog.of(model, new SplittableRandom(1));
            assertEquals(12, c.categoryCount());
            assertEquals(1_800, c.size());
            assertEquals(Catalog.CATEGORIES.stream().map(Catalog.Category::path).collect(Collectors.toSet()),
                    products(c).stream().map(Catalog.Product::categoryPath).collect(Collectors.toSet()));
        }
        assertEquals(12 * 1_000, catalog("--small-catalog", "--products", "12000").size());
        assertThrows(IllegalArgumentException.class, () -> catalog("--small-catalog", "--categories", "50"));
        assertFalse(SimulationModel.from(Flags.parse("--small-catalog", "false")).smallCatalog);
    }

    @Test
    void aSmallCatalogRunIsDeterministicAndNamesOnlyItsCategories() {
        ShopperSimulator a = new ShopperSimulator(new SimulationModel().useSmallCatalog(), 7, START);
        ShopperSimulator b = new ShopperSimulator(new SimulationModel().useSmallCatalog(), 7, START);
        Set<String> paths = Catalog.CATEGORIES.stream().map(Catalog.Category::path).collect(Collectors.toSet());
        RecordParser parser = Parsers.ingest(() -> START + 86_400_000L * 60);
        for (int i = 0; i < 5_000; i++) {
            ShopperSimulator.Record r = a.next();
            assertArrayEquals(r.value(), b.next().value(), "record " + i);
            ParsedRecord parsed = parser.parse(r.topic(), 0, 0, 0, null, r.value());
            if (parsed.isAccepted() && parsed.event.productId != null) {
                assertTrue(paths.contains(parsed.event.category), parsed.event.category);
            }
        }
    }
}
