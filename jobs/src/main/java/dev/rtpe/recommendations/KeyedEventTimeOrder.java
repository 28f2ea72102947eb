package dev.rtpe.recommendations;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code --event-order event-time}, after a shuffle: hands each key's records to the stage behind it
 * in event-time order, and for equal times in the order {@code tiebreak} gives, once the watermark
 * has passed them. {@link EventTimeOrder} puts each source instance's events in order, but at
 * parallelism above 1 a key's records come from several upstream instances, and meet in whatever
 * order the network delivers them: a product's neighbours, a category's trending list and so every
 * list would then depend on timing. A late record (at or behind the watermark) goes on at once.
 *
 * <p>A record released here carries its own time and comes before the watermark that released it,
 * so it is never late for the next stage of this kind.
 *
 * <p>State: the held records of each key by event time, in keyed map state, with one event-time
 * timer per key and time; the entry goes when its timer releases it.
 */
final class KeyedEventTimeOrder<T> extends KeyedProcessFunction<String, T, T> {
    private static final long serialVersionUID = 1L;

    /** The order of one key's records of equal event time. */
    interface Tiebreak<T> extends Comparator<T>, Serializable {}

    private final Tiebreak<T> tiebreak;
    private final TypeInformation<T> type;
    private transient MapState<Long, List<T>> held;

    KeyedEventTimeOrder(Tiebreak<T> tiebreak, TypeInformation<T> type) {
        this.tiebreak = tiebreak;
        this.type = type;
    }

    /**
     * Orders {@code records} per key; the result is keyed the same way without a second shuffle, so
     * the caller's keyed stage chains right behind.
     */
    static <T> KeyedStream<T, String> apply(KeyedStream<T, String> records, KeySelector<T, String> key, Tiebreak<T> tiebreak,
                                            String name, String uid) {
        TypeInformation<T> type = records.getType();
        SingleOutputStreamOperator<T> ordered = records.process(new KeyedEventTimeOrder<>(tiebreak, type), type).name(name).uid(uid);
        return DataStreamUtils.reinterpretAsKeyedStream(ordered, key, Types.STRING);
    }

    static <T> MapStateDescriptor<Long, List<T>> heldRecords(TypeInformation<T> type) {
        return new MapStateDescriptor<>("held-by-time", Types.LONG, Types.LIST(type));
    }

    @Override
    public void open(OpenContext openContext) {
        held = getRuntimeContext().getMapState(heldRecords(type));
    }

    @Override
    public void processElement(T record, Context ctx, Collector<T> out) throws Exception {
        Long time = ctx.timestamp();
        if (time == null || time <= ctx.timerService().currentWatermark()) {
            out.collect(record);
            return;
        }
        List<T> atTime = held.get(time);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(time);
        }
        atTime.add(record);
        held.put(time, atTime);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<T> out) throws Exception {
        List<T> atTime = held.get(time);
        if (atTime == null) {
            return;
        }
        held.remove(time);
        atTime.sort(tiebreak);
        for (T record : atTime) {
            out.collect(record);
        }
    }
}
