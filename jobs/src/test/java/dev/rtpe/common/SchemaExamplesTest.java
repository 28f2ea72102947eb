package dev.rtpe.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rtpe.testing.Contracts;
import dev.rtpe.testing.Examples;
import dev.rtpe.testing.Examples.Example;

/** Every example next to a schema is judged by the schema as its folder says. */
class SchemaExamplesTest {

    static Stream<Example> examples() {
        return Examples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleIsJudgedAsItsFolderSays(Example example) {
        List<String> violations = Contracts.violations(example.topic(), example.bytes());
        if (example.valid()) {
            assertTrue(violations.isEmpty(), example + " should be valid but: " + violations);
        } else {
            assertFalse(violations.isEmpty(), example + " should be invalid but the schema accepts it");
        }
    }

    @Test
    void everyTopicHasValidAndInvalidExamples() {
        List<String> topics = Contracts.topics();
        assertTrue(topics.containsAll(List.of("browse-events", "cart-events", "shopper-events", "recommendations",
                "product-recommendations", "cart-abandonment-triggers", "conversion-metrics", "dead-letter")), topics.toString());
        for (String topic : topics) {
            List<Example> examples = Examples.of(topic);
            assertTrue(examples.stream().anyMatch(Example::valid), topic + " has no valid example");
            assertTrue(examples.stream().anyMatch(e -> !e.valid()), topic + " has no invalid example");
        }
    }
}
