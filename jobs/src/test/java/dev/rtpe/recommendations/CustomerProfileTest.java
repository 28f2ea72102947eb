package dev.rtpe.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.rtpe.common.CompactState;

/** The profile's stored form: what a restore from an older savepoint reads. */
class CustomerProfileTest {
    private static final long HOUR = 3_600_000L;

    private static CustomerProfile roundTrip(CustomerProfile p) {
        CompactState.Writer w = new CompactState.Writer();
        CustomerProfile.CODEC.write(p, w);
        return CustomerProfile.CODEC.read(new CompactState.Reader(w.toBytes()));
    }

    @Test
    void theShoppersOwnProductsSurviveARoundTrip() {
        CustomerProfile p = new CustomerProfile();
        p.ownProducts.add("A", "shoes", 3, 10, HOUR, 20);
        p.ownProducts.add("B", null, 1, 20, HOUR, 20);
        p.recentlyViewed = new String[] {"B", "A"};
        p.recentlyViewedCategories = new String[] {null, "shoes"};
        CustomerProfile read = roundTrip(p);
        assertThat(read.ownProducts.topKeys(5)).containsExactly("A", "B");
        assertThat(read.ownProducts.labels).containsExactly("shoes", null);
        assertThat(read.recentlyViewed).containsExactly("B", "A");
    }

    @Test
    void aFormatOneProfileIsReadWithNoOwnProducts() {
        // Format 1, as the previous version wrote it: everything up to the previous product.
        CompactState.Writer w = new CompactState.Writer();
        w.putByte(1).putLong(7).putLong(42).putVarInt(0);
        new DecayingTopK().write(w);
        new DecayingTopK().write(w);
        new DecayingTopK().write(w);
        w.putStrings(new String[] {"V"}).putStrings(new String[] {"shoes"}).putStrings(new String[] {"C"})
                .putStrings(new String[0]).putStrings(new String[0]).putBoolean(true).putStrings(new String[] {"L"});
        w.putString("V");
        CustomerProfile old = CustomerProfile.CODEC.read(new CompactState.Reader(w.toBytes()));
        assertThat(old.lastSeq).isEqualTo(42);
        assertThat(old.recentlyViewed).containsExactly("V");
        assertThat(old.cart).containsExactly("C");
        assertThat(old.lastList).containsExactly("L");
        assertThat(old.previousProduct).isEqualTo("V");
        assertThat(old.ownProducts.isEmpty()).isTrue();
    }
}
