package dev.rtpe.abandonment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.rtpe.common.LineItem;

/**
 * The lines of one cart, each with the time of its last change, and the products recently removed
 * from it, with the time of their removal. Times are {@link EventOrder#key}s: event time, then funnel
 * step.
 *
 * <p>Why the times: the job applies events in event-time order while they are within the watermark's
 * out-of-orderness bound. An event that comes later than that is merged here line by line:
 * <ul>
 *   <li>add n: ignored when the product was bought, removed or listed by a snapshot after it;
 *       otherwise adds n units. Unit price and category are those of the line's latest change.</li>
 *   <li>remove n: of a product not in the cart, it is remembered as a removal. On a line it is
 *       ignored when a purchase, removal or snapshot decided the line after it; otherwise it
 *       removes n units, or the line when it has no more (a full removal).</li>
 *   <li>remove (no quantity), purchase, snapshot: absolute. They leave a line that changed after
 *       them as it is. A purchase removes the whole line, whatever the quantity bought.</li>
 *   <li>snapshot (view_cart or begin_checkout with items): lines not listed go; listed lines take
 *       the listed quantity; listed products not in the cart come in unless removed after it.</li>
 * </ul>
 * Events applied in order are always newer than every change, so these rules are then just the
 * plain ones. Plain Java, no Flink.
 */
final class CartLines {
    /** The schema's largest quantity: a line never holds more. */
    static final int MAX_QUANTITY = 1000;
    /** Removals remembered at most; beyond it, the oldest are forgotten. */
    static final int MAX_REMOVALS = 256;

    /** One product line. */
    static final class Line {
        final String product;
        int quantity;
        double unitPrice;
        String category;
        /** Key of the latest change. */
        long changedAt;
        /** Key of the latest absolute change (purchase, removal, snapshot), or Long.MIN_VALUE. */
        long settledAt;

        Line(String product, int quantity, double unitPrice, String category, long changedAt, long settledAt) {
            this.product = product;
            this.quantity = Math.min(quantity, MAX_QUANTITY);
            this.unitPrice = unitPrice;
            this.category = category;
            this.changedAt = changedAt;
            this.settledAt = settledAt;
        }
    }

    private static final Comparator<Line> LEAST_RECENTLY_CHANGED =
            Comparator.comparingLong((Line l) -> l.changedAt).thenComparing(l -> l.product);

    /** In the order the products came into the cart. */
    private final List<Line> lines = new ArrayList<>();
    /** Product → key of its latest removal, for products not in the cart. */
    private final Map<String, Long> removals = new HashMap<>();

    boolean isEmpty() {
        return lines.isEmpty();
    }

    int size() {
        return lines.size();
    }

    boolean hasRemovals() {
        return !removals.isEmpty();
    }

    List<Line> lines() {
        return Collections.unmodifiableList(lines);
    }

    Map<String, Long> removals() {
        return Collections.unmodifiableMap(removals);
    }

    double value() {
        double v = 0;
        for (Line l : lines) {
            v += l.quantity * l.unitPrice;
        }
        return Math.round(v * 100) / 100.0;
    }

    /** Adds units; returns whether the add changed the cart. */
    boolean add(String product, int quantity, double unitPrice, String category, long at) {
        Line line = find(product);
        if (line == null) {
            long removedAt = removals.getOrDefault(product, Long.MIN_VALUE);
            if (removedAt > at) {
                return false; // bought or removed after this add
            }
            removals.remove(product);
            lines.add(new Line(product, quantity, unitPrice, category, at, removedAt));
            return true;
        }
        if (line.settledAt > at) {
            return false; // a later purchase, removal or snapshot decided this line
        }
        line.quantity = Math.min(line.quantity + quantity, MAX_QUANTITY);
        if (at >= line.changedAt) {
            line.unitPrice = unitPrice;
            line.category = category != null ? category : line.category;
            line.changedAt = at;
        }
        return true;
    }

    /** Removes {@code quantity} units, or the whole line when {@code quantity} is 0 or at least what there is. */
    void remove(String product, int quantity, long at) {
        Line line = find(product);
        if (line == null) {
            remember(product, at); // an older add of it that arrives later stays out
            return;
        }
        if (line.settledAt > at) {
            return;
        }
        if (quantity > 0 && quantity < line.quantity) {
            line.quantity -= quantity;
            line.changedAt = Math.max(line.changedAt, at);
            return;
        }
        if (quantity == 0 && line.changedAt > at) {
            return; // a full removal is absolute: the line changed after it
        }
        drop(line, at);
    }

