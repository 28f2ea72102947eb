package dev.rtpe.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.rtpe.common.JsonWriting;
import dev.rtpe.simulator.Catalog.Product;

/**
 * An endless, deterministic stream of shoppers' browse and cart events in the input contract.
 * Sessions arrive at random (Poisson), each a planned path: maybe a search or a list, several
 * product views, and for some an add to cart, then a purchase or an abandoned cart. Sessions run
 * concurrently and interleave in event-time order. The same seed and start time give the same records.
 */
public final class ShopperSimulator implements Iterator<ShopperSimulator.Record> {

    /** One record to send. {@code sendAt} is the true simulated time, used to pace real-time runs. */
    public record Record(String topic, String key, byte[] value, long sendAt, boolean malformed, String eventId) {}

    private static final String[] CHANNELS = {"web", "web", "web", "web", "web", "mobile_web", "mobile_web", "mobile_web", "app", "app"};
    private static final String[] TIME_ZONES = {"America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London",
        "Europe/Berlin", "Europe/Warsaw", "Asia/Tokyo", "Australia/Sydney"};
    private static final String[] SEARCH_WORDS = {"cheap", "best", "new", "wireless", "black", "sale", "pro", "kids", "large", "mini"};

    private final SimulationModel model;
    private final SplittableRandom random;
    private final Catalog catalog;
    private final Shopper[] shoppers;
    private final ZipfSampler shopperActivity;
    private final long seed;
    private final JsonWriting json = new JsonWriting();
    private final PriorityQueue<Session> active = new PriorityQueue<>((a, b) ->
            a.nextTime != b.nextTime ? Long.compare(a.nextTime, b.nextTime) : Long.compare(a.number, b.number));
    private final ArrayDeque<Record> ready = new ArrayDeque<>();
    private final double meanSessionGapMillis;
    private double nextArrival;
    private long sessionsStarted;
    private long eventsMade;
    private long anonymousVisitors;

