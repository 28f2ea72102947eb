package dev.rtpe.metrics;

import java.util.ArrayList;
import java.util.List;

import dev.rtpe.common.Channel;
import dev.rtpe.common.CompactState;
import dev.rtpe.common.CompactValueState;

/**
 * What the metrics job remembers per customer: the recent sessions (for sessions started and
 * bounces) and the customer's first order (for repeat orders).
 */
final class FunnelState {
    static final long NONE = Long.MIN_VALUE;

    /** One session of the customer, until it has been quiet for the session timeout. */
    static final class Session {
        String id;
        long firstAt;
        long lastAt;
        /** Channel of the first event. */
        Channel channel;
        /** No other event of the session within the bounce window after the first. */
        boolean bounce;
        /** The start and bounce have been reported (the bounce window has passed). */
        boolean decided;
    }

    final List<Session> sessions = new ArrayList<>(2);
    /** When the next sweep of quiet sessions is due; NONE when none is scheduled. */
    long sweepAt = NONE;

    /** The customer's earliest order: time and id order orders; channel and categories find its rows again. */
    long firstOrderAt = NONE;
    String firstOrderId;
    Channel firstOrderChannel;
    String[] firstOrderCategories;

    Session session(String id) {
        for (Session s : sessions) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        return null;
    }

    boolean isEmpty() {
        return sessions.isEmpty() && firstOrderAt == NONE;
    }

    static final CompactValueState.Codec<FunnelState> CODEC = new CompactValueState.Codec<>() {
        private static final int VERSION = 1;
        private final Channel[] channels = Channel.values();

        @Override
        public void write(FunnelState f, CompactState.Writer out) {
            out.putByte(VERSION);
            out.putVarInt(f.sessions.size());
            for (Session s : f.sessions) {
                out.putString(s.id).putLong(s.firstAt).putLong(s.lastAt).putByte(s.channel.ordinal())
                        .putBoolean(s.bounce).putBoolean(s.decided);
            }
            out.putLong(f.sweepAt);
            out.putLong(f.firstOrderAt);
            if (f.firstOrderAt != NONE) {
                out.putString(f.firstOrderId).putByte(f.firstOrderChannel.ordinal()).putStrings(f.firstOrderCategories);
            }
        }

        @Override
        public FunnelState read(CompactState.Reader in) {
            in.expectVersion(VERSION, "metrics funnel");
            FunnelState f = new FunnelState();
            int n = in.getVarInt();
            for (int i = 0; i < n; i++) {
                Session s = new Session();
                s.id = in.getString();
                s.firstAt = in.getLong();
                s.lastAt = in.getLong();
                s.channel = channels[in.getByte()];
                s.bounce = in.getBoolean();
                s.decided = in.getBoolean();
                f.sessions.add(s);
            }
            f.sweepAt = in.getLong();
            f.firstOrderAt = in.getLong();
            if (f.firstOrderAt != NONE) {
                f.firstOrderId = in.getString();
                f.firstOrderChannel = channels[in.getByte()];
                f.firstOrderCategories = in.getStrings();
            }
            return f;
        }
    };
}