    /** A purchase of the product: its line goes, however many units were bought. */
    void buy(String product, long at) {
        Line line = find(product);
        if (line == null) {
            remember(product, at);
        } else if (line.changedAt <= at) {
            drop(line, at);
        } else {
            line.settledAt = Math.max(line.settledAt, at); // changed after the purchase: stays, but what came before is settled
        }
    }

    /**
     * A cart view or checkout listing the whole cart (possibly nothing). Returns whether it put
     * units in the cart.
     */
    boolean replaceWith(LineItem[] items, long at) {
        Map<String, LineItem> listed = merged(items);
        boolean filled = false;
        for (Iterator<Line> it = lines.iterator(); it.hasNext(); ) {
            Line line = it.next();
            if (line.changedAt > at) {
                continue; // the snapshot is older than this line's last change
            }
            LineItem item = listed.get(line.product);
            if (item == null) {
                it.remove();
                remember(line.product, Math.max(at, line.settledAt));
            } else {
                line.quantity = Math.min(Math.max(1, item.quantity), MAX_QUANTITY);
                line.unitPrice = item.hasPrice() ? item.price : line.unitPrice;
                line.category = item.category != null ? item.category : line.category;
                line.changedAt = at;
                line.settledAt = at;
                filled = true;
            }
        }
        for (LineItem item : listed.values()) {
            if (find(item.productId) != null || removals.getOrDefault(item.productId, Long.MIN_VALUE) > at) {
                continue;
            }
            removals.remove(item.productId);
            lines.add(new Line(item.productId, Math.max(1, item.quantity), item.hasPrice() ? item.price : 0, item.category, at, at));
            filled = true;
        }
        return filled;
    }

    /** Drops the least recently changed lines beyond {@code maxLines}; returns how many. */
    int trimTo(int maxLines) {
        int dropped = 0;
        while (lines.size() > maxLines) {
            Line oldest = Collections.min(lines, LEAST_RECENTLY_CHANGED);
            lines.remove(oldest);
            if (oldest.settledAt != Long.MIN_VALUE) {
                remember(oldest.product, oldest.settledAt); // still blocks older events of it
            }
            dropped++;
        }
        return dropped;
    }

    /** Forgets the oldest removals beyond {@code max}; returns how many. */
    int trimRemovalsTo(int max) {
        int dropped = 0;
        while (removals.size() > max) {
            Map.Entry<String, Long> oldest = Collections.min(removals.entrySet(),
                    Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
            removals.remove(oldest.getKey());
            dropped++;
        }
        return dropped;
    }

    /** Forgets removals before {@code time}: no event that old is accepted any more. */
    void forgetRemovalsBefore(long time) {
        removals.values().removeIf(at -> EventOrder.timeOf(at) < time);
    }

    /** Event time of the oldest remembered removal, or Long.MAX_VALUE. */
    long earliestRemovalTime() {
        long earliest = Long.MAX_VALUE;
        for (long at : removals.values()) {
            earliest = Math.min(earliest, EventOrder.timeOf(at));
        }
        return earliest;
    }

    /** For the state codec: restores a line as it was. */
    void restoreLine(Line line) {
        lines.add(line);
    }

    void restoreRemoval(String product, long at) {
        removals.put(product, at);
    }

    private void drop(Line line, long at) {
        lines.remove(line);
        remember(line.product, Math.max(at, line.settledAt));
    }

    private void remember(String product, long at) {
        removals.merge(product, at, Math::max);
    }

    private Line find(String product) {
        for (Line l : lines) {
            if (l.product.equals(product)) {
                return l;
            }
        }
        return null;
    }

    /** One entry per product, in listed order; a product listed twice counts its quantities together. */
    private static Map<String, LineItem> merged(LineItem[] items) {
        Map<String, LineItem> byProduct = new LinkedHashMap<>();
        for (LineItem item : items) {
            LineItem seen = byProduct.get(item.productId);
            if (seen == null) {
                byProduct.put(item.productId, new LineItem(item.productId, item.category, item.price, Math.max(1, item.quantity)));
            } else {
                seen.quantity += Math.max(1, item.quantity);
            }
        }
        return byProduct;
    }
}
