package org.streamingmlp.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.streamingmlp.broker.EmbeddedKafkaBroker;

/**
 * The benchmark's Kafka broker in a JVM of its own, as a deployment has it: inside the harness JVM its collections
 * and allocations were the harness's, and the harness's (load generator, answer reader, the data sets) were the
 * broker's, so every pause of one showed in the other's latency (the floor, harness -> broker -> harness with no
 * service, measured p99 4 ms in one run and 71 ms in the next).
 *
 * <p>{@link #main} starts {@link EmbeddedKafkaBroker} (KRaft, temporary directory), prints {@code BOOTSTRAP
 * host:port} and serves until its standard input closes, so it also ends when the harness dies. {@link #start}
 * launches it from the harness with the harness's classpath.
 */
final class BenchBroker implements AutoCloseable {

    private static final String READY = "BOOTSTRAP ";

    /** The broker's JVM, or null when it runs in the harness. */
    private final Process process;
    /** The broker in the harness JVM, or null. */
    private final EmbeddedKafkaBroker inHarness;
    private final String bootstrap;

    private BenchBroker(Process process, EmbeddedKafkaBroker inHarness, String bootstrap) {
        this.process = process;
        this.inHarness = inHarness;
        this.bootstrap = bootstrap;
    }

    /** The broker inside the harness JVM, as the benchmark ran before (to compare the two set-ups). */
    static BenchBroker inHarness() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
        return new BenchBroker(null, broker, broker.bootstrapServers());
    }

    public static void main(String[] args) throws IOException {
        // as in the harness: without a level, every request was formatted for the DEBUG log, and a
        // produce-to-consume hop took 4-5 ms at the median instead of 2.5
        ServiceBenchmark.logWarningsOnly();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults())) {
            System.out.println(READY + broker.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the harness closes our standard input (or dies)
            }
        }
    }

    /** Starts the broker JVM ({@code jvmOptions} first) and waits until it listens; its output goes to {@code log}. */
    static BenchBroker start(List<String> jvmOptions, Path log, Duration timeout) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchBroker.class.getName()));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread copier = new Thread(() -> copyOutput(process, log, ready), "bench-broker-output");
        copier.setDaemon(true);
        copier.start();
        try {
            return new BenchBroker(process, null, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the benchmark's broker did not start within " + timeout + "; see " + log,
                    e);
        }
    }

    /** Copies the broker's output to {@code log} for as long as it runs (a full pipe would block its logging). */
    private static void copyOutput(Process process, Path log, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.newLine();
                if (!ready.isDone() && line.startsWith(READY)) {
                    ready.complete(line.substring(READY.length()).trim());
                    out.flush();
                }
            }
            ready.completeExceptionally(new IllegalStateException("the broker exited with " + process.waitFor()));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready.completeExceptionally(e);
        }
    }

    String bootstrapServers() {
        return bootstrap;
    }

    /** The broker JVM's process id; the harness's own when the broker runs inside it. */
    long pid() {
        return process != null ? process.pid() : ProcessHandle.current().pid();
    }

    /** Closes its standard input (a clean shutdown), forcibly after 30 s. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (inHarness != null) {
            inHarness.close();
            return;
        }
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
