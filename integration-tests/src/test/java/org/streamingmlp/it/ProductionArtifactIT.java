package org.streamingmlp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The packaged application ({@code target/quarkus-app}, what the container image copies) holds no dev-only or
 * test-only code: neither the embedded broker's classes (src/dev/java, package {@code org.streamingmlp.broker}) nor
 * Apache Kafka's server jars ({@code kafka_2.13}, Scala). The broker classes are compiled into target/classes for dev
 * mode and the tests, so a class added to src/dev/java without being listed in
 * {@code quarkus.package.jar.user-configured-ignored-entries} fails here. (The plain {@code target/*.jar}, which
 * Failsafe puts on this test's classpath, keeps them: the integration tests start brokers with them.)
 */
class ProductionArtifactIT {

    private static final Path TARGET = Path.of("target");
    private static final Path APP = TARGET.resolve("quarkus-app");
    private static final String DEV_PACKAGE = "org/streamingmlp/broker";
    /** A Kafka broker class: whichever jar carries it is a broker jar, whatever its name. */
    private static final String BROKER_CLASS = "kafka/server/KafkaRaftServer.class";

    @Test
    void theDevOnlyBrokerClassesExistButAreNotPackaged() throws IOException {
        assertTrue(Files.isRegularFile(APP.resolve("quarkus-run.jar")), "no packaged application in " + APP);
        Path launcher = TARGET.resolve("classes").resolve(DEV_PACKAGE).resolve("LocalBrokerLauncher.class");
        assertTrue(Files.isRegularFile(launcher),
                "the dev-only classes should be compiled into target/classes (dev mode and the tests use them)");

        List<String> found = new ArrayList<>();
        for (Path file : files(APP)) {
            String relative = APP.relativize(file).toString().replace('\\', '/');
            if (relative.contains(DEV_PACKAGE)) {
                found.add(relative);
            }
            if (relative.endsWith(".jar")) {
                found.addAll(devEntries(file, relative));
            }
        }
        assertEquals(List.of(), found, "dev-only classes in the packaged application; list each class of src/dev/java "
                + "in quarkus.package.jar.user-configured-ignored-entries (application.properties)");
    }

    @Test
    void noKafkaServerOrScalaJarIsPackaged() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files(APP)) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".jar")) {
                continue;
            }
            if (name.contains("kafka_2.13") || name.contains("scala-library") || name.contains("scala-reflect")) {
                found.add(APP.relativize(file).toString());
                continue;
            }
            try (ZipFile zip = new ZipFile(file.toFile())) {
                if (zip.getEntry(BROKER_CLASS) != null || zip.getEntry("scala/Predef.class") != null) {
                    found.add(APP.relativize(file).toString());
                }
            }
        }
        assertEquals(List.of(), found, "Kafka server or Scala jars in the packaged application");
        assertTrue(Files.isDirectory(APP.resolve("lib")), "no lib/ in " + APP);
    }

    /**
     * MOA (GPL-3.0) is the evaluation tool's peer only (Maven profile {@code eval}, test scope): no MOA or Weka jar
     * or class may reach the service's artifact, whichever profiles built it.
     */
    @Test
    void noMoaOrWekaIsPackaged() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files(APP)) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".jar")) {
                continue;
            }
            if (name.startsWith("moa-") || name.startsWith("weka")) {
                found.add(APP.relativize(file).toString());
                continue;
            }
            try (ZipFile zip = new ZipFile(file.toFile())) {
                if (zip.getEntry("moa/classifiers/Classifier.class") != null
                        || zip.getEntry("weka/core/Instances.class") != null
                        || zip.getEntry("org/streamingmlp/eval/") != null) {
                    found.add(APP.relativize(file).toString());
                }
            }
        }
        assertEquals(List.of(), found, "MOA, Weka or the evaluation tool in the packaged application");
        assertTrue(Files.isDirectory(APP.resolve("lib")), "no lib/ in " + APP);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    private static List<String> devEntries(Path jar, String label) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith(DEV_PACKAGE))
                    .map(n -> label + "!/" + n).toList();
        }
    }
}
