package dev.rtpe.common;

/**
 * A record breaks the contract. Thrown only on the reject path, so it carries no stack trace:
 * bad input is data, not a bug.
 */
public final class Rejection extends Exception {
    private final RejectReason reason;
    private final String field;
    private String eventId;

    public Rejection(RejectReason reason, String field, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The offending field as a path such as {@code items[2].price}, or null for the whole record. */
    public String field() {
        return field;
    }

    public String detail() {
        return getMessage();
    }

    /** The record's event_id when it could be read before the problem was found. */
    public String eventId() {
        return eventId;
    }

    Rejection withEventId(String id) {
        this.eventId = id;
        return this;
    }

    @Override
    public String toString() {
        return reason.wireName + (field != null ? " (" + field + ")" : "") + ": " + getMessage();
    }
}
