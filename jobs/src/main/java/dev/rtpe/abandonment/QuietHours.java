package dev.rtpe.abandonment;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Hours of the shopper's local day when no message may go out, such as 21:00-09:00. A trigger that
 * comes due in them waits for their end; it is never dropped.
 */
public final class QuietHours implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LocalTime start;
    private final LocalTime end;

    QuietHours(LocalTime start, LocalTime end) {
        if (start.equals(end)) {
            throw new IllegalArgumentException("quiet hours must not start and end at the same time");
        }
        this.start = start;
        this.end = end;
    }

    /** "21:00-09:00". */
    public static QuietHours parse(String spec) {
        String[] parts = spec.trim().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--quiet-hours must look like 21:00-09:00, got '" + spec + "'");
        }
        return new QuietHours(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()));
    }

    /** When a message due at {@code due} may go out in {@code zone}: {@code due} itself, or the end of the quiet hours. */
    public long releaseTime(long due, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(due).atZone(zone);
        LocalTime local = t.toLocalTime();
        boolean quiet = start.isBefore(end)
                ? !local.isBefore(start) && local.isBefore(end)
                : !local.isBefore(start) || local.isBefore(end);
        if (!quiet) {
            return due;
        }
        ZonedDateTime release = t.with(end).withSecond(0).withNano(0);
        if (!release.isAfter(t)) {
            release = release.plusDays(1);
        }
        return release.toInstant().toEpochMilli();
    }
}
