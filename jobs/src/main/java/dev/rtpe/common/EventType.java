package dev.rtpe.common;

/**
 * The GA4 e-commerce event names the engine understands, and the input topic each belongs to.
 * Append new types at the end: compact state stores the ordinal.
 */
public enum EventType {
    VIEW_ITEM("view_item", InputTopic.BROWSE),
    VIEW_ITEM_LIST("view_item_list", InputTopic.BROWSE),
    SEARCH("search", InputTopic.BROWSE),
    ADD_TO_CART("add_to_cart", InputTopic.CART),
    REMOVE_FROM_CART("remove_from_cart", InputTopic.CART),
    VIEW_CART("view_cart", InputTopic.CART),
    BEGIN_CHECKOUT("begin_checkout", InputTopic.CART),
    PURCHASE("purchase", InputTopic.CART),
    /** GA4's wish-list event: interest in a product, stronger than a view. */
    ADD_TO_WISHLIST("add_to_wishlist", InputTopic.BROWSE);

    /** Which raw input topic carries an event type. */
    public enum InputTopic { BROWSE, CART }

    public final String wireName;
    public final InputTopic inputTopic;

    EventType(String wireName, InputTopic inputTopic) {
        this.wireName = wireName;
        this.inputTopic = inputTopic;
    }

    /** The type for a wire name, or null when the name is not part of the contract. */
    public static EventType fromWireName(String name) {
        switch (name) {
            case "view_item": return VIEW_ITEM;
            case "view_item_list": return VIEW_ITEM_LIST;
            case "search": return SEARCH;
            case "add_to_cart": return ADD_TO_CART;
            case "remove_from_cart": return REMOVE_FROM_CART;
            case "view_cart": return VIEW_CART;
            case "begin_checkout": return BEGIN_CHECKOUT;
            case "purchase": return PURCHASE;
            case "add_to_wishlist": return ADD_TO_WISHLIST;
            default: return null;
        }
    }
}
