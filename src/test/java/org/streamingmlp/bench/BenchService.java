package org.streamingmlp.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}) as its own JVM, started the way production
 * starts it ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dorg.bytedeco.javacpp.maxPhysicalBytes=3g}, from the
 * Dockerfile) plus Native Memory
 * Tracking (summary), with {@code -D} settings. Reads its {@code GET /model}, its resident memory
 * ({@code /proc/<pid>/status}) and its JVM native memory ({@code VM.native_memory summary}).
 */
final class BenchService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private BenchService(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    static BenchService start(Path jar, Map<String, String> properties, Map<String, String> environment, Path log)
            throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -B -ntp package -DskipTests");
        }
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=3g",
                "-XX:NativeMemoryTracking=summary",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + managementPort,
                // the benchmark reads GET /model without credentials (the service's default wants role operator)
                "-Dmlp.security.operator-endpoints=open"));
        // extra JVM options for the service, e.g. a flight recording: -Dbench.serviceJvm="-XX:StartFlightRecording=..."
        String extraJvm = System.getProperty("bench.serviceJvm", "").trim();
        if (!extraJvm.isEmpty()) {
            command.addAll(List.of(extraJvm.split("\\s+")));
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        return new BenchService(process, port, managementPort, log);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits until {@code GET /model} answers (the HTTP server is up); training may already run. */
    void awaitHttp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                model();
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("the service did not answer within " + timeout + "; see " + log);
    }

    /** Waits until {@code /q/health/ready} is 200 (a snapshot exists and every consumer owns its partitions). */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the service was not ready within " + timeout + "; see " + log);
    }

    /** {@code GET /model}. */
    JsonNode model() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri("/model"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET /model answered " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    /** {@code training.examplesSeen} of {@code GET /model}. */
    long examplesSeen() throws IOException, InterruptedException {
        return model().path("training").path("examplesSeen").asLong();
    }

    /** VmRSS of the process, bytes. */
    long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + pid());
    }

    /**
     * Where the process's resident memory is. From {@code /proc/<pid>/status}: {@code rssBytes}, its anonymous part
     * ({@code rssAnonBytes}) and its file-backed part (jars, libraries). From {@code GC.heap_info}: the heap's
     * address range and bytes in use; from {@code /proc/<pid>/smaps}: the heap's resident bytes
     * ({@code heapResidentBytes}). {@code offHeapResidentBytes} = anonymous resident minus heap resident: everything
     * native (the JVM's own structures, ND4J and OpenBLAS buffers, JavaCPP, malloc arenas, thread stacks). From Native
     * Memory Tracking: the JVM's own off-heap ({@code jvmOffHeapCommittedBytes}, NMT total minus heap; direct buffers
     * are in "Other"); ND4J/OpenBLAS/JavaCPP memory is invisible to NMT, so {@code nativeOutsideNmtBytes} =
     * off-heap resident minus the JVM's committed off-heap estimates it (committed pages that were never touched
     * make it an underestimate).
     */
    Map<String, Object> memory() throws IOException, InterruptedException {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> status = status();
        long rss = status.getOrDefault("VmRSS", 0L);
        long anon = status.getOrDefault("RssAnon", 0L);
        out.put("rssBytes", rss);
        out.put("rssAnonBytes", anon);
        out.put("rssFileBytes", status.getOrDefault("RssFile", 0L) + status.getOrDefault("RssShmem", 0L));
        long heapResident = -1;
        try {
            String heapInfo = jcmd("GC.heap_info", out);
            Matcher m = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K \\[0x([0-9a-f]+), 0x([0-9a-f]+)\\)")
                    .matcher(heapInfo);
            if (m.find()) {
                out.put("heapUsedBytes", Long.parseLong(m.group(2)) * 1024);
                heapResident = residentIn(Long.parseUnsignedLong(m.group(3), 16), Long.parseUnsignedLong(m.group(4), 16));
                out.put("heapResidentBytes", heapResident);
                out.put("offHeapResidentBytes", anon - heapResident);
            } else {
                out.put("heapInfoError", "unreadable: " + heapInfo);
            }
        } catch (Exception e) {
            out.put("heapInfoError", e.toString());
        }
        try {
            Map<String, long[]> categories = parseNmt(jcmd("VM.native_memory summary", out));
            long[] total = categories.get("Total");
            long[] heap = categories.get("Java Heap");
            if (total != null && heap != null) {
                out.put("nmtCommittedBytes", total[1]);
                out.put("heapCommittedBytes", heap[1]);
                out.put("jvmOffHeapCommittedBytes", total[1] - heap[1]);
                long[] other = categories.get("Other");
                out.put("nmtOtherCommittedBytes", other == null ? 0 : other[1]);
                if (heapResident >= 0) {
                    out.put("nativeOutsideNmtBytes", anon - heapResident - (total[1] - heap[1]));
                }
            } else {
                out.put("nmtError", "unreadable summary");
            }
        } catch (Exception e) {
            out.put("nmtError", e.toString());
        }
        return out;
    }

    /** Fields of {@code /proc/<pid>/status} in bytes (those given in kB). */
    private Map<String, Long> status() throws IOException {
        Map<String, Long> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.endsWith(" kB")) {
                fields.put(line.substring(0, colon), Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
            }
        }
        return fields;
    }

    /** Resident bytes of the mappings in {@code [from, to)}, from {@code /proc/<pid>/smaps}. */
    private long residentIn(long from, long to) throws IOException {
        long resident = 0;
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "smaps"))) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = start < to && end > from;
            } else if (inside && line.startsWith("Rss:")) {
                resident += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return resident;
    }

    private static final Pattern NMT_LINE = Pattern.compile(
            "^[-\\s]*([A-Za-z][A-Za-z ]*?)\\s*[(:]\\s*reserved=(\\d+)KB, committed=(\\d+)KB", Pattern.MULTILINE);

    static Map<String, long[]> parseNmt(String summary) {
        Map<String, long[]> categories = new LinkedHashMap<>();
        Matcher m = NMT_LINE.matcher(summary);
        while (m.find()) {
            categories.putIfAbsent(m.group(1).trim(),
                    new long[] {Long.parseLong(m.group(2)) * 1024, Long.parseLong(m.group(3)) * 1024});
        }
        return categories;
    }

    /**
     * {@code VM.native_memory summary} through the attach API in this JVM (no jcmd JVM to start, so sampling
     * barely disturbs the run; needs {@code --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED}), else jcmd.
     */
    /**
     * A diagnostic command in the service JVM ({@code GC.heap_info} does not collect), through the attach API, else
     * the jcmd tool.
     */
    String jcmd(String command, Map<String, Object> out) throws IOException, InterruptedException {
        try {
            Class<?> vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
            Object vm = vmClass.getMethod("attach", String.class).invoke(null, Long.toString(pid()));
            try {
                Method jcmd = Class.forName("sun.tools.attach.HotSpotVirtualMachine")
                        .getMethod("executeJCmd", String.class);
                try (InputStream in = (InputStream) jcmd.invoke(vm, command)) {
                    out.put("jcmdVia", "attach API");
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } finally {
                vmClass.getMethod("detach").invoke(vm);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                    .toString(), Long.toString(pid())));
            cmd.addAll(List.of(command.split(" ")));
            Process jcmd = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            jcmd.getInputStream().transferTo(text);
            jcmd.waitFor(30, TimeUnit.SECONDS);
            out.put("jcmdVia", "jcmd tool (attach API unavailable: " + e + ")");
            return text.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
