package dev.rtpe.replay;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import dev.rtpe.common.EventType;
import dev.rtpe.common.ShopperEvent;

/**
 * CIKM Cup 2016 DIGINETICA {@code train-item-views.csv}: {@code sessionId;userId;itemId;timeframe;eventdate},
 * product views only. The time is the event date (UTC midnight) plus {@code timeframe} milliseconds.
 */
public final class DigineticaFormat implements DatasetFormat {
    public static final String NAME = "diginetica";
    /** How the file writes "no user". */
    private static final String NO_USER = "NA";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isHeader(String line) {
        return line.startsWith("sessionId;");
    }

    @Override
    public ShopperEvent parse(String line, long lineNumber) throws MalformedRow {
        String[] c = Rows.split(line, ";", 5);
        long time = time(c[4], c[3]);
        String sessionId = Rows.required(c[0], "sessionId");
        String itemId = Rows.required(c[2], "itemId");
        String userId = user(c[1]);
        // Without a user, the session is all we know of the shopper: one session, one anonymous shopper.
        String anonymousId = userId == null ? "session-" + sessionId : null;
        ShopperEvent e = Rows.event(NAME, lineNumber, EventType.VIEW_ITEM, time, userId, anonymousId, sessionId);
        Rows.product(e, itemId, null, null, Double.NaN, null);
        return e;
    }

    private static String user(String value) {
        return value.isEmpty() || value.equals(NO_USER) ? null : value;
    }

    private static long time(String date, String timeframe) throws MalformedRow {
        long midnight;
        try {
            midnight = LocalDate.parse(date).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw Rows.badTime("eventdate", date);
        }
        return Rows.positiveTime(midnight + offset(timeframe), "eventdate", date);
    }

    /** Milliseconds after the date's midnight; 0 is a valid offset, so only negatives are bad. */
    private static long offset(String timeframe) throws MalformedRow {
        try {
            long millis = Long.parseLong(Rows.required(timeframe, "timeframe"));
            if (millis < 0) {
                throw Rows.badTime("timeframe", timeframe);
            }
            return millis;
        } catch (NumberFormatException e) {
            throw Rows.badTime("timeframe", timeframe);
        }
    }
}
