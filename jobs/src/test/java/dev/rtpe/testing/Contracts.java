package dev.rtpe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/** The topic contracts in {@code schemas/}, checked with a real JSON Schema (2020-12) validator. */
public final class Contracts {
    public static final String ID_PREFIX = "https://rtpe.dev/schemas/";
    public static final ObjectMapper JSON = new ObjectMapper();

    private static final Path DIR = locateSchemas();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    .schemas(Contracts::readSchemaFile)
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private Contracts() {}

    public static Path schemasDir() {
        return DIR;
    }

    /** Topics with a schema file: {@code <topic>.schema.json}, except the shared definitions. */
    public static List<String> topics() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".schema.json") && !n.equals("common.schema.json"))
                    .map(n -> n.substring(0, n.length() - ".schema.json".length()))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Validation errors of {@code json} against {@code topic}'s schema; empty when it conforms. */
    public static List<String> violations(String topic, byte[] json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        return violations(topic, node);
    }

    public static List<String> violations(String topic, JsonNode node) {
        Schema schema = SCHEMAS.computeIfAbsent(topic,
                t -> REGISTRY.getSchema(SchemaLocation.of(ID_PREFIX + t + ".schema.json")));
        return schema.validate(node).stream().map(Error::toString).collect(Collectors.toList());
    }

    /** Serves {@code https://rtpe.dev/schemas/x.schema.json} from {@code schemas/x.schema.json}; nothing is fetched. */
    private static String readSchemaFile(String iri) {
        if (!iri.startsWith(ID_PREFIX)) {
            return null;
        }
        try {
            return Files.readString(DIR.resolve(iri.substring(ID_PREFIX.length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locateSchemas() {
        String configured = System.getProperty("rtpe.schemas.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "schemas");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("schemas/ not found at " + dir.toAbsolutePath() + "; set -Drtpe.schemas.dir");
        }
        return dir.toAbsolutePath().normalize();
    }
}
