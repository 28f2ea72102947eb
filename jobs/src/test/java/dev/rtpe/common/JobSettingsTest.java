package dev.rtpe.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class JobSettingsTest {

    @Test
    void sinkProducersTakeTheLingerAndBatchSizeFlags() {
        Properties p = JobSettings.from(Flags.parse("--producer-linger", "50ms", "--producer-batch-size", "262144"))
                .producerProperties();

        assertThat(p.getProperty("linger.ms")).isEqualTo("50");
        assertThat(p.getProperty("batch.size")).isEqualTo("262144");
        assertThat(p.getProperty("acks")).isEqualTo("all");
    }

    @Test
    void withoutFlagsSinkProducersKeepTheLowLatencyDefaults() {
        JobSettings settings = JobSettings.from(Flags.parse());

        assertThat(settings.producerLinger).isEqualTo(Duration.ofMillis(5));
        assertThat(settings.producerProperties().getProperty("batch.size")).isEqualTo("16384");
    }

    @Test
    void aBatchSizeThatIsNotPositiveIsRefusedByName() {
        assertThatThrownBy(() -> JobSettings.from(Flags.parse("--producer-batch-size", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--producer-batch-size");
    }
}
