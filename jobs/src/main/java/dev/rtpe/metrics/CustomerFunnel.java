package dev.rtpe.metrics;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import dev.rtpe.common.CachingKeyedProcessOperator;
import dev.rtpe.common.Channel;
import dev.rtpe.common.EventType;
import dev.rtpe.common.LineItem;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.WriteBackCache;

/**
 * Keyed by customer: turns each input into what it adds to its minute (pane) in every dimension
 * it belongs to, and decides what only a customer's history can tell.
 *
 * <ul>
 *   <li>Every event counts in "all", its channel, and each top-level category it carries.</li>
 *   <li>A session is started at its earliest event and is a bounce when no other event of it
 *       follows within the bounce window. Both are reported once that window has passed in event
 *       time, so the answer does not depend on arrival order; a late event corrects them.</li>
 *   <li>An order is a repeat when the customer has an earlier order (by time, then order id).
 *       An order that turns out to be earlier than the one believed first makes that one a repeat.</li>
 *   <li>An event too late for its own minute (this stage's watermark has passed the minute's end
 *       plus the allowed lateness: the pane stage clears it, or has) counts nowhere: it is dropped
 *       here, before it can move a session's start or make an order a repeat, and counted in
 *       {@code late_events_dropped}.</li>
 * </ul>
 */