    public ShopperSimulator(SimulationModel model, long seed, long startMillis) {
        this.model = model;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.catalog = Catalog.of(model, random);
        this.shoppers = new Shopper[model.customers];
        for (int i = 0; i < shoppers.length; i++) {
            shoppers[i] = Shopper.known("c-" + (i + 1), catalog, random);
        }
        this.shopperActivity = new ZipfSampler(model.customers, model.customerZipfExponent);
        this.meanSessionGapMillis = 1000.0 * Session.EXPECTED_EVENTS / model.eventsPerSecond;
        this.nextArrival = startMillis;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Record next() {
        while (ready.isEmpty()) {
            Session s = active.peek();
            if (s == null || nextArrival <= s.nextTime) {
                active.add(startSession((long) nextArrival));
                nextArrival += -Math.log(1 - random.nextDouble()) * meanSessionGapMillis;
                continue;
            }
            active.poll();
            emit(s);
            if (s.hasNext()) {
                s.nextTime += thinkTime();
                active.add(s);
            }
        }
        return ready.poll();
    }

    public long sessionsStarted() {
        return sessionsStarted;
    }

    // ---- sessions ----------------------------------------------------------------------

    /** A visitor: a known customer with a stable profile, or an anonymous one-off. */
    private record Shopper(String customerId, String anonymousId, int[] favouriteCategories, String timeZone,
                           boolean marketingConsent, boolean personalizationConsent, String channel) {
        /** Interest in 1 to 3 categories, popular ones more often: a few, however big the catalog. */
        static Shopper known(String id, Catalog catalog, SplittableRandom r) {
            int[] favourites = new int[1 + r.nextInt(3)];
            for (int i = 0; i < favourites.length; i++) {
                favourites[i] = catalog.randomCategory(r);
            }
            return new Shopper(id, null, favourites, TIME_ZONES[r.nextInt(TIME_ZONES.length)], r.nextDouble() < 0.6,
                    r.nextDouble() < 0.95, CHANNELS[r.nextInt(CHANNELS.length)]);
        }
    }

    private enum Kind { SEARCH, VIEW_ITEM_LIST, VIEW_ITEM, ADD_TO_CART, REMOVE_FROM_CART, VIEW_CART, BEGIN_CHECKOUT, PURCHASE }

    /** One planned step of a session. {@code items} is the cart (or list) at that step. */
    private record Step(Kind kind, Product product, int quantity, List<Product> items, List<Integer> quantities, String text) {}

    private static final class Session {
        /** Mean events per session under the default plan; sets the session arrival rate. */
        static final double EXPECTED_EVENTS = 5.1;

        final long number;
        final String id;
        final Shopper shopper;
        final String channel;
        final List<Step> steps;
        int next;
        long nextTime;

        Session(long number, String id, Shopper shopper, String channel, List<Step> steps, long start) {
            this.number = number;
            this.id = id;
            this.shopper = shopper;
            this.channel = channel;
            this.steps = steps;
            this.nextTime = start;
        }

        boolean hasNext() {
            return next < steps.size();
        }
    }

    private Session startSession(long start) {
        long n = ++sessionsStarted;
        Shopper shopper = random.nextDouble() < model.anonymousShare
                ? anonymous()
                : shoppers[shopperActivity.sample(random)];
        String channel = random.nextDouble() < 0.8 ? shopper.channel() : CHANNELS[random.nextInt(CHANNELS.length)];
        return new Session(n, "s-" + seed + "-" + n, shopper, channel, plan(shopper), start);
    }

    private Shopper anonymous() {
        Shopper profile = Shopper.known("unused", catalog, random);
        return new Shopper(null, "anon-" + seed + "-" + (++anonymousVisitors), profile.favouriteCategories(), profile.timeZone(),
                false, true, profile.channel());
    }

    /** The whole path of a session, decided up front. */
    private List<Step> plan(Shopper shopper) {
        List<Step> steps = new ArrayList<>();
        int category = favouriteOrAny(shopper);
        if (random.nextDouble() < 0.2) {
            Product hint = catalog.pick(category, random);
            steps.add(new Step(Kind.SEARCH, null, 0, null, null, SEARCH_WORDS[random.nextInt(SEARCH_WORDS.length)] + " " + searchWord(hint)));
        }
        if (random.nextDouble() < 0.3) {
            steps.add(new Step(Kind.VIEW_ITEM_LIST, null, 0, catalog.top(category, 8), null, "top-" + category));
        }
        List<Product> viewed = new ArrayList<>();
        int views = 1 + geometric(3.5, 24);
        for (int i = 0; i < views; i++) {
            Product p = catalog.pick(i == 0 || random.nextDouble() < 0.7 ? category : favouriteOrAny(shopper), random);
            viewed.add(p);
            steps.add(new Step(Kind.VIEW_ITEM, p, 0, null, null, null));
        }
        if (random.nextDouble() < model.cartRate) {
            planCart(steps, viewed);
        }
        return steps;
    }

    private void planCart(List<Step> steps, List<Product> viewed) {
        List<Product> cart = new ArrayList<>();
        List<Integer> quantities = new ArrayList<>();
        int lines = 1 + (random.nextDouble() < 0.35 ? 1 : 0) + (random.nextDouble() < 0.1 ? 1 : 0);
        for (int i = 0; i < lines; i++) {
            Product p = viewed.get(random.nextInt(viewed.size()));
            if (cart.contains(p)) {
                continue;
            }
            int quantity = random.nextDouble() < 0.85 ? 1 : 2 + random.nextInt(2);
            cart.add(p);
            quantities.add(quantity);
            steps.add(new Step(Kind.ADD_TO_CART, p, quantity, null, null, null));
        }
        if (random.nextDouble() < model.purchaseRate) {
            if (random.nextDouble() < 0.6) {
                steps.add(new Step(Kind.VIEW_CART, null, 0, List.copyOf(cart), List.copyOf(quantities), null));
            }
            steps.add(new Step(Kind.BEGIN_CHECKOUT, null, 0, List.copyOf(cart), List.copyOf(quantities), null));
            steps.add(new Step(Kind.PURCHASE, null, 0, List.copyOf(cart), List.copyOf(quantities), null));
            return;
        }
        // Abandoned: the shopper may look at the cart, start checking out, or take something out, then leaves.
        if (random.nextDouble() < 0.4) {
            steps.add(new Step(Kind.VIEW_CART, null, 0, List.copyOf(cart), List.copyOf(quantities), null));
        }
        if (random.nextDouble() < 0.15) {
            steps.add(new Step(Kind.BEGIN_CHECKOUT, null, 0, List.copyOf(cart), List.copyOf(quantities), null));
        }
        if (cart.size() > 1 && random.nextDouble() < 0.2) {
            steps.add(new Step(Kind.REMOVE_FROM_CART, cart.get(cart.size() - 1), 0, null, null, null));
        }
    }

    private int favouriteOrAny(Shopper s) {
        return random.nextDouble() < 0.8
                ? s.favouriteCategories()[random.nextInt(s.favouriteCategories().length)]
                : catalog.randomCategory(random);
    }

    /** What a shopper types for a product: its leaf category's name, or its brand when it has none. */
    private static String searchWord(Product p) {
        return p.categoryPath() == null ? p.brand() : p.categoryPath().replaceAll(".*\\.", "").replace('_', ' ');
    }

    private int geometric(double mean, int max) {
        double p = 1 / (mean + 1);
        int k = (int) Math.floor(Math.log(1 - random.nextDouble()) / Math.log(1 - p));
        return Math.min(k, max);
    }

    private long thinkTime() {
        return 1000 + (long) (-Math.log(1 - random.nextDouble()) * model.meanThinkTime.toMillis());
    }

    // ---- records -----------------------------------------------------------------------

    private void emit(Session s) {
        Step step = s.steps.get(s.next++);
        long eventId = ++eventsMade;
        long eventTime = random.nextDouble() < model.lateShare ? s.nextTime - 200 - random.nextInt(2800) : s.nextTime;
        String topic = step.kind().ordinal() <= Kind.VIEW_ITEM.ordinal() ? model.browseTopic : model.cartTopic;
        String key = s.shopper.customerId() != null ? s.shopper.customerId() : s.shopper.anonymousId();
        String id = "sim-" + seed + "-" + eventId;
        byte[] value = json.object(g -> event(g, s, step, id, eventTime));
        Record record = new Record(topic, key, value, s.nextTime, false, id);
        ready.add(record);
        if (random.nextDouble() < model.duplicateShare) {
            ready.add(record);
        }
        if (random.nextDouble() < model.malformedShare) {
            ready.add(new Record(topic, key, Malformations.apply(value, random), s.nextTime, true, id));
        }
    }

    private void event(JsonGenerator g, Session s, Step step, String eventId, long eventTime) throws IOException {
        g.writeNumberField("schema_version", 1);
        g.writeStringField("event_id", eventId);
        g.writeStringField("event_type", step.kind().name().toLowerCase());
        g.writeStringField("event_time", Instant.ofEpochMilli(eventTime).toString());
        if (s.shopper.customerId() != null) {
            g.writeStringField("customer_id", s.shopper.customerId());
        } else {
            g.writeStringField("anonymous_id", s.shopper.anonymousId());
        }
        g.writeStringField("session_id", s.id);
        g.writeStringField("channel", s.channel);
        switch (step.kind()) {
            case SEARCH -> g.writeStringField("search_term", step.text());
            case VIEW_ITEM_LIST -> {
                g.writeStringField("item_list_id", step.text());
                items(g, step.items(), null);
            }
            case VIEW_ITEM, ADD_TO_CART, REMOVE_FROM_CART -> product(g, step);
            case VIEW_CART, BEGIN_CHECKOUT -> {
                items(g, step.items(), step.quantities());
                g.writeNumberField("value", total(step));
            }
            case PURCHASE -> {
                g.writeStringField("order_id", "o-" + eventId);
                items(g, step.items(), step.quantities());
                g.writeNumberField("value", total(step));
            }
        }
        if (step.kind() != Kind.SEARCH && step.kind() != Kind.REMOVE_FROM_CART) {
            g.writeStringField("currency", model.currency);
        }
        g.writeObjectFieldStart("consent");
        g.writeBooleanField("personalization", s.shopper.personalizationConsent());
        g.writeBooleanField("marketing", s.shopper.marketingConsent());
        g.writeEndObject();
        g.writeStringField("time_zone", s.shopper.timeZone());
    }

    private static void product(JsonGenerator g, Step step) throws IOException {
        Product p = step.product();
        g.writeStringField("product_id", p.id());
        category(g, p);
        g.writeStringField("brand", p.brand());
        if (step.kind() != Kind.REMOVE_FROM_CART) {
            g.writeNumberField("price", p.price());
        }
        if (step.quantity() > 0) {
            g.writeNumberField("quantity", step.quantity());
        }
    }

    private static void items(JsonGenerator g, List<Product> products, List<Integer> quantities) throws IOException {
        g.writeArrayFieldStart("items");
        for (int i = 0; i < products.size(); i++) {
            Product p = products.get(i);
            g.writeStartObject();
            g.writeStringField("product_id", p.id());
            category(g, p);
            g.writeStringField("brand", p.brand());
            g.writeNumberField("price", p.price());
            if (quantities != null) {
                g.writeNumberField("quantity", quantities.get(i));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Left out for a product without a category, as storefronts do (the contract allows absent or null). */
    private static void category(JsonGenerator g, Product p) throws IOException {
        if (p.categoryPath() != null) {
            g.writeStringField("category", p.categoryPath());
        }
    }

    private static double total(Step step) {
        double sum = 0;
        for (int i = 0; i < step.items().size(); i++) {
            sum += step.items().get(i).price() * step.quantities().get(i);
        }
        return Math.round(sum * 100) / 100.0;
    }

    /** Ways producers get records wrong, applied to a valid record. */
    static final class Malformations {
        private Malformations() {}

        static byte[] apply(byte[] valid, SplittableRandom random) {
            String json = new String(valid, StandardCharsets.UTF_8);
            switch (random.nextInt(6)) {
                case 0: return json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8);
                case 1: return json.replaceFirst("\"session_id\":\"[^\"]*\",", "").getBytes(StandardCharsets.UTF_8);
                case 2: return json.replaceFirst("\"event_time\":\"[^\"]*\"", "\"event_time\":\"yesterday\"").getBytes(StandardCharsets.UTF_8);
                case 3: return json.replaceFirst("\"channel\":\"[^\"]*\"", "\"channel\":42").getBytes(StandardCharsets.UTF_8);
                case 4: return json.replaceFirst("\"event_type\":\"[^\"]*\"", "\"event_type\":\"page_view\"").getBytes(StandardCharsets.UTF_8);
                default: return ("not json: " + json.hashCode()).getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
