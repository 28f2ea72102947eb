package dev.rtpe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The example messages next to each schema: {@code schemas/examples/<topic>/{valid,invalid}/*.json}. */
public final class Examples {
    private Examples() {}

    /** One example file. For input topics, an invalid example's name starts with the expected reason: {@code <reason>--<what>.json}. */
    public record Example(String topic, boolean valid, Path file) {
        public byte[] bytes() {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String name() {
            String n = file.getFileName().toString();
            return n.substring(0, n.length() - ".json".length());
        }

        public String expectedReason() {
            int sep = name().indexOf("--");
            return sep < 0 ? null : name().substring(0, sep);
        }

        @Override
        public String toString() {
            return topic + "/" + (valid ? "valid" : "invalid") + "/" + name();
        }
    }

    public static List<Example> of(String topic) {
        return Stream.concat(list(topic, true), list(topic, false)).collect(Collectors.toList());
    }

    public static List<Example> all() {
        return Contracts.topics().stream().flatMap(t -> of(t).stream()).collect(Collectors.toList());
    }

    private static Stream<Example> list(String topic, boolean valid) {
        Path dir = Contracts.schemasDir().resolve("examples").resolve(topic).resolve(valid ? "valid" : "invalid");
        if (!Files.isDirectory(dir)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted()
                    .map(p -> new Example(topic, valid, p)).collect(Collectors.toList()).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
