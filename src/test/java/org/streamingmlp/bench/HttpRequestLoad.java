package org.streamingmlp.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Open-loop {@code POST /predict} over HTTP/1.1 keep-alive connections: due requests go to a queue that a fixed pool
 * of connections (one thread each, blocking sockets, no client library in the way) serves; the latency runs from the
 * due time to the last byte of the response, so time spent queued for a free connection counts.
 */
final class HttpRequestLoad extends OpenLoop {

    /** One keep-alive connection to the service; also used on its own by the freshness probe. */
    static final class Connection implements AutoCloseable {
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Connection(int port) throws IOException {
            this.port = port;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(30_000);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        /** POSTs a JSON body, returns the response body; throws on a status other than 200. */
        byte[] post(String path, byte[] body) throws IOException {
            try {
                return exchange(path, body);
            } catch (IOException e) {   // a dropped keep-alive connection: one retry on a new one
                close();
                connect();
                return exchange(path, body);
            }
        }

        private byte[] exchange(String path, byte[] body) throws IOException {
            String head = "POST " + path + " HTTP/1.1\r\nHost: localhost:" + port
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = readLine();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = -1;
            boolean chunked = false;
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            byte[] response;
            if (chunked) {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                for (int size = Integer.parseInt(readLine().trim(), 16); size > 0;
                     size = Integer.parseInt(readLine().trim(), 16)) {
                    all.write(in.readNBytes(size));
                    readLine();
                }
                readLine();
                response = all.toByteArray();
            } else {
                response = in.readNBytes(Math.max(0, length));
            }
            if (status != 200) {
                throw new IOException("POST " + path + " answered " + status + ": "
                        + new String(response, StandardCharsets.UTF_8));
            }
            return response;
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private final LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final byte[][] bodies;
    private volatile boolean running = true;

    HttpRequestLoad(int port, int connectionCount, byte[][] bodies, int capacity) throws IOException {
        super(capacity);
        this.bodies = bodies;
        for (int c = 0; c < connectionCount; c++) {
            Connection connection = new Connection(port);
            connections.add(connection);
            Thread worker = new Thread(() -> serve(connection), "bench-http-" + c);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    protected void submit(int index) {
        queue.add(index);
    }

    @Override
    protected void abandon() {
        queue.clear();   // requests still waiting for a connection are never sent
    }

    private void serve(Connection connection) {
        while (running) {
            Integer index;
            try {
                index = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (index < 0) {
                return;
            }
            try {
                connection.post("/predict", bodies[index % bodies.length]);
                answered(index, System.nanoTime());
            } catch (IOException | RuntimeException e) {
                failed(index);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (int i = 0; i < workers.size(); i++) {
            queue.add(-1);
        }
        for (Thread worker : workers) {
            worker.join(2000);
        }
        connections.forEach(Connection::close);
    }
}
