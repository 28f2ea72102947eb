package dev.rtpe.replay;

import java.nio.charset.StandardCharsets;

import dev.rtpe.common.EventLimits;
import dev.rtpe.common.Rejection;
import dev.rtpe.common.ShopperEvent;
import dev.rtpe.common.ShopperEventReader;

/**
 * The engine's own input contract, one JSON message per line: what {@code scripts/simulate.sh
 * --out-file} writes, or an export of your own storefront's events. Lines are checked by ingest's
 * rules; a rejected line is malformed, with ingest's reason.
 */
public final class JsonLinesFormat implements DatasetFormat {
    public static final String NAME = "jsonl";
    private final ShopperEventReader reader = new ShopperEventReader(EventLimits.defaults());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isHeader(String line) {
        return false;
    }

    @Override
    public ShopperEvent parse(String line, long lineNumber) throws MalformedRow {
        try {
            ShopperEvent e = reader.read(line.getBytes(StandardCharsets.UTF_8), null);
            e.customerKey = null; // ingest sets it again
            return e;
        } catch (Rejection r) {
            throw new MalformedRow(r.reason().wireName, r.field() + ": " + r.detail());
        }
    }
}
