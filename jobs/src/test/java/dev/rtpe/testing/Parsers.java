package dev.rtpe.testing;

import java.util.Map;

import dev.rtpe.common.EventLimits;
import dev.rtpe.common.EventType;
import dev.rtpe.common.RecordParser;
import dev.rtpe.common.ShopperEventReader;

/** The parser ingest uses, for the default topic names. */
public final class Parsers {
    private Parsers() {}

    public static RecordParser ingest(ShopperEventReader.Clock clock) {
        return RecordParser.forInputTopics("ingest",
                Map.of("browse-events", EventType.InputTopic.BROWSE, "cart-events", EventType.InputTopic.CART),
                EventLimits.defaults(), clock);
    }

    public static RecordParser ingest() {
        return ingest(System::currentTimeMillis);
    }
}
