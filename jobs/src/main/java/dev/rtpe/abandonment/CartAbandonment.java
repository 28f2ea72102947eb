package dev.rtpe.abandonment;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.WriteBackCache;

/**
 * Keyed by customer: keeps the cart, and fires abandoned-cart stages on event-time timers.
 *
 * <ul>
 *   <li>Cart: what was added and not removed or bought, with quantities and unit prices.</li>
 *   <li>Any event of the shopper restarts the inactivity clock; stage k is due when the cart is not
 *       empty and the shopper has been inactive for its delay. Each stage fires once per cart.</li>
 *   <li>A stage is suppressed (and counted) for anonymous shoppers, without marketing consent, or
 *       within the frequency cap of the last trigger; during quiet hours it waits for their end.</li>
 *   <li>A purchase removes the bought lines; an emptied cart ends the sequence. A purchase within
 *       the attribution window after a trigger yields {@code cart_recovered}.</li>
 *   <li>Late events still count; a stage already due when armed fires at once. Events later than
 *       the maximum lateness are refused and counted.</li>
 * </ul>
 */
public class CartAbandonment extends KeyedProcessFunction<String, ShopperEvent, AbandonmentMessage>
        implements CachingKeyedProcessOperator.CachedFunction {
    private static final long serialVersionUID = 1L;

    static final String[] STEP_NAMES = {null, "add_to_cart", "view_cart", "begin_checkout"};

    private final AbandonmentConfig config;
    private transient WriteBackCache<CartState> state;
    private transient Map<String, Counter> counters;

    public CartAbandonment(AbandonmentConfig config) {
        this.config = config;
    }

    @Override
    public Iterable<WriteBackCache<?>> writeBackCaches() {
        return List.<WriteBackCache<?>>of(state);
    }

    @Override
    public void open(OpenContext openContext) {
        state = WriteBackCache.of(getRuntimeContext(), "cart", config.customerTtl, CartState.CODEC, config.stateCacheEntries);
        counters = new HashMap<>();
    }

    @Override
    public void processElement(ShopperEvent e, Context ctx, Collector<AbandonmentMessage> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && e.eventTime < watermark - config.maxLateness.toMillis()) {
            count("lateEventsRefused", null);
            return;
        }
        CartState s = state.value();
        if (s == null) {
            s = new CartState();
        }
        // This event shows event time has reached its time minus the allowed out-of-orderness, as the
        // watermark soon will: stages due by then fire first, so the outcome does not depend on how
        // far the periodic watermark happens to lag behind when the event arrives.
        long now = Math.max(watermark, e.eventTime - dev.rtpe.common.EventTime.DEFAULT_MAX_OUT_OF_ORDERNESS.toMillis() - 1);
        if (!s.cartEmpty() && nextStage(s) >= 0 && dueAt(s, nextStage(s)) <= now) {
            fireDueStages(s, ctx.getCurrentKey(), now, ctx, out);
        }
        boolean hadCart = !s.cartEmpty();
        recordActivity(s, e);
        applyToCart(s, e, out);
        if (s.cartEmpty()) {
            if (hadCart) {
                s.endCart();
            }
            cancelTimer(s, ctx);
        } else {
            s.heldStage = -1; // new activity: a held stage waits for the new inactivity period like any other
            cancelTimer(s, ctx);
            fireDueStages(s, ctx.getCurrentKey(), now, ctx, out);
        }
        state.update(s);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AbandonmentMessage> out) throws Exception {
        CartState s = state.value();
        if (s == null || s.timerAt != timestamp) {
            return; // superseded
        }
        s.timerAt = Long.MIN_VALUE;
        if (!s.cartEmpty()) {
            if (s.heldStage >= 0) {
                int held = s.heldStage;
                s.heldStage = -1;
                fire(s, ctx.getCurrentKey(), held, timestamp, out);
            }
            fireDueStages(s, ctx.getCurrentKey(), timestamp, ctx, out);
        }
        state.update(s);
    }

    /** The newest event defines the activity, channel, time zone and consent; an older one only changes the cart. */
    private static void recordActivity(CartState s, ShopperEvent e) {
        if (e.eventTime >= s.lastActivityAt) {
            s.lastActivityAt = e.eventTime;
            s.lastActivityEventId = e.eventId;
            s.lastActivityEventType = e.eventType.wireName;
            s.channel = e.channel.wireName;
            if (e.timeZone != null) {
                s.timeZone = e.timeZone;
            }
            s.marketingConsent = e.consentMarketing;
        }
    }

    private void applyToCart(CartState s, ShopperEvent e, Collector<AbandonmentMessage> out) {
        switch (e.eventType) {
            case ADD_TO_CART:
                startCartIfEmpty(s, e);
                s.add(e.productId, e.quantity, e.price, e.category);
                s.currency = e.currency;
                s.furthestStep = Math.max(s.furthestStep, CartState.STEP_ADD_TO_CART);
                break;
            case REMOVE_FROM_CART:
                s.remove(e.productId, e.quantity);
                break;
            case VIEW_CART:
                syncCart(s, e);
                reachStep(s, CartState.STEP_VIEW_CART);
                break;
            case BEGIN_CHECKOUT:
                syncCart(s, e);
                reachStep(s, CartState.STEP_BEGIN_CHECKOUT);
                break;
            case PURCHASE:
                s.lifetimeOrders++;
                s.lifetimeRevenue += e.value;
                recoverIfTriggered(s, e, out);
                for (LineItem item : e.items) {
                    s.remove(item.productId, item.quantity);
                }
                break;
            default:
                break;
        }
    }

    /** A cart starts with its earliest add, whatever order the adds arrive in, so its trigger ids do not depend on arrival order. */
    private static void startCartIfEmpty(CartState s, ShopperEvent e) {
        if (s.cartEmpty()) {
            s.cartStartedAt = e.eventTime;
            s.doneStages = 0;
        } else if (e.eventTime < s.cartStartedAt && s.doneStages == 0) {
            s.cartStartedAt = e.eventTime;
        }
    }

    private static void reachStep(CartState s, int step) {
        if (!s.cartEmpty()) {
            s.furthestStep = Math.max(s.furthestStep, step);
        }
    }

    /** A cart view or checkout lists the whole cart: the storefront's cart is the truth. */
    private static void syncCart(CartState s, ShopperEvent e) {
        if (e.items == null || e.items.length == 0) {
            return;
        }
        startCartIfEmpty(s, e);
        String[] before = s.products.clone();
        for (String p : before) {
            s.remove(p, 0);
        }
        for (LineItem item : e.items) {
            s.add(item.productId, Math.max(1, item.quantity), item.hasPrice() ? item.price : 0, item.category);
        }
        if (e.currency != null) {
            s.currency = e.currency;
        }
        s.furthestStep = Math.max(s.furthestStep, CartState.STEP_ADD_TO_CART);
    }

    private void recoverIfTriggered(CartState s, ShopperEvent purchase, Collector<AbandonmentMessage> out) {
        if (s.lastTriggerId == null || s.lastTriggerRecovered || purchase.eventTime < s.lastTriggerAt
                || purchase.eventTime - s.lastTriggerAt > config.attributionWindow.toMillis()) {
            return;
        }
        s.lastTriggerRecovered = true;
        AbandonmentMessage m = new AbandonmentMessage();
        m.type = AbandonmentMessage.RECOVERED;
        m.triggerId = s.lastTriggerId;
        m.stage = s.lastTriggerStage;
        m.customerId = purchase.customerId;
        m.orderId = purchase.orderId;
        m.recoveredValue = purchase.value;
        m.currency = purchase.currency;
        m.causeEventId = purchase.eventId;
        m.causeEventType = purchase.eventType.wireName;
        m.causeEventTime = purchase.eventTime;
        m.emittedAt = System.currentTimeMillis();
        count("cartsRecovered", null);
        out.collect(m);
    }

    /** Fires (or suppresses) every stage due by {@code now}, then arms the timer for the next one. */
    private void fireDueStages(CartState s, String key, long now, Context ctx, Collector<AbandonmentMessage> out) {
        int k;
        while ((k = nextStage(s)) >= 0) {
            long due = dueAt(s, k);
            long release = config.quietHours == null ? due : config.quietHours.releaseTime(due, zoneOf(s));
            if (release > now) {
                if (release > due && due <= now) {
                    s.heldStage = k; // due, but in quiet hours
                }
                arm(s, release > due && due <= now ? release : due, ctx);
                return;
            }
            fire(s, key, k, Math.max(due, release), out);
        }
    }

    private int nextStage(CartState s) {
        for (int k = 0; k < config.stages.size(); k++) {
            if ((s.doneStages & (1 << k)) == 0) {
                return k;
            }
        }
        return -1;
    }

    private long dueAt(CartState s, int stage) {
        return s.lastActivityAt + config.stages.get(stage).toMillis();
    }

    private ZoneId zoneOf(CartState s) {
        return s.timeZone != null ? ZoneId.of(s.timeZone) : config.defaultTimeZone;
    }

    /** Stage {@code k} (0-based) is done: a trigger, or a counted suppression. */
    private void fire(CartState s, String key, int k, long firedAt, Collector<AbandonmentMessage> out) {
        s.doneStages |= 1 << k;
        String suppressed = suppression(s, key, firedAt);
        if (suppressed != null) {
            count("triggersSuppressed", suppressed);
            return;
        }
        String customerId = key.substring(2);
        AbandonmentMessage m = new AbandonmentMessage();
        m.type = AbandonmentMessage.ABANDONED;
        m.stage = k + 1;
        m.triggerId = TriggerIds.of(customerId, s.cartStartedAt, m.stage);
        m.stageDelayMs = config.stages.get(k).toMillis();
        m.customerId = customerId;
        m.channel = s.channel;
        m.productIds = s.products.clone();
        m.quantities = s.quantities.clone();
        m.unitPrices = s.unitPrices.clone();
        m.categories = s.categories.clone();
        m.cartValue = s.cartValue();
        m.currency = s.currency != null ? s.currency : "XXX";
        m.lastActivityAt = s.lastActivityAt;
        m.idleMs = firedAt - s.lastActivityAt;
        m.furthestStep = STEP_NAMES[Math.max(CartState.STEP_ADD_TO_CART, s.furthestStep)];
        m.customerType = s.lifetimeOrders == 0 ? "first_time" : "returning";
        m.lifetimeOrders = s.lifetimeOrders;
        m.lifetimeRevenue = Math.round(s.lifetimeRevenue * 100) / 100.0;
        m.armedByEventId = s.lastActivityEventId;
        m.dueAt = dueAt(s, k);
        m.firedAt = firedAt;
        m.causeEventId = s.lastActivityEventId;
        m.causeEventType = s.lastActivityEventType;
        m.causeEventTime = s.lastActivityAt;
        m.emittedAt = System.currentTimeMillis();
        s.lastTriggerId = m.triggerId;
        s.lastTriggerStage = m.stage;
        s.lastTriggerAt = firedAt;
        s.lastTriggerRecovered = false;
        count("triggersSent", "stage_" + m.stage);
        out.collect(m);
    }

    /** Why this stage sends nothing, or null: it sends. */
    private String suppression(CartState s, String key, long firedAt) {
        if (key.startsWith("a:")) {
            return "anonymous";
        }
        if (!s.marketingConsent) {
            return "no_consent";
        }
        if (s.lastTriggerAt != Long.MIN_VALUE && firedAt - s.lastTriggerAt < config.frequencyCap.toMillis()) {
            return "frequency_cap";
        }
        return null;
    }

    private void arm(CartState s, long at, Context ctx) {
        if (s.timerAt == at) {
            return;
        }
        cancelTimer(s, ctx);
        ctx.timerService().registerEventTimeTimer(at);
        s.timerAt = at;
    }

    private static void cancelTimer(CartState s, Context ctx) {
        if (s.timerAt != Long.MIN_VALUE) {
            ctx.timerService().deleteEventTimeTimer(s.timerAt);
            s.timerAt = Long.MIN_VALUE;
        }
    }

    private void count(String name, String reason) {
        String id = reason == null ? name : name + "/" + reason;
        counters.computeIfAbsent(id, x -> reason == null
                ? getRuntimeContext().getMetricGroup().counter(name)
                : getRuntimeContext().getMetricGroup().addGroup(name.equals("triggersSent") ? "stage" : "reason", reason).counter(name)).inc();
    }
}
