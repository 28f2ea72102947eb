package dev.rtpe.recommendations;

import static dev.rtpe.testing.SavepointFixture.CART;
import static dev.rtpe.testing.SavepointFixture.FUNNEL;
import static dev.rtpe.testing.SavepointFixture.KITCHEN;
import static dev.rtpe.testing.SavepointFixture.PHONES;
import static dev.rtpe.testing.SavepointFixture.PROFILE;
import static dev.rtpe.testing.SavepointFixture.T0;
import static dev.rtpe.testing.SavepointFixture.keyOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.rtpe.common.CompactState;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.testing.CollectingSink;
import dev.rtpe.testing.Events;
import dev.rtpe.testing.HeldOpenSource;
import dev.rtpe.testing.MiniClusters;
import dev.rtpe.testing.SavepointFixture;
import dev.rtpe.testing.Savepoints;

/**
 * The recommendations job's savepoint, taken from {@link SavepointFixture} and committed under
 * {@code jobs/src/test/savepoints/recommendations}, still reads into today's
 * {@link CustomerProfile} and stage 1's {@link CustomerActivity.RecentActivity}, and restores into
 * today's job (see {@link Savepoints} for taking it again).
 */
class RecommendationsSavepointCompatibilityTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    static final String JOB = "recommendations";
    private static final long MINUTE = 60_000;

    @Test
    void theCommittedSavepointReadsIntoTodaysProfiles(@TempDir Path tmp) throws Exception {
        Path committed = committedSavepoint(tmp);
        assertTrue(Savepoints.sizeOf(committed) < 200_000, "the committed savepoint stays small: " + Savepoints.sizeOf(committed));
        assertSavedState(committed);
    }

    @Test
    void aSavepointTakenTodayHoldsTheSameProfiles(@TempDir Path tmp) throws Exception {
        assertSavedState(take(tmp));
    }

    /**
     * Restored from the committed savepoint (at parallelism 2, taken at 1), the job still has the
     * shopper's profile: the next view is scored against the list shown before the savepoint, and
     * the new list recommends what the shopper viewed before it.
     */
    @Test
    void theJobRestoredFromTheCommittedSavepointRecommendsWhatTheShopperViewedBefore(@TempDir Path tmp) throws Exception {
        RecommendationsConfig config = RecommendationsConfig.fromArgs("--parallelism", "2", "--checkpoint-interval", "1h",
                "--customer-ttl", Savepoints.LONG_TTL.toDays() + "d");
        StreamExecutionEnvironment env = Savepoints.restoredEnvironment(config.job, committedSavepoint(tmp), tmp);
        List<ShopperEvent> next = SavepointFixture.consenting(List.of(Events.view(PROFILE, "profile-4", T0 + 20 * MINUTE, "P9", PHONES)));
        HeldOpenSource<ShopperEvent> source = new HeldOpenSource<>(next);
        CollectingSink<Recommendation> lists = new CollectingSink<>();
        RecommendationsPipeline.attach(Savepoints.events(env, source), null, lists, new CollectingSink<>(), config);

        JobClient job = env.executeAsync("recommendations-restored");
        Recommendation r;
        try {
            r = Savepoints.await(job, () -> lists.results().stream().filter(x -> "profile-4".equals(x.causeEventId)).findFirst(),
                    "list for profile-4");
        } finally {
            Savepoints.cancel(job);
        }
        String list = Arrays.toString(r.productIds) + " " + Arrays.toString(r.reasons);
        assertTrue(r.personalized, list);
        assertTrue(r.evaluated, "scored against the list last shown, which the restored profile holds");
        List<String> recentlyViewed = new ArrayList<>();
        for (int i = 0; i < r.productIds.length; i++) {
            if (r.reasons[i].equals(ListBuilder.RECENTLY_VIEWED)) {
                recentlyViewed.add(r.productIds[i]);
            }
        }
        assertEquals(Set.of("P5", "P6", "P7"), Set.copyOf(recentlyViewed), "the views before the savepoint: " + list);
    }

    private static void assertSavedState(Path savepoint) throws Exception {
        Map<String, Savepoints.SavedValue> profiles = Savepoints.readValueState(savepoint, "rec-customer-lists", "profile");
        CustomerProfile profile = profile(profiles, PROFILE);
        assertArrayEquals(new String[] {"P7", "P6", "P5"}, profile.recentlyViewed, "recently viewed, newest first");
        assertArrayEquals(new String[] {KITCHEN, PHONES, PHONES}, profile.recentlyViewedCategories);
        assertEquals(3, profile.lastSeq, "three events applied");
        assertEquals(0, profile.pending.length);
        assertEquals("P7", profile.previousProduct);
        assertTrue(profile.lastList != null, "the list sent after the last view");
        assertEquals(Set.of("P5", "P6", "P7"), Set.of(profile.ownProducts.keys));
        assertEquals(Set.of(PHONES, KITCHEN), Set.of(profile.categories.keys));
        assertArrayEquals(new String[0], profile.cart);
        assertArrayEquals(new String[0], profile.purchased);

        CustomerProfile cart = profile(profiles, CART);
        assertArrayEquals(new String[] {"P1", "P2"}, cart.cart, "in the order added");
        assertArrayEquals(new String[] {"P3", "P1"}, cart.recentlyViewed);

        CustomerProfile buyer = profile(profiles, FUNNEL);
        assertArrayEquals(new String[] {"P4"}, buyer.purchased);
        assertArrayEquals(new String[] {KITCHEN}, buyer.purchasedCategories);
        assertArrayEquals(new String[0], buyer.cart, "bought");
        assertArrayEquals(new String[0], buyer.recentlyViewed, "viewed again only after a new view");

        Map<String, Savepoints.SavedValue> activity = Savepoints.readValueState(savepoint, "rec-customer-activity", "recent-activity");
        Savepoints.SavedValue value = activity.get(keyOf(PROFILE));
        assertTrue(value != null, "no recent activity for " + PROFILE + " in " + activity.keySet());
        CustomerActivity.RecentActivity recent = CustomerActivity.RecentActivity.CODEC.read(new CompactState.Reader(value.bytes()));
        assertEquals(3, recent.seq);
        assertEquals(profile.epoch, recent.epoch, "stage 3 counts in stage 1's epoch");
        assertArrayEquals(new String[] {"P7", "P6", "P5"}, recent.products);
        assertArrayEquals(new long[] {T0 + 7 * MINUTE, T0 + 6 * MINUTE, T0 + 5 * MINUTE}, recent.times);
    }

    private static CustomerProfile profile(Map<String, Savepoints.SavedValue> profiles, String customerId) {
        Savepoints.SavedValue value = profiles.get(keyOf(customerId));
        assertTrue(value != null, "no profile for " + customerId + " in " + profiles.keySet());
        return CustomerProfile.CODEC.read(new CompactState.Reader(value.bytes()));
    }

    static Path take(Path dir) throws Exception {
        RecommendationsConfig config = RecommendationsConfig.fromArgs("--parallelism", "1", "--checkpoint-interval", "1h");
        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(config.job);
        HeldOpenSource<ShopperEvent> source = new HeldOpenSource<>(SavepointFixture.events());
        RecommendationsPipeline.attach(Savepoints.events(env, source), null, new CollectingSink<>(), new CollectingSink<>(), config);
        return Savepoints.stopWithSavepoint(env, source, "recommendations-savepoint", dir);
    }

    private static Path committedSavepoint(Path tmp) throws Exception {
        return Savepoints.committedOrTaken(JOB, tmp, dir -> take(dir));
    }
}
