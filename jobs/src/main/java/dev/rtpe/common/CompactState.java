package dev.rtpe.common;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small binary format for the hot per-key state, kept in RocksDB as {@code byte[]}.
 *
 * <p>Why not Flink's POJO serializer: it writes strings a character at a time through a
 * synchronized stream, and reads them back the same way. In the recommendations job that was a
 * quarter of all CPU (measured with JFR; see the README's benchmark section). Here a string is its
 * length and its UTF-8 bytes, copied in one go. The first byte of every value is a format version,
 * so a later change of layout can still read the old one.
 */
public final class CompactState {
    private CompactState() {}

    /** Appends to a growing buffer, reused between values. */
    public static final class Writer {
        private byte[] buf = new byte[1024];
        private int pos;

        public Writer reset() {
            pos = 0;
            return this;
        }

        public byte[] toBytes() {
            return Arrays.copyOf(buf, pos);
        }

        private void room(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        public Writer putByte(int b) {
            room(1);
            buf[pos++] = (byte) b;
            return this;
        }

        /** Unsigned varint: small counts and lengths take one byte. */
        public Writer putVarInt(int v) {
            room(5);
            while ((v & ~0x7F) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
            return this;
        }

        public Writer putLong(long v) {
            room(8);
            for (int i = 7; i >= 0; i--) {
                buf[pos++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        public Writer putDouble(double v) {
            return putLong(Double.doubleToRawLongBits(v));
        }

        public Writer putBoolean(boolean v) {
            return putByte(v ? 1 : 0);
        }

        /** Null-safe: length + 1, then the UTF-8 bytes (0 means null). */
        public Writer putString(String s) {
            if (s == null) {
                return putVarInt(0);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            putVarInt(b.length + 1);
            room(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        /** Length, then the bytes (a serialized sketch, for example). */
        public Writer putBytes(byte[] b) {
            putVarInt(b.length);
            room(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        public Writer putStrings(String[] a) {
            putVarInt(a.length);
            for (String s : a) {
                putString(s);
            }
            return this;
        }

        public Writer putDoubles(double[] a) {
            putVarInt(a.length);
            for (double d : a) {
                putDouble(d);
            }
            return this;
        }

        public Writer putLongs(long[] a) {
            putVarInt(a.length);
            for (long l : a) {
                putLong(l);
            }
            return this;
        }

        public Writer putBooleans(boolean[] a) {
            putVarInt(a.length);
            for (boolean b : a) {
                putBoolean(b);
            }
            return this;
        }
    }

    /** Reads what a {@link Writer} wrote, in the same order. */
    public static final class Reader {
        private final byte[] buf;
        private int pos;

        public Reader(byte[] buf) {
            this.buf = buf;
        }

        public int getByte() {
            return buf[pos++];
        }

        /** Bytes not read yet: 0 once a value has been read whole. */
        public int remaining() {
            return buf.length - pos;
        }

        public int getVarInt() {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = buf[pos++];
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
        }

        public long getLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (buf[pos++] & 0xFF);
            }
            return v;
        }

        public double getDouble() {
            return Double.longBitsToDouble(getLong());
        }

        public boolean getBoolean() {
            return buf[pos++] != 0;
        }

        public String getString() {
            int n = getVarInt() - 1;
            if (n < 0) {
                return null;
            }
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        public byte[] getBytes() {
            int n = getVarInt();
            byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        public String[] getStrings() {
            String[] a = new String[getVarInt()];
            for (int i = 0; i < a.length; i++) {
                a[i] = getString();
            }
            return a;
        }

        public double[] getDoubles() {
            double[] a = new double[getVarInt()];
            for (int i = 0; i < a.length; i++) {
                a[i] = getDouble();
            }
            return a;
        }

        public long[] getLongs() {
            long[] a = new long[getVarInt()];
            for (int i = 0; i < a.length; i++) {
                a[i] = getLong();
            }
            return a;
        }

        public boolean[] getBooleans() {
            boolean[] a = new boolean[getVarInt()];
            for (int i = 0; i < a.length; i++) {
                a[i] = getBoolean();
            }
            return a;
        }

        /** Fails plainly on a format this code does not know (state written by a newer version). */
        public void expectVersion(int supported, String what) {
            int v = getByte();
            if (v != supported) {
                throw new IllegalStateException(what + " state has format " + v + "; this version reads " + supported);
            }
        }

        /**
         * The format of a value whose layout changed: this code reads {@code oldest} to {@code newest},
         * so state from before the change still restores. Fails plainly on any other.
         */
        public int version(int oldest, int newest, String what) {
            int v = getByte();
            if (v < oldest || v > newest) {
                throw new IllegalStateException(what + " state has format " + v + "; this version reads " + oldest + " to " + newest);
            }
            return v;
        }
    }
}
