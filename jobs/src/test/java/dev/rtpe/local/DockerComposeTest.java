package dev.rtpe.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.rtpe.common.EngineJob;

/**
 * No Docker engine runs where this project is built, so the compose file is checked statically:
 * the services exist, the images match the versions we build against, the ports and the job jar
 * path are right, and every class it starts exists with a main method.
 */
class DockerComposeTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static JsonNode services;
    private static String composeText;

    @BeforeAll
    static void read() throws Exception {
        Path compose = ROOT.resolve("docker/docker-compose.yml");
        composeText = Files.readString(compose);
        // SnakeYAML resolves the file's anchors (<<: *flink-config); Jackson then gives a tree.
        Object yaml = new org.yaml.snakeyaml.Yaml().load(composeText);
        services = new ObjectMapper().valueToTree(yaml).get("services");
    }

    @Test
    void hasTheClusterKafkaTopicsJobsAndSimulator() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertTrue(names.containsAll(List.of("kafka", "topics", "jobmanager", "taskmanager", "submit-jobs", "simulator")), names.toString());
        assertEquals("jobmanager", services.get("jobmanager").get("command").asText());
        assertEquals("taskmanager", services.get("taskmanager").get("command").asText());
    }

    @Test
    void imagesAreTheOfficialOnesOfTheVersionsWeBuildAgainst() {
        String flink = "flink:" + EnvironmentInformation.getVersion() + "-scala_2.12-java17";
        String kafka = "apache/kafka:" + AppInfoParser.getVersion();
        for (String s : List.of("jobmanager", "taskmanager", "submit-jobs", "simulator")) {
            assertEquals(flink, services.get(s).get("image").asText(), s);
        }
        for (String s : List.of("kafka", "topics")) {
            assertEquals(kafka, services.get(s).get("image").asText(), s);
        }
    }

    @Test
    void theWebUiAndKafkaArePublished() {
        assertTrue(texts(services.get("jobmanager").get("ports")).contains("8081:8081"));
        assertTrue(texts(services.get("kafka").get("ports")).contains("29092:29092"));
        assertTrue(services.get("kafka").get("environment").get("KAFKA_ADVERTISED_LISTENERS").asText().contains("EXTERNAL://localhost:29092"));
        assertEquals("broker,controller", services.get("kafka").get("environment").get("KAFKA_PROCESS_ROLES").asText());
    }

    @Test
    void theJobJarMountedIsTheShadedJarTheBuildMakes() throws Exception {
        String pom = Files.readString(ROOT.resolve("jobs/pom.xml"));
        assertTrue(pom.contains("<finalName>rtpe-jobs</finalName>"), "shade plugin writes jobs/target/rtpe-jobs.jar");
        for (String s : List.of("submit-jobs", "simulator")) {
            List<String> volumes = texts(services.get(s).get("volumes"));
            String mount = volumes.stream().filter(v -> v.contains("rtpe-jobs.jar")).findFirst().orElseThrow();
            Path host = ROOT.resolve("docker").resolve(mount.split(":")[0]).normalize();
            assertEquals(ROOT.resolve("jobs/target/rtpe-jobs.jar"), host, s);
        }
        String topics = texts(services.get("topics").get("volumes")).get(0).split(":")[0];
        assertTrue(Files.exists(ROOT.resolve("docker").resolve(topics).normalize()), topics);
    }

    @Test
    void everyClassItStartsExistsAndEveryEngineJobIsSubmitted() throws Exception {
        Matcher m = Pattern.compile("dev\\.rtpe\\.[\\w.]+").matcher(composeText);
        List<String> classes = new ArrayList<>();
        while (m.find()) {
            classes.add(m.group());
        }
        assertTrue(classes.contains("dev.rtpe.simulator.SimulatorMain"), classes.toString());
        for (String name : classes) {
            Method main = Class.forName(name).getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), name);
        }
        String submit = services.get("submit-jobs").get("command").toString();
        assertTrue(submit.contains("flink run -d -m jobmanager:8081"), submit);
        for (EngineJob job : LocalEngine.jobs("kafka:9092", Path.of("/tmp"), 1, "30min,24h", "true", "arrival")) {
            assertTrue(submit.contains(job.getClass().getName()), job.name() + " is not submitted by docker compose");
        }
    }

    @Test
    void theClusterKeepsStateInRocksDbWithCheckpoints() {
        String flinkProperties = services.get("jobmanager").get("environment").get("FLINK_PROPERTIES").asText();
        for (String setting : Set.of("state.backend.type: rocksdb", "execution.checkpointing.dir:", "jobmanager.rpc.address: jobmanager")) {
            assertTrue(flinkProperties.contains(setting), setting);
        }
    }

    /** The engine's shared cluster settings (scripts/flink-config.yaml, which run-local.sh uses) are Docker's too. */
    @Test
    void theClusterCarriesTheEngineSharedFlinkSettings() throws Exception {
        Map<String, Object> shared = new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("scripts/flink-config.yaml")));
        Map<String, Object> docker = new org.yaml.snakeyaml.Yaml().load(
                services.get("jobmanager").get("environment").get("FLINK_PROPERTIES").asText());
        assertTrue(shared.containsKey("metrics.reporter.prom.factory.class"), "the Prometheus reporter is enabled");
        for (Map.Entry<String, Object> e : shared.entrySet()) {
            assertEquals(String.valueOf(e.getValue()), String.valueOf(docker.get(e.getKey())), e.getKey());
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
