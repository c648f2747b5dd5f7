package org.streamingmlp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;

/**
 * The floor under the {@code POST /predict} figures: the JDK's own HTTP server in a JVM of its own that reads each
 * body and answers a fixed answer of the service's size, one thread, nothing else. The benchmark drives it with the
 * same open-loop client as the service ({@link HttpRequestLoad}), so its latencies are what the client, the loopback
 * and the two cores cost without the service, as the Kafka section's floor is for the broker.
 */
final class HttpFloorServer implements AutoCloseable {

    private static final byte[] ANSWER = ("{\"id\":\"h-1\",\"prediction\":9,\"probabilities\":[0.01,0.02,0.03,0.04,"
            + "0.05,0.06,0.07,0.08,0.09,0.55],\"modelVersion\":1234}").getBytes(StandardCharsets.UTF_8);

    private final Process process;
    private final int port;

    private HttpFloorServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Serves on the given port until killed. */
    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 128);
        server.createContext("/predict", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ANSWER);
            }
        });
        server.setExecutor(null);   // the dispatcher thread answers: no hand-off between threads
        server.start();
    }

    /** Starts the server JVM and waits until it accepts connections. */
    static HttpFloorServer start(Duration timeout) throws IOException, InterruptedException {
        int port = BenchService.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // without nodelay the JDK server's separate header and body writes meet the client's delayed ACK: 40 ms each
        Process process = new ProcessBuilder(java, "-Xmx256m", "-Dsun.net.httpserver.nodelay=true",
                "-cp", System.getProperty("java.class.path"), HttpFloorServer.class.getName(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new HttpFloorServer(process, port);
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the HTTP floor server did not start within " + timeout, e);
                }
                Thread.sleep(50);   // another process's port: nothing in this JVM to wait on
            }
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
