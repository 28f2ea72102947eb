package dev.rtpe.common;

/** Where the shopper acted. A closed list, so per-channel metrics stay bounded. Append new values at the end (state stores the ordinal). */
public enum Channel {
    WEB("web"),
    MOBILE_WEB("mobile_web"),
    APP("app"),
    POS("pos"),
    OTHER("other");

    public final String wireName;

    Channel(String wireName) {
        this.wireName = wireName;
    }

    /** The channel for a wire name, or null when the name is not part of the contract. */
    public static Channel fromWireName(String name) {
        switch (name) {
            case "web": return WEB;
            case "mobile_web": return MOBILE_WEB;
            case "app": return APP;
            case "pos": return POS;
            case "other": return OTHER;
            default: return null;
        }
    }
}
