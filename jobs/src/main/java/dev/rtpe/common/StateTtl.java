package dev.rtpe.common;

import java.time.Duration;

import org.apache.flink.api.common.state.StateTtlConfig;

/** The engine's state expiry: processing-time TTL refreshed on every write, cleaned up by RocksDB compaction. */
public final class StateTtl {
    private StateTtl() {}

    public static StateTtlConfig refreshedOnWrite(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
