package dev.rtpe.abandonment;

import static dev.rtpe.testing.SavepointFixture.CART;
import static dev.rtpe.testing.SavepointFixture.KITCHEN;
import static dev.rtpe.testing.SavepointFixture.LATE;
import static dev.rtpe.testing.SavepointFixture.PHONES;
import static dev.rtpe.testing.SavepointFixture.T0;
import static dev.rtpe.testing.SavepointFixture.keyOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * The abandonment job's savepoint, taken from {@link SavepointFixture} and committed under
 * {@code jobs/src/test/savepoints/abandonment}, still reads into today's {@link CartState} and
 * restores into today's job. A change of the cart codec, the state's name or the operator's uid
 * that cannot read it fails here; regenerate it only for a change that is meant to break
 * compatibility (see {@link Savepoints}).
 */
class AbandonmentSavepointCompatibilityTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = MiniClusters.twoSlots();

    static final String JOB = "abandonment";
    private static final long STAGE_1 = Duration.ofMinutes(30).toMillis();

    @Test
    void theCommittedSavepointReadsIntoTodaysCarts(@TempDir Path tmp) throws Exception {
        Path committed = committedSavepoint(tmp);
        assertTrue(Savepoints.sizeOf(committed) < 200_000, "the committed savepoint stays small: " + Savepoints.sizeOf(committed));
        assertSavedCarts(committed);
    }

    /** The savepoint today's code takes from the fixture holds the same: the fixture and the expectations agree. */
    @Test
    void aSavepointTakenTodayHoldsTheSameCarts(@TempDir Path tmp) throws Exception {
        assertSavedCarts(take(tmp));
    }

    /**
     * Restored from the committed savepoint (at parallelism 2, it was taken at 1), the job still
     * has the cart and its timer: event time passing its first stage sends that cart.
     */
    @Test
    void theJobRestoredFromTheCommittedSavepointSendsTheSavedCartWhenItsStageIsDue(@TempDir Path tmp) throws Exception {
        AbandonmentConfig config = AbandonmentConfig.fromArgs("--parallelism", "2", "--checkpoint-interval", "1h",
                "--customer-ttl", Savepoints.LONG_TTL.toDays() + "d");
        StreamExecutionEnvironment env = Savepoints.restoredEnvironment(config.job, committedSavepoint(tmp), tmp);
        // Another shopper, 40 minutes on: event time passes the cart's first stage (30 min after T0 + 90 s).
        List<ShopperEvent> next = SavepointFixture.consenting(List.of(Events.view(LATE, "late-2", T0 + 2_400_000, "P8", PHONES)));
        HeldOpenSource<ShopperEvent> source = new HeldOpenSource<>(next);
        CollectingSink<AbandonmentMessage> sink = new CollectingSink<>();
        AbandonmentPipeline.attach(Savepoints.events(env, source), sink, config);

        JobClient job = env.executeAsync("abandonment-restored");
        AbandonmentMessage m;
        try {
            m = Savepoints.await(job, () -> sink.results().stream().filter(t -> t.customerId.equals(CART)).findFirst(),
                    "trigger for " + CART);
        } finally {
            Savepoints.cancel(job);
        }
        assertEquals(AbandonmentMessage.ABANDONED, m.type);
        assertEquals(1, m.stage);
        assertEquals(TriggerIds.of(CART, T0 + 30_000, 1), m.triggerId, "the cart started at its first add, as saved");
        assertArrayEquals(new String[] {"P1", "P2"}, m.productIds);
        assertArrayEquals(new int[] {1, 2}, m.quantities);
        assertArrayEquals(new double[] {10, 25}, m.unitPrices);
        assertArrayEquals(new String[] {PHONES, KITCHEN}, m.categories);
        assertEquals(60.0, m.cartValue, 1e-9);
        assertEquals("USD", m.currency);
        assertEquals(T0 + 90_000, m.lastActivityAt);
        assertEquals(T0 + 90_000 + STAGE_1, m.dueAt);
        assertEquals("cart-4", m.causeEventId);
        assertEquals("first_time", m.customerType);
    }

    private static void assertSavedCarts(Path savepoint) throws Exception {
        Map<String, Savepoints.SavedValue> saved = Savepoints.readValueState(savepoint, "abandonment-carts", "cart");

        Savepoints.SavedValue cartValue = saved.get(keyOf(CART));
        assertTrue(cartValue != null, "no cart state for " + CART + " in " + saved.keySet());
        CartState cart = CartState.CODEC.read(new CompactState.Reader(cartValue.bytes()));
        List<CartLines.Line> lines = cart.lines.lines();
        assertEquals(2, lines.size(), "P1 and P2; P3 was only viewed");
        assertLine(lines.get(0), "P1", 1, 10, PHONES);
        assertLine(lines.get(1), "P2", 2, 25, KITCHEN);
        assertEquals(60.0, cart.lines.value(), 1e-9);
        assertEquals("USD", cart.currency);
        assertEquals(T0 + 30_000, cart.cartStartedAt);
        assertEquals(CartState.STEP_ADD_TO_CART, cart.furthestStep);
        assertEquals(0, cart.doneStages, "no stage fired yet");
        assertEquals(T0 + 90_000, cart.lastActivityAt);
        assertEquals("cart-4", cart.lastActivityEventId);
        assertEquals("view_item", cart.lastActivityEventType);
        assertEquals("web", cart.channel);
        assertTrue(cart.marketingConsent);
        assertEquals(null, cart.lastTriggerId);
        assertEquals(0, cart.lifetimeOrders);
        assertEquals(0, cart.pending.size(), "every event of the cart is behind the watermark");
        assertEquals(T0 + 90_000 + STAGE_1, cart.timerAt, "the first stage is due 30 min after the last activity");
        assertEquals(List.of(cart.timerAt), cartValue.eventTimeTimers(), "and its timer is in the savepoint");

        Savepoints.SavedValue lateValue = saved.get(keyOf(LATE));
        assertTrue(lateValue != null, "no cart state for " + LATE + " in " + saved.keySet());
        CartState late = CartState.CODEC.read(new CompactState.Reader(lateValue.bytes()));
        assertTrue(late.lines.isEmpty());
        assertEquals(1, late.pending.size(), "its view is ahead of the watermark, waiting");
        ShopperEvent waiting = late.pending.events().get(0);
        assertEquals("late-1", waiting.eventId);
        assertEquals(T0 + 720_000, waiting.eventTime);
        assertEquals(List.of(T0 + 720_000), lateValue.eventTimeTimers(), "a timer at the waiting event");
    }

    private static void assertLine(CartLines.Line line, String product, int quantity, double unitPrice, String category) {
        assertEquals(product, line.product);
        assertEquals(quantity, line.quantity, product);
        assertEquals(unitPrice, line.unitPrice, 1e-9, product);
        assertEquals(category, line.category, product);
    }

    /** Takes a savepoint of the job, as configured by default, from the fixture. */
    static Path take(Path dir) throws Exception {
        AbandonmentConfig config = AbandonmentConfig.fromArgs("--parallelism", "1", "--checkpoint-interval", "1h");
        StreamExecutionEnvironment env = MiniClusters.productionLikeEnvironment(config.job);
        HeldOpenSource<ShopperEvent> source = new HeldOpenSource<>(SavepointFixture.events());
        AbandonmentPipeline.attach(Savepoints.events(env, source), new CollectingSink<>(), config);
        return Savepoints.stopWithSavepoint(env, source, "abandonment-savepoint", dir);
    }

    /** The committed savepoint; with {@code -Drtpe.savepoints.regenerate=true}, first taken again. */
    private static Path committedSavepoint(Path tmp) throws Exception {
        return Savepoints.committedOrTaken(JOB, tmp, dir -> take(dir));
    }
}
