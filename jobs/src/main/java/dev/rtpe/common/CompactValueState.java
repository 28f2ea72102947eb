package dev.rtpe.common;

import java.io.IOException;
import java.time.Duration;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;

/**
 * A keyed value kept as {@link CompactState} bytes: Flink copies the bytes in and out of RocksDB,
 * and the codec does the rest in one pass.
 */
public final class CompactValueState<T> {
    /** How a value becomes bytes and back. */
    public interface Codec<T> {
        void write(T value, CompactState.Writer out);

        T read(CompactState.Reader in);
    }

    private final ValueState<byte[]> state;
    private final Codec<T> codec;
    private final CompactState.Writer writer = new CompactState.Writer();

    private CompactValueState(ValueState<byte[]> state, Codec<T> codec) {
        this.state = state;
        this.codec = codec;
    }

    /** A value per key that expires {@code ttl} after its last write. */
    public static <T> CompactValueState<T> of(RuntimeContext ctx, String name, Duration ttl, Codec<T> codec) {
        ValueStateDescriptor<byte[]> d = new ValueStateDescriptor<>(name, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        d.enableTimeToLive(StateTtl.refreshedOnWrite(ttl));
        return new CompactValueState<>(ctx.getState(d), codec);
    }

    /** The current key's value, or null. */
    public T value() throws IOException {
        byte[] bytes = state.value();
        return bytes == null ? null : codec.read(new CompactState.Reader(bytes));
    }

    public void update(T value) throws IOException {
        codec.write(value, writer.reset());
        state.update(writer.toBytes());
    }

    public void clear() {
        state.clear();
    }
}
