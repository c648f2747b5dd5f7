package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as a separate JVM process, for tests that
 * kill it: {@link #kill()} is SIGKILL (no shutdown hook runs), {@link #stop()} is SIGTERM. The process inherits
 * this JVM's environment (OPENBLAS_CORETYPE, OMP_NUM_THREADS from Failsafe) and logs to a file.
 * <p>
 * No instance outlives its test: keep every {@link #start} in a try-with-resources (or a {@code finally} that calls
 * {@link #close()}), which SIGKILLs a process still running when an assertion fails; {@link #start} itself kills a
 * process that never became ready. As a last resort a JVM shutdown hook kills whatever is still running when the
 * test JVM exits (it cannot help when the test JVM itself is SIGKILLed).
 */
final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Started and not yet closed, for the shutdown hook. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ServiceProcess::killTree),
                "service-process-reaper"));
    }

    private final Process process;
    private final int port;
    final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the service with these {@code -D} properties and waits until it is ready. */
    static ServiceProcess start(Map<String, String> properties, Path log) throws Exception {
        return start(properties, log, "/q/health/ready");
    }

    /**
     * Starts the service and waits only until it is live, for a process that is not meant to become ready (a
     * standby trainer).
     */
    static ServiceProcess startLive(Map<String, String> properties, Path log) throws Exception {
        return start(properties, log, "/q/health/live");
    }

    private static ServiceProcess start(Map<String, String> properties, Path log, String healthPath)
            throws Exception {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the integration tests with ./mvnw verify");
        }
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=3g",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dquarkus.http.port=" + port));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        RUNNING.add(process);
        ServiceProcess service = new ServiceProcess(process, port, log);
        try {
            service.awaitHealthy(healthPath, Duration.ofSeconds(120));
        } catch (Throwable notReady) {
            service.close();   // a process that never became ready is no one's to close
            throw notReady;
        }
        return service;
    }

    /**
     * Makes a killed instance's consumers leave their groups quickly: a dead member holds its partitions until its
     * session times out (45 s by default), which a restarted instance would otherwise wait for.
     */
    static void rejoinQuickly(Map<String, String> config) {
        for (String channel : List.of("training", "validation", "prediction-requests", "model-updates")) {
            config.put("mp.messaging.incoming." + channel + ".session.timeout.ms", "6000");
            config.put("mp.messaging.incoming." + channel + ".heartbeat.interval.ms", "1000");
        }
    }

    /** Removes a previous run's files (checkpoints would be restored, logs appended to). */
    static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var walk = Files.walk(path)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    String get(String path) throws IOException, InterruptedException {
        return request(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    String post(String path) throws IOException, InterruptedException {
        return request(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** SIGKILL: the process gets no chance to checkpoint, commit or close anything. Returns once it is gone. */
    void kill() throws InterruptedException {
        killTree(process);
        process.waitFor();
        RUNNING.remove(process);
    }

    /** SIGTERM: a graceful shutdown; SIGKILL if it has not ended within 60 s. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            killTree(process);
            process.waitFor();
        }
        RUNNING.remove(process);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILLs the process if it still runs (a no-op after {@link #kill()} or {@link #stop()}), and returns once it
     * is gone. Safe to call on any path, also after a failed assertion: it throws nothing but an interrupt, and
     * then only after the kill signal was sent.
     */
    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** SIGKILL to the process and anything it started (the service starts nothing; this is belt and braces). */
    private static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private void awaitHealthy(String healthPath, Duration timeout) {
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .failFast("the service exited", () -> !process.isAlive())
                    .until(() -> healthy(healthPath));
        } catch (TerminalFailureException e) {
            throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log, e);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the service was not ready within " + timeout + "; see " + log, e);
        }
    }

    /** The status code of a GET (any code, no exception for non-200), e.g. 503 of an unready health check. */
    int status(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private boolean healthy(String healthPath) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(healthPath)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;   // still starting
        }
    }

    private String request(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
