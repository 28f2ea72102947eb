package dev.rtpe.common;

/**
 * Why a record went to {@code dead-letter}. The wire name is the machine-readable {@code reason};
 * the README lists them all. Add new reasons at the end and never rename one: consumers route on them.
 */
public enum RejectReason {
    EMPTY_PAYLOAD("empty_payload"),
    PAYLOAD_TOO_LARGE("payload_too_large"),
    INVALID_UTF8("invalid_utf8"),
    MALFORMED_JSON("malformed_json"),
    NOT_A_JSON_OBJECT("not_a_json_object"),
    DUPLICATE_FIELD("duplicate_field"),
    JSON_LIMITS_EXCEEDED("json_limits_exceeded"),
    MISSING_FIELD("missing_field"),
    WRONG_TYPE("wrong_type"),
    UNSUPPORTED_SCHEMA_VERSION("unsupported_schema_version"),
    UNKNOWN_EVENT_TYPE("unknown_event_type"),
    EVENT_TYPE_NOT_ALLOWED_ON_TOPIC("event_type_not_allowed_on_topic"),
    INVALID_EVENT_TIME("invalid_event_time"),
    EVENT_TIME_OUT_OF_RANGE("event_time_out_of_range"),
    MISSING_IDENTITY("missing_identity"),
    INVALID_IDENTIFIER("invalid_identifier"),
    INVALID_TEXT("invalid_text"),
    INVALID_CHANNEL("invalid_channel"),
    INVALID_PRICE("invalid_price"),
    INVALID_QUANTITY("invalid_quantity"),
    INVALID_CURRENCY("invalid_currency"),
    INVALID_VALUE("invalid_value"),
    INVALID_ITEMS("invalid_items"),
    INVALID_TIME_ZONE("invalid_time_zone");

    public final String wireName;

    RejectReason(String wireName) {
        this.wireName = wireName;
    }
}
