package dev.rtpe.abandonment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The id of a trigger: the same customer, cart and stage always give the same 32 hex digits, so a
 * messaging service can drop a trigger it has already acted on, even after a replay.
 */
final class TriggerIds {
    private TriggerIds() {}

    /** @param cartStartedAt event time of the add that started the cart */
    static String of(String customerId, long cartStartedAt, int stage) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((customerId + "\n" + cartStartedAt + "\n" + stage).getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(32);
            for (int i = 0; i < 16; i++) {
                hex.append(Character.forDigit((hash[i] >> 4) & 0xF, 16)).append(Character.forDigit(hash[i] & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
