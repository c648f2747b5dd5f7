package org.streamingmlp.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Kubernetes objects an overlay of k8s/ renders to, with {@code kubectl kustomize} (or a standalone
 * {@code kustomize build}), as plain YAML trees.
 * <p>
 * A machine with only a JDK has neither: the tests that need them are then skipped, with the reason in the report,
 * unless the environment variable {@value #REQUIRED} is 1 ({@code .ci/run} installs the tool and sets it), which
 * makes a missing tool a failure.
 */
final class Manifests {

    static final String REQUIRED = "MANIFEST_TOOLS_REQUIRED";
    static final Path REPOSITORY = Path.of("").toAbsolutePath();
    static final Path OVERLAYS = REPOSITORY.resolve("k8s/overlays");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();
    private static final AtomicBoolean SKIP_REPORTED = new AtomicBoolean();

    private Manifests() {
    }

    /** The overlays: every directory of k8s/overlays. */
    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** The objects of an overlay, rendered once per test run. */
    static List<Map<String, Object>> render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> parse(run(renderCommand(OVERLAYS.resolve(o)))));
    }

    /** The objects of one kind (and their order in the output). */
    static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    static Map<String, Object> single(List<Map<String, Object>> objects, String kind, String name) {
        List<Map<String, Object>> found = ofKind(objects, kind).stream()
                .filter(o -> name.equals(Yamls.string(o, "metadata", "name"))).toList();
        assertEquals(1, found.size(), "one " + kind + " " + name);
        return found.get(0);
    }

    /** All documents of a YAML stream (anchors and merge keys resolved); empty documents left out. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                assertTrue(document instanceof Map, "a YAML document that is no object: " + document);
                objects.add((Map<String, Object>) document);
            }
        }
        return objects;
    }

    private static List<String> renderCommand(Path overlay) {
        Optional<Path> kubectl = onPath("kubectl");
        if (kubectl.isPresent()) {
            return List.of(kubectl.get().toString(), "kustomize", overlay.toString());
        }
        Optional<Path> kustomize = onPath("kustomize");
        if (kustomize.isPresent()) {
            return List.of(kustomize.get().toString(), "build", overlay.toString());
        }
        String reason = "neither kubectl nor kustomize is on the PATH: the rendered manifests of k8s/ are not checked"
                + " (install kubectl, e.g. apt-get install -y kubectl; .ci/run does)";
        if ("1".equals(System.getenv(REQUIRED))) {
            fail(reason + ", and " + REQUIRED + "=1 requires them");
        }
        if (!SKIP_REPORTED.getAndSet(true)) {
            System.err.println("SKIPPED: " + reason);
        }
        Assumptions.abort(reason);
        throw new AssertionError("unreachable");
    }

    static Optional<Path> onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, tool)).filter(Files::isExecutable).findFirst();
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            assertEquals(0, process.exitValue(), String.join(" ", command) + " failed: " + err.join());
            return out;
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
