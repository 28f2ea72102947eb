package dev.rtpe.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;

import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.TimeUtils;

/**
 * Command-line flags ({@code --name value}) over an optional properties file ({@code --config file}),
 * with typed getters. A flag nobody asked for is an error, so a typo never silently runs defaults.
 */
public final class Flags {
    private final ParameterTool params;
    private final Set<String> known = new TreeSet<>();

    private Flags(ParameterTool params) {
        this.params = params;
        known.add("config");
    }

    public static Flags parse(String... args) {
        ParameterTool cli = ParameterTool.fromArgs(args);
        if (!cli.has("config")) {
            return new Flags(cli);
        }
        try {
            return new Flags(ParameterTool.fromPropertiesFile(cli.get("config")).mergeWith(cli));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read --config " + cli.get("config"), e);
        }
    }

    public String string(String name, String defaultValue) {
        known.add(name);
        String v = params.get(name);
        return v == null ? defaultValue : v;
    }

    public int integer(String name, int defaultValue) {
        String v = string(name, null);
        try {
            return v == null ? defaultValue : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, v, "a whole number");
        }
    }

    public double decimal(String name, double defaultValue) {
        String v = string(name, null);
        try {
            return v == null ? defaultValue : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw invalid(name, v, "a number");
        }
    }

    public boolean bool(String name, boolean defaultValue) {
        String v = string(name, null);
        if (v == null) {
            return defaultValue;
        }
        switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default: throw invalid(name, v, "true or false");
        }
    }

    /** A switch such as {@code --small-catalog}: on when given alone or as true, off when absent or false. */
    public boolean switchOn(String name) {
        String v = string(name, null);
        return v != null && (v.equals(NO_VALUE) || bool(name, false));
    }

    /** What ParameterTool holds for a flag given without a value. */
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    public Duration duration(String name, Duration defaultValue) {
        String v = string(name, null);
        try {
            return v == null ? defaultValue : TimeUtils.parseDuration(v);
        } catch (IllegalArgumentException e) {
            throw invalid(name, v, "a duration such as 500ms, 10s, 30min, 24h");
        }
    }

    public Instant instant(String name, Instant defaultValue) {
        String v = string(name, null);
        try {
            return v == null ? defaultValue : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw invalid(name, v, "a UTC time such as 2000-01-01T00:00:00Z");
        }
    }

    /** Call after reading every flag: fails on any flag that no getter asked for. */
    public void rejectUnknown() {
        Set<String> unknown = new TreeSet<>(params.toMap().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown flag(s): --" + String.join(", --", unknown)
                    + ". Known flags: --" + String.join(", --", known));
        }
    }

    private static IllegalArgumentException invalid(String name, String value, String expected) {
        return new IllegalArgumentException("--" + name + " must be " + expected + ", got '" + value + "'");
    }
}