public class CustomerFunnel extends KeyedProcessFunction<String, MetricsInput, PaneDelta>
        implements CachingKeyedProcessOperator.CachedFunction {
    private static final long serialVersionUID = 1L;
    /**
     * Sessions tracked per customer at most, so a bot's endless sessions cannot grow state. Far
     * above what a person has open within the session timeout: below it, what is counted cannot
     * depend on the order events arrive in (a catch-up delivers a busy shopper's sessions
     * interleaved), beyond it a session may be forgotten while its events are still coming.
     */
    static final int MAX_OPEN_SESSIONS = 256;
    /** Name of the counter of shopper events that came too late for their minute. */
    public static final String LATE_EVENTS_DROPPED = "late_events_dropped";

    private final MetricsConfig config;
    private final PaneTime panes;
    private final long bounceWindow;
    private final long sessionTimeout;
    private transient WriteBackCache<FunnelState> state;
    private transient List<String> categories;
    private transient Counter lateEvents;
    private transient Counter sessionsEvicted;

    public CustomerFunnel(MetricsConfig config) {
        this.config = config;
        this.panes = new PaneTime(config);
        this.bounceWindow = config.bounceWindow.toMillis();
        this.sessionTimeout = config.sessionTimeout.toMillis();
    }

    @Override
    public Iterable<WriteBackCache<?>> writeBackCaches() {
        return List.<WriteBackCache<?>>of(state);
    }

    @Override
    public void open(OpenContext openContext) {
        state = WriteBackCache.of(getRuntimeContext(), "funnel", config.customerTtl, FunnelState.CODEC, config.stateCacheEntries);
        categories = new ArrayList<>(4);
        lateEvents = getRuntimeContext().getMetricGroup().counter(LATE_EVENTS_DROPPED);
        sessionsEvicted = getRuntimeContext().getMetricGroup().counter("sessionsEvicted");
    }

    @Override
    public void processElement(MetricsInput in, Context ctx, Collector<PaneDelta> out) throws Exception {
        if (in.hit != null) {
            emitEvaluation(in.hit, out);
            return;
        }
        ShopperEvent e = in.event;
        if (isTooLateToCount(e, ctx.timerService().currentWatermark())) {
            lateEvents.inc();
            return;
        }
        FunnelState f = state.value();
        if (f == null) {
            f = new FunnelState();
        }
        boolean repeat = e.eventType == EventType.PURCHASE && isRepeatOrder(f, e, out);
        emitEvent(e, repeat, out);
        trackSession(f, e, ctx, out);
        state.update(f);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PaneDelta> out) throws Exception {
        FunnelState f = state.value();
        if (f == null) {
            return;
        }
        decideDueSessions(f, timestamp, out);
        if (timestamp >= f.sweepAt && f.sweepAt != FunnelState.NONE) {
            f.sessions.removeIf(s -> s.decided && s.lastAt + sessionTimeout <= timestamp);
            f.sweepAt = FunnelState.NONE;
            scheduleSweep(f, ctx);
        }
        state.update(f.isEmpty() ? null : f);
    }

    /**
     * The event's own minute is closed for good, so its counts would be dropped there. Letting it
     * still move its session's start or its customer's first order would count half an event: a
     * correction to another minute without the event it corrects for.
     */
    boolean isTooLateToCount(ShopperEvent e, long watermark) {
        return panes.isTooLate(paneOf(e.eventTime), watermark);
    }

    /** Shopper events dropped so far for coming after their minute was closed for good. */
    long lateEventsDropped() {
        return lateEvents.getCount();
    }

    long paneOf(long time) {
        return panes.paneOf(time);
    }

    // ---- counts of each event -----------------------------------------------------------

    private void emitEvent(ShopperEvent e, boolean repeat, Collector<PaneDelta> out) {
        long paneStart = paneOf(e.eventTime);
        long visitor = PaneCounts.hash(e.customerKey);
        long session = PaneCounts.hash(e.sessionId);
        out.collect(eventDelta(new PaneDelta(Dimension.ALL, Dimension.ALL_VALUE, paneStart), e, null, repeat, visitor, session));
        out.collect(eventDelta(new PaneDelta(Dimension.CHANNEL, e.channel.wireName, paneStart), e, null, repeat, visitor, session));
        for (String category : topLevelCategories(e)) {
            out.collect(eventDelta(new PaneDelta(Dimension.CATEGORY, category, paneStart), e, category, repeat, visitor, session));
        }
    }

    /**
     * What the event adds to one row. {@code category} null: the whole event; otherwise only its
     * lines of that top-level category (units and revenue of an order).
     */
    private static PaneDelta eventDelta(PaneDelta d, ShopperEvent e, String category, boolean repeat, long visitor, long session) {
        d.visitorHash = visitor;
        d.sessionHash = session;
        d.sessionFlags = PaneDelta.ACTIVE;
        switch (e.eventType) {
            case VIEW_ITEM:
                d.views = 1;
                d.sessionFlags |= PaneDelta.VIEWED;
                break;
            case ADD_TO_CART:
                d.addToCarts = 1;
                d.sessionFlags |= PaneDelta.CARTED;
                break;
            case REMOVE_FROM_CART:
                d.removes = 1;
                break;
            case BEGIN_CHECKOUT:
                d.checkouts = 1;
                break;
            case PURCHASE:
                d.orders = 1;
                d.repeatOrders = repeat ? 1 : 0;
                d.sessionFlags |= PaneDelta.ORDERED;
                d.currency = e.currency;
                if (category == null) {
                    d.revenueMicros = PaneDelta.micros(e.value);
                    for (LineItem item : e.items) {
                        d.units += item.quantity;
                    }
                } else {
                    for (LineItem item : e.items) {
                        if (item.category != null && category.equals(Dimension.topLevelCategory(item.category))) {
                            d.units += item.quantity;
                            d.revenueMicros += PaneDelta.micros(item.price) * item.quantity;
                        }
                    }
                }
                break;
            default:
                break; // lists, searches and cart views count as activity only
        }
        return d;
    }

    /** The distinct top-level categories of the event's product and lines, in order of appearance. */
    private List<String> topLevelCategories(ShopperEvent e) {
        categories.clear();
        if (e.category != null) {
            categories.add(Dimension.topLevelCategory(e.category));
        }
        if (e.items != null) {
            for (LineItem item : e.items) {
                if (item.category != null) {
                    String top = Dimension.topLevelCategory(item.category);
                    if (!categories.contains(top)) {
                        categories.add(top);
                    }
                }
            }
        }
        return categories;
    }

    private void emitEvaluation(HitSignal h, Collector<PaneDelta> out) {
        long paneStart = paneOf(h.eventTime);
        out.collect(evaluation(new PaneDelta(Dimension.ALL, Dimension.ALL_VALUE, paneStart), h));
        out.collect(evaluation(new PaneDelta(Dimension.CHANNEL, h.channel.wireName, paneStart), h));
        if (h.category != null) {
            out.collect(evaluation(new PaneDelta(Dimension.CATEGORY, h.category, paneStart), h));
        }
    }

    private static PaneDelta evaluation(PaneDelta d, HitSignal h) {
        d.recEvaluations = 1;
        d.recHits = h.hit ? 1 : 0;
        return d;
    }

    // ---- repeat orders ------------------------------------------------------------------

    private boolean isRepeatOrder(FunnelState f, ShopperEvent e, Collector<PaneDelta> out) {
        if (f.firstOrderAt == FunnelState.NONE) {
            rememberFirstOrder(f, e);
            return false;
        }
        if (e.orderId.equals(f.firstOrderId)) {
            return false; // the first order, sent again under a new event id
        }
        if (orderedBefore(f.firstOrderAt, f.firstOrderId, e.eventTime, e.orderId)) {
            return true;
        }
        // An earlier order arrived late: the one taken for the first is a repeat after all.
        long paneStart = paneOf(f.firstOrderAt);
        out.collect(repeatCorrection(new PaneDelta(Dimension.ALL, Dimension.ALL_VALUE, paneStart)));
        out.collect(repeatCorrection(new PaneDelta(Dimension.CHANNEL, f.firstOrderChannel.wireName, paneStart)));
        for (String category : f.firstOrderCategories) {
            out.collect(repeatCorrection(new PaneDelta(Dimension.CATEGORY, category, paneStart)));
        }
        rememberFirstOrder(f, e);
        return false;
    }

    private static boolean orderedBefore(long timeA, String idA, long timeB, String idB) {
        return timeA < timeB || (timeA == timeB && idA.compareTo(idB) < 0);
    }

    private void rememberFirstOrder(FunnelState f, ShopperEvent e) {
        f.firstOrderAt = e.eventTime;
        f.firstOrderId = e.orderId;
        f.firstOrderChannel = e.channel;
        f.firstOrderCategories = topLevelCategories(e).toArray(new String[0]);
    }

    private static PaneDelta repeatCorrection(PaneDelta d) {
        d.repeatOrders = 1;
        return d;
    }

    // ---- sessions -----------------------------------------------------------------------

    private void trackSession(FunnelState f, ShopperEvent e, Context ctx, Collector<PaneDelta> out) {
        long t = e.eventTime;
        FunnelState.Session s = f.session(e.sessionId);
        if (s == null) {
            s = new FunnelState.Session();
            s.id = e.sessionId;
            s.firstAt = t;
            s.lastAt = t;
            s.channel = e.channel;
            s.bounce = true;
            f.sessions.add(s);
            ctx.timerService().registerEventTimeTimer(t + bounceWindow);
            evictIfTooMany(f, out);
        } else {
            long firstBefore = s.firstAt;
            Channel channelBefore = s.channel;
            boolean bounceBefore = s.bounce;
            addToSession(s, t, e.channel);
            if (!s.decided && t == s.firstAt) {
                ctx.timerService().registerEventTimeTimer(t + bounceWindow); // the old timer finds nothing due
            }
            boolean reportedDifferently = paneOf(firstBefore) != paneOf(s.firstAt) || channelBefore != s.channel
                    || bounceBefore != s.bounce;
            if (s.decided && reportedDifferently) {
                report(firstBefore, channelBefore, bounceBefore, -1, out);
                report(s.firstAt, s.channel, s.bounce, 1, out);
            }
        }
        sweepNoLaterThan(f, sweepDueAt(s), ctx);
    }

    /**
     * A bounce has no other event in (first, first + bounce window]. The earliest event before this
     * one is the old first, so that is all an earlier event needs to know.
     */
    void addToSession(FunnelState.Session s, long t, Channel channel) {
        if (t > s.firstAt) {
            if (t - s.firstAt <= bounceWindow) {
                s.bounce = false;
            }
        } else if (t < s.firstAt) {
            s.bounce = s.firstAt - t > bounceWindow;
            s.firstAt = t;
            s.channel = channel;
        } else {
            s.bounce = false;
        }
        s.lastAt = Math.max(s.lastAt, t);
    }

    private void decideDueSessions(FunnelState f, long now, Collector<PaneDelta> out) {
        for (FunnelState.Session s : f.sessions) {
            if (!s.decided && s.firstAt + bounceWindow <= now) {
                s.decided = true;
                report(s.firstAt, s.channel, s.bounce, 1, out);
            }
        }
    }

    /** Sessions started and bounces, in the minute and channel of the session's first event. */
    private void report(long firstAt, Channel channel, boolean bounce, int sign, Collector<PaneDelta> out) {
        long paneStart = paneOf(firstAt);
        out.collect(sessionOutcome(new PaneDelta(Dimension.ALL, Dimension.ALL_VALUE, paneStart), bounce, sign));
        out.collect(sessionOutcome(new PaneDelta(Dimension.CHANNEL, channel.wireName, paneStart), bounce, sign));
    }

    private static PaneDelta sessionOutcome(PaneDelta d, boolean bounce, int sign) {
        d.sessionsStarted = sign;
        d.bounces = bounce ? sign : 0;
        return d;
    }

    /**
     * Beyond the cap, a session is forgotten: the quietest decided one, whose outcome is already
     * reported, else the quietest of all, reported as it stands. Counted in {@code sessionsEvicted}.
     */
    private void evictIfTooMany(FunnelState f, Collector<PaneDelta> out) {
        if (f.sessions.size() <= MAX_OPEN_SESSIONS) {
            return;
        }
        FunnelState.Session victim = null;
        for (FunnelState.Session s : f.sessions) {
            if (victim == null || (s.decided && !victim.decided) || (s.decided == victim.decided && s.lastAt < victim.lastAt)) {
                victim = s;
            }
        }
        if (!victim.decided) {
            report(victim.firstAt, victim.channel, victim.bounce, 1, out);
        }
        f.sessions.remove(victim);
        sessionsEvicted.inc();
    }

    /** A session can be forgotten once it is decided and has been quiet for the session timeout. */
    private long sweepDueAt(FunnelState.Session s) {
        return Math.max(s.lastAt + sessionTimeout, s.firstAt + bounceWindow);
    }

    private void scheduleSweep(FunnelState f, Context ctx) {
        long earliest = Long.MAX_VALUE;
        for (FunnelState.Session s : f.sessions) {
            earliest = Math.min(earliest, sweepDueAt(s));
        }
        if (earliest != Long.MAX_VALUE) {
            f.sweepAt = earliest;
            ctx.timerService().registerEventTimeTimer(earliest);
        }
    }

    /**
     * Brings the sweep forward when a session is due before it. Otherwise whichever session
     * arrived first would set when the others are forgotten, and so whether a session that comes
     * back after the timeout counts as a new start would depend on arrival order. A later sweep
     * timer already registered stays: it may be a bounce decision's too, and finds nothing due.
     */
    private void sweepNoLaterThan(FunnelState f, long due, Context ctx) {
        if (f.sweepAt == FunnelState.NONE || due < f.sweepAt) {
            f.sweepAt = due;
            ctx.timerService().registerEventTimeTimer(due);
        }
    }
}
