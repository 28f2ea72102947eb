package dev.rtpe.common;

import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * A keyed process operator for functions that keep their state in {@link WriteBackCache}s: it lets
 * the caches switch keys to write back, writes back a little after each record, and flushes them
 * before every checkpoint barrier.
 */
public class CachingKeyedProcessOperator<K, IN, OUT> extends KeyedProcessOperator<K, IN, OUT> {
    private static final long serialVersionUID = 1L;

    /** A function whose keyed state lives in write-back caches. */
    public interface CachedFunction {
        Iterable<WriteBackCache<?>> writeBackCaches();
    }

    public <F extends KeyedProcessFunction<K, IN, OUT> & CachedFunction> CachingKeyedProcessOperator(F function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        int i = 0;
        for (WriteBackCache<?> cache : ((CachedFunction) userFunction).writeBackCaches()) {
            cache.bind(this);
            cache.registerMetrics(getMetricGroup(), String.valueOf(i++));
        }
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        super.processElement(element);
        for (WriteBackCache<?> cache : ((CachedFunction) userFunction).writeBackCaches()) {
            cache.writeBehind();
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        for (WriteBackCache<?> cache : ((CachedFunction) userFunction).writeBackCaches()) {
            cache.flush();
        }
        super.prepareSnapshotPreBarrier(checkpointId);
    }
}
