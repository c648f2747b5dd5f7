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
 * <p>
 * The API is on a free port, health and metrics on the management interface on another ({@link #management}). The
 * service trusts {@link TestTokens}' issuer, and {@link #get} and {@link #post} call it as an admin; {@link #call}
 * sends any token, or none.
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
    private final int managementPort;
    final Path log;

    private ServiceProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts the service with these {@code -D} properties and waits until it is ready. */
    static ServiceProcess start(Map<String, String> properties, Path log) throws Exception {
        return start(properties, Map.of(), log);
    }

    /**
     * Starts the service and waits only until it is live, for a process that is not meant to become ready (a
     * standby trainer).
     */
    static ServiceProcess startLive(Map<String, String> properties, Path log) throws Exception {
        ServiceProcess service = launch(properties, Map.of(), log);
        try {
            service.awaitHealthy("/q/health/live", Duration.ofSeconds(120));
        } catch (Throwable notLive) {
            service.close();
            throw notLive;
        }
        return service;
    }

    /** The same, with these variables added to the process' environment (the way Kubernetes passes Secrets). */
    static ServiceProcess start(Map<String, String> properties, Map<String, String> environment, Path log)
            throws Exception {
        ServiceProcess service = launch(properties, environment, log);
        try {
            service.awaitHealthy("/q/health/ready", Duration.ofSeconds(120));
        } catch (Throwable notReady) {
            service.close();   // a process that never became ready is no one's to close
            throw notReady;
        }
        return service;
    }

    /**
     * Starts the service and waits for it to exit on its own (a startup that must fail); returns the exit code.
     * Fails if it is still running after the timeout (and kills it).
     */
    static int runUntilExit(Map<String, String> properties, Map<String, String> environment, Path log,
            Duration timeout) throws Exception {
        try (ServiceProcess service = launch(properties, environment, log)) {
            if (!service.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the service still runs after " + timeout + "; see " + log);
            }
            RUNNING.remove(service.process);
            return service.process.exitValue();
        }
    }

    private static ServiceProcess launch(Map<String, String> properties, Map<String, String> environment, Path log)
            throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the integration tests with ./mvnw verify");
        }
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=3g",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + managementPort));
        Map<String, String> all = new java.util.TreeMap<>(TestTokens.serviceConfig());
        all.putAll(properties);
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        RUNNING.add(process);
        return new ServiceProcess(process, port, managementPort, log);
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

    /** GET on the API port, as an admin; throws unless 200. */
    String get(String path) throws IOException, InterruptedException {
        return request(asAdmin(HttpRequest.newBuilder(uri(path)).GET()));
    }

    /** POST without a body on the API port, as an admin; throws unless 200. */
    String post(String path) throws IOException, InterruptedException {
        return request(asAdmin(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody())));
    }

    /**
     * POSTs a JSON body anonymously over HTTP/1.1 with {@code Expect: 100-continue} (a server that refuses the body
     * by its Content-Length answers before it is sent); the response whatever its status (the caller asserts on it).
     */
    HttpResponse<String> postJson(String path, byte[] body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).version(HttpClient.Version.HTTP_1_1).expectContinue(true)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status code of a GET on the management interface, e.g. 503 of an unready health check. */
    int managementStatus(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(managementUri(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** GET on the management interface (health, metrics, OpenAPI); throws unless 200. */
    String management(String path) throws IOException, InterruptedException {
        return request(HttpRequest.newBuilder(managementUri(path)).GET().build());
    }

    /**
     * Any call on the API port with a bearer token ({@code null}: anonymous); the response, whatever its status.
     * A {@code null} body sends none; a JSON body is sent as {@code application/json}.
     */
    HttpResponse<String> call(String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A URL on the management interface, for tests that talk to it themselves. */
    URI managementUri(String path) {
        return URI.create("http://localhost:" + managementPort + path);
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

    private boolean healthy(String healthPath) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(managementUri(healthPath)).timeout(Duration.ofSeconds(5)).build(),
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

    private static HttpRequest asAdmin(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + TestTokens.admin()).build();
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
