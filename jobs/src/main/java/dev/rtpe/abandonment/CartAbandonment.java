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
 * Keyed by customer: keeps the cart, and fires abandoned-cart stages on event-time timers. The cart
 * is the result of its events in event-time order.
 *
 * <ul>
 *   <li>An event ahead of the watermark waits in the shopper's state ({@link PendingEvents}) and is
 *       applied when the watermark passes it, in {@link EventOrder}. Before an event at time t is
 *       applied, every stage due before t fires: the shopper was idle that long. Within the
 *       out-of-orderness bound, any arrival order thus gives the same records.</li>
 *   <li>An event at or behind the watermark (late) is applied at once and merged line by line by
 *       event time ({@link CartLines}); a stage already due then fires at once. Events later than
 *       the maximum lateness are refused and counted.</li>
 *   <li>Any event of the shopper restarts the inactivity clock; stage k is due when the cart is not
 *       empty and the shopper has been inactive for its delay. Each stage fires once per cart.</li>
 *   <li>A stage is suppressed (and counted) for anonymous shoppers, without marketing consent, or
 *       within the frequency cap of the last trigger; during quiet hours it waits for their end.</li>
 *   <li>A purchase removes the bought lines; an emptied cart ends the sequence. A purchase within
 *       the attribution window after a trigger yields {@code cart_recovered}.</li>
 *   <li>One event-time timer per shopper, at the earliest of: the first pending event, the next
 *       stage, the time a removal or the last trigger is no longer needed. State that is no
 *       longer needed is cleared.</li>
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
        if (tooLate(e, watermark)) {
            count("lateEventsRefused", null, 1);
            return;
        }
        CartState s = state.value();
        if (s == null) {
            s = new CartState();
        }
        String key = ctx.getCurrentKey();
        if (e.eventTime > watermark) {
            hold(s, e, key, out);
        } else {
            count("lateEventsMerged", null, 1);
            take(s, e, key, out);
            fireStagesDueBy(s, key, watermark, out);
        }
        forgetWhatNoEventCanChange(s, watermark);
        settle(s, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AbandonmentMessage> out) throws Exception {
        CartState s = state.value();
        if (s == null || s.timerAt != timestamp) {
            return; // superseded
        }
        s.timerAt = Long.MIN_VALUE; // fired
        long watermark = ctx.timerService().currentWatermark();
        String key = ctx.getCurrentKey();
        while (s.pending.earliestTime() <= watermark) {
            take(s, s.pending.pollEarliest(), key, out);
        }
        fireStagesDueBy(s, key, watermark, out);
        forgetWhatNoEventCanChange(s, watermark);
        settle(s, ctx);
    }

    private boolean tooLate(ShopperEvent e, long watermark) {
        return watermark != Long.MIN_VALUE && e.eventTime < watermark - config.maxLateness.toMillis();
    }

    /** Ahead of the watermark: wait for event time to reach it. A full list applies its earliest at once. */
    private void hold(CartState s, ShopperEvent e, String key, Collector<AbandonmentMessage> out) {
        s.pending.add(e);
        while (s.pending.size() > PendingEvents.MAX) {
            count("pendingOverflow", null, 1);
            take(s, s.pending.pollEarliest(), key, out);
        }
    }

    /** One step in event-time order: the stages that came due before the event, then the event. */
    private void take(CartState s, ShopperEvent e, String key, Collector<AbandonmentMessage> out) {
        fireStagesDueBy(s, key, e.eventTime - 1, out);
        apply(s, e, key, out);
        keepWithinBounds(s);
    }

    private void apply(CartState s, ShopperEvent e, String key, Collector<AbandonmentMessage> out) {
        boolean newest = e.eventTime >= s.lastActivityAt;
        boolean hadCart = !s.cartEmpty();
        boolean filled = changeCart(s, e, key, out);
        if (hadCart && s.cartEmpty()) {
            s.endCart();
        } else if (!hadCart && !s.cartEmpty()) {
            s.startCart(e.eventTime);
        } else if (filled) {
            startEarlierForAnOlderAdd(s, e);
        }
        if (newest) {
            recordActivity(s, e);
        }
        if (!s.cartEmpty()) {
            reachStep(s, e);
            takeCurrency(s, e, filled, newest);
        }
    }

    /** Returns whether the event put units in the cart. */
    private boolean changeCart(CartState s, ShopperEvent e, String key, Collector<AbandonmentMessage> out) {
        long at = EventOrder.key(e);
        switch (e.eventType) {
            case ADD_TO_CART:
                return s.lines.add(e.productId, Math.max(1, e.quantity), e.hasPrice() ? e.price : 0, e.category, at);
            case REMOVE_FROM_CART:
                s.lines.remove(e.productId, e.quantity, at);
                return false;
            case VIEW_CART:
            case BEGIN_CHECKOUT:
                // items absent: only activity and step; items []: the storefront's cart is empty
                return e.items != null && s.lines.replaceWith(e.items, at);
            case PURCHASE:
                s.lifetimeOrders++;
                s.lifetimeRevenue += e.hasValue() ? e.value : 0;
                recoverIfTriggered(s, e, key, out);
                for (LineItem item : e.items) {
                    s.lines.buy(item.productId, at); // the whole line, however many units were bought
                }
                return false;
            default:
                return false;
        }
    }

    /** A cart starts with its earliest add, whatever order the adds arrive in, so its trigger ids do not depend on arrival order. */
    private static void startEarlierForAnOlderAdd(CartState s, ShopperEvent e) {
        if (e.eventTime < s.cartStartedAt && s.doneStages == 0) {
            s.cartStartedAt = e.eventTime;
        }
    }

    /** The newest event defines the activity, channel, consent and time zone; an older one only changes the cart. */
    private static void recordActivity(CartState s, ShopperEvent e) {
        s.lastActivityAt = e.eventTime;
        s.lastActivityEventId = e.eventId;
        s.lastActivityEventType = e.eventType.wireName;
        s.channel = e.channel == null ? null : e.channel.wireName;
        if (e.timeZone != null) {
            s.timeZone = e.timeZone;
        }
        s.marketingConsent = e.consentMarketing;
    }

    /** Steps count for the current cart only: a late view from before it started belonged to an earlier cart. */
    private static void reachStep(CartState s, ShopperEvent e) {
        int step;
        switch (e.eventType) {
            case ADD_TO_CART: step = CartState.STEP_ADD_TO_CART; break;
            case VIEW_CART: step = CartState.STEP_VIEW_CART; break;
            case BEGIN_CHECKOUT: step = CartState.STEP_BEGIN_CHECKOUT; break;
            default: return;
        }
        if (e.eventTime >= s.cartStartedAt) {
            s.furthestStep = Math.max(s.furthestStep, step);
        }
    }

    /** The cart's currency is that of its newest add or snapshot. */
    private static void takeCurrency(CartState s, ShopperEvent e, boolean filled, boolean newest) {
        if (filled && e.currency != null && (newest || s.currency == null)) {
            s.currency = e.currency;
        }
    }

    private void recoverIfTriggered(CartState s, ShopperEvent purchase, String key, Collector<AbandonmentMessage> out) {
        if (s.lastTriggerId == null || s.lastTriggerRecovered || purchase.eventTime < s.lastTriggerAt
                || purchase.eventTime - s.lastTriggerAt > config.attributionWindow.toMillis()) {
            return;
        }
        s.lastTriggerRecovered = true;
        AbandonmentMessage m = new AbandonmentMessage();
        m.type = AbandonmentMessage.RECOVERED;
        m.triggerId = s.lastTriggerId;
        m.stage = s.lastTriggerStage;
        m.customerId = customerIdOf(key);
        m.orderId = purchase.orderId;
        m.recoveredValue = purchase.value;
        m.currency = purchase.currency;
        m.causeEventId = purchase.eventId;
        m.causeEventType = purchase.eventType.wireName;
        m.causeEventTime = purchase.eventTime;
        m.emittedAt = System.currentTimeMillis();
        count("cartsRecovered", null, 1);
        out.collect(m);
    }

    /** Fires (or suppresses) every stage of the cart that is due, after any quiet hours, at or before {@code until}. */
    private void fireStagesDueBy(CartState s, String key, long until, Collector<AbandonmentMessage> out) {
        int k;
        while (!s.cartEmpty() && (k = nextStage(s)) >= 0) {
            long fireAt = fireTime(s, k);
            if (fireAt > until) {
                return;
            }
            fire(s, key, k, fireAt, out);
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

    /** When a stage goes out: when it is due, or at the end of the quiet hours it falls in. */
    private long fireTime(CartState s, int stage) {
        long due = dueAt(s, stage);
        return config.quietHours == null ? due : config.quietHours.releaseTime(due, zoneOf(s));
    }

    private ZoneId zoneOf(CartState s) {
        return s.timeZone != null ? ZoneId.of(s.timeZone) : config.defaultTimeZone;
    }

    /** Stage {@code k} (0-based) is done: a trigger, or a counted suppression. */
    private void fire(CartState s, String key, int k, long firedAt, Collector<AbandonmentMessage> out) {
        s.doneStages |= 1 << k;
        String suppressed = suppression(s, key, firedAt);
        if (suppressed != null) {
            count("triggersSuppressed", suppressed, 1);
            return;
        }
        String customerId = customerIdOf(key);
        List<CartLines.Line> lines = s.lines.lines();
        AbandonmentMessage m = new AbandonmentMessage();
        m.type = AbandonmentMessage.ABANDONED;
        m.stage = k + 1;
        m.triggerId = TriggerIds.of(customerId, s.cartStartedAt, m.stage);
        m.stageDelayMs = config.stages.get(k).toMillis();
        m.customerId = customerId;
        m.channel = s.channel;
        m.productIds = new String[lines.size()];
        m.quantities = new int[lines.size()];
        m.unitPrices = new double[lines.size()];
        m.categories = new String[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            CartLines.Line l = lines.get(i);
            m.productIds[i] = l.product;
            m.quantities[i] = l.quantity;
            m.unitPrices[i] = l.unitPrice;
            m.categories[i] = l.category;
        }
        m.cartValue = s.lines.value();
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
        count("triggersSent", "stage_" + m.stage, 1);
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

    private static String customerIdOf(String key) {
        return key.substring(2);
    }

    /** At most --max-cart-lines lines, so a trigger stays far below Kafka's record size limit; removals are bounded too. */
    private void keepWithinBounds(CartState s) {
        count("cartLinesDropped", null, s.lines.trimTo(config.maxCartLines));
        count("removalsForgotten", null, s.lines.trimRemovalsTo(CartLines.MAX_REMOVALS));
    }

    /**
     * Events older than the watermark minus the maximum lateness are refused, so what only they
     * could change is no longer needed: removals before that time, and a last trigger that neither
     * a purchase nor the frequency cap can refer to any more.
     */
    private void forgetWhatNoEventCanChange(CartState s, long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return;
        }
        long horizon = watermark - config.maxLateness.toMillis();
        s.lines.forgetRemovalsBefore(horizon);
        if (s.lastTriggerId != null && lastTriggerNeededUntil(s) < horizon) {
            s.forgetLastTrigger();
        }
    }

    /** A recovery can refer to the last trigger within the attribution window, the frequency cap within its window. */
    private long lastTriggerNeededUntil(CartState s) {
        long window = s.lastTriggerRecovered ? config.frequencyCap.toMillis()
                : Math.max(config.attributionWindow.toMillis(), config.frequencyCap.toMillis());
        return s.lastTriggerAt + window;
    }

    /** Event time of the shopper's next piece of work, or Long.MAX_VALUE. */
    private long nextWakeUp(CartState s) {
        long wake = s.pending.earliestTime();
        int k = nextStage(s);
        if (!s.cartEmpty() && k >= 0) {
            wake = Math.min(wake, fireTime(s, k));
        }
        long lateness = config.maxLateness.toMillis();
        if (s.lines.hasRemovals()) {
            wake = Math.min(wake, s.lines.earliestRemovalTime() + lateness + 1);
        }
        if (s.lastTriggerId != null) {
            wake = Math.min(wake, lastTriggerNeededUntil(s) + lateness + 1);
        }
        return wake;
    }

    /** Moves the one timer if its time changed, and stores what is still needed (or nothing). */
    private void settle(CartState s, Context ctx) {
        long wake = nextWakeUp(s);
        long at = wake == Long.MAX_VALUE ? Long.MIN_VALUE : wake;
        if (s.timerAt != at) {
            if (s.timerAt != Long.MIN_VALUE) {
                ctx.timerService().deleteEventTimeTimer(s.timerAt);
            }
            if (at != Long.MIN_VALUE) {
                ctx.timerService().registerEventTimeTimer(at);
            }
            s.timerAt = at;
        }
        if (s.holdsNothing()) {
            state.update(null);
        } else if (s.holdsOnlyLifetime()) {
            state.update(s.lifetimeOnly());
        } else {
            state.update(s);
        }
    }

    private void count(String name, String reason, long n) {
        if (n == 0) {
            return;
        }
        String id = reason == null ? name : name + "/" + reason;
        counters.computeIfAbsent(id, x -> reason == null
                ? getRuntimeContext().getMetricGroup().counter(name)
                : getRuntimeContext().getMetricGroup().addGroup(name.equals("triggersSent") ? "stage" : "reason", reason).counter(name)).inc(n);
    }
}
