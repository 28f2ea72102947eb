package dev.rtpe.testing;

import java.time.Instant;
import java.util.List;

import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/**
 * The small fixed input the committed savepoints were taken from (see {@link Savepoints}): four
 * shoppers, each with what one job keeps about them. Changing it changes what the savepoints hold:
 * regenerate them, and say so in the commit.
 *
 * <ul>
 *   <li>{@link #CART}: views P1, adds P1 (1 × 10 USD) and P2 (2 × 25 USD), views P3. An open cart.</li>
 *   <li>{@link #FUNNEL}: views P4, adds it, buys it (order {@link #FUNNEL_ORDER}): one session
 *       with a first order.</li>
 *   <li>{@link #PROFILE}: views P5, P6, P7: recently viewed, newest first, P7 P6 P5.</li>
 *   <li>{@link #LATE}: one view at T0 + 12 min, which brings the watermark past everything above
 *       (5 s out-of-orderness): the other shoppers' events are all applied, their bounce windows
 *       passed, and the cart's first stage (30 min after its last activity) is still to come.</li>
 * </ul>
 * Every shopper consents to marketing and personalisation.
 */
public final class SavepointFixture {
    private SavepointFixture() {}

    public static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    public static final String CART = "sp-cart";
    public static final String FUNNEL = "sp-funnel";
    public static final String PROFILE = "sp-profile";
    public static final String LATE = "sp-late";
    public static final String FUNNEL_ORDER = "o-funnel-3";

    public static final String PHONES = "electronics.smartphone";
    public static final String KITCHEN = "home.kitchen";

    public static List<ShopperEvent> events() {
        ShopperEvent bigAdd = Events.of(EventType.ADD_TO_CART, CART, "cart-3", T0 + 60_000, "P2", KITCHEN);
        bigAdd.price = 25;
        bigAdd.quantity = 2;
        return consenting(List.of(
                Events.view(CART, "cart-1", T0, "P1", PHONES),
                Events.of(EventType.ADD_TO_CART, CART, "cart-2", T0 + 30_000, "P1", PHONES),
                bigAdd,
                Events.view(CART, "cart-4", T0 + 90_000, "P3", PHONES),
                Events.view(FUNNEL, "funnel-1", T0 + 120_000, "P4", KITCHEN),
                Events.of(EventType.ADD_TO_CART, FUNNEL, "funnel-2", T0 + 180_000, "P4", KITCHEN),
                Events.purchase(FUNNEL, "funnel-3", T0 + 240_000, KITCHEN, "P4"),
                Events.view(PROFILE, "profile-1", T0 + 300_000, "P5", PHONES),
                Events.view(PROFILE, "profile-2", T0 + 360_000, "P6", PHONES),
                Events.view(PROFILE, "profile-3", T0 + 420_000, "P7", KITCHEN),
                Events.view(LATE, "late-1", T0 + 720_000, "P8", PHONES)));
    }

    /** Marketing consent on (personalisation is on by default): what the jobs keep is then complete. */
    public static List<ShopperEvent> consenting(List<ShopperEvent> events) {
        for (ShopperEvent e : events) {
            e.consentMarketing = true;
            e.consentPersonalization = true;
        }
        return events;
    }

    public static String keyOf(String customerId) {
        return ShopperEvent.customerKeyOf(customerId, null);
    }
}
