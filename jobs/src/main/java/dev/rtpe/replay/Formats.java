package dev.rtpe.replay;

import java.util.List;

/** The dataset formats by their command-line names. */
public final class Formats {
    /** Every known format name. */
    public static final List<String> NAMES =
            List.of(Rees46Format.NAME, RetailRocketFormat.NAME, TaobaoFormat.NAME, DigineticaFormat.NAME, JsonLinesFormat.NAME);

    private Formats() {}

    /** The format called {@code name}; formats are stateless, so a new one each call is fine. */
    public static DatasetFormat byName(String name) {
        switch (name == null ? "" : name) {
            case Rees46Format.NAME: return new Rees46Format();
            case RetailRocketFormat.NAME: return new RetailRocketFormat();
            case TaobaoFormat.NAME: return new TaobaoFormat();
            case DigineticaFormat.NAME: return new DigineticaFormat();
            case JsonLinesFormat.NAME: return new JsonLinesFormat();
            default: throw new IllegalArgumentException(
                    "unknown dataset format '" + name + "'; known formats: " + String.join(", ", NAMES));
        }
    }
}
