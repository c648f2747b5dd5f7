package org.streamingmlp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The learning core ({@code nn}, {@code optim}, {@code learner}) imports nothing from the service frameworks. */
class PackageDependencyTest {
    private static final List<String> FORBIDDEN = List.of("io.quarkus", "org.apache.kafka", "io.smallrye", "jakarta.",
            "javax.inject", "org.eclipse.microprofile", "org.streamingmlp.stream", "org.streamingmlp.api",
            "org.streamingmlp.config");

    @ParameterizedTest
    @ValueSource(strings = {"nn", "optim", "learner"})
    void coreImportsNoFrameworks(String pkg) throws IOException {
        Path dir = Paths.get("src/main/java/org/streamingmlp", pkg);
        assertTrue(Files.isDirectory(dir), dir + " exists");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String t = line.trim();
                    if (t.startsWith("import ") && FORBIDDEN.stream().anyMatch(f -> t.contains(" " + f)
                            || t.contains("static " + f))) {
                        violations.add(file.getFileName() + ": " + t);
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), "forbidden imports: " + violations);
    }
}
