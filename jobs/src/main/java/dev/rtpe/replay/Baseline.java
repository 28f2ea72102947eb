package dev.rtpe.replay;

import java.util.List;

/**
 * A recommender the evaluation scores beside the engine: asked for its list before each event,
 * then told the event's products, so a list only ever comes from the events before it.
 */
interface Baseline {
    /** The shopper's list now: at most {@code k} products, best first. */
    List<String> top(String shopper, int k);

    /** The shopper touched these products, in this order (the products of one event). */
    void learn(String shopper, List<String> products);
}
