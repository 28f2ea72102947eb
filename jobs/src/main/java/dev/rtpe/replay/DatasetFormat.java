package dev.rtpe.replay;

import dev.rtpe.common.ShopperEvent;

/**
 * A public e-commerce clickstream's file format: maps one line of the file to an input event.
 * Implementations are stateless, so a line always maps to the same event.
 */
public interface DatasetFormat {
    /** The name used on the command line: rees46, retailrocket, taobao, diginetica. */
    String name();

    /** True for the file's header line, which is skipped. */
    boolean isHeader(String line);

    /** True when an order is spread over rows, one per line, that share its order id (RetailRocket). */
    default boolean ordersSpanRows() {
        return false;
    }

    /**
     * The event a data line stands for. {@code lineNumber} (1-based) makes the event id, so a
     * replay of the same file gives the same ids. Fields the format lacks are left null (for
     * {@code sessionId}: the replay derives sessions from inactivity).
     *
     * @throws MalformedRow when the line cannot be an event; the replay counts it and goes on
     */
    ShopperEvent parse(String line, long lineNumber) throws MalformedRow;

    /** A line that cannot be mapped, with the reason (a short snake_case word) and detail. */
    final class MalformedRow extends Exception {
        private static final long serialVersionUID = 1L;
        public final String reason;

        public MalformedRow(String reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
