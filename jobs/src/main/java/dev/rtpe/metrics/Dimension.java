package dev.rtpe.metrics;

/** How traffic is grouped. Append new values at the end: state stores the ordinal. */
public enum Dimension {
    ALL("all"),
    CHANNEL("channel"),
    /** The top-level product category: the part of the category path before the first dot. */
    CATEGORY("category");

    public final String wireName;

    Dimension(String wireName) {
        this.wireName = wireName;
    }

    /** The group of everything, whose value is also "all". */
    public static final String ALL_VALUE = "all";

    /** The top-level category of a category path: "electronics" of "electronics.smartphone". */
    public static String topLevelCategory(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }
}
