package org.streamingmlp.tools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.checkpoint.Checkpoint;
import org.streamingmlp.checkpoint.CheckpointStore;
import org.streamingmlp.checkpoint.ModelExport;

/** {@code export}: writes a model as {@code OUT.safetensors} and its description as {@code OUT.json}. */
public final class ExportCommand {

    static final String USAGE = """
            export (--checkpoint DIR | --url URL) [--out PREFIX]: the model as safetensors + a JSON description
              --checkpoint DIR   the newest valid checkpoint under DIR (mlp.checkpoint.dir)
              --url URL          a running service (e.g. http://localhost:8080): the model answering now
              --out PREFIX       writes PREFIX.safetensors and PREFIX.json (default: model)
            Load into PyTorch: the README's snippet (torch alone; or safetensors.torch.load_file where installed).""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExportCommand() {
    }

    /** Returns the safetensors file written. */
    public static Path run(List<String> arguments) throws IOException, InterruptedException {
        Deque<String> args = new ArrayDeque<>(arguments);
        Path checkpoint = null;
        String url = null;
        String out = "model";
        while (!args.isEmpty()) {
            String arg = args.pop();
            if (args.isEmpty()) {
                throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value"
                        : "unknown argument " + arg);
            }
            switch (arg) {
                case "--checkpoint" -> checkpoint = Path.of(args.pop());
                case "--url" -> url = args.pop();
                case "--out" -> out = args.pop();
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        if ((checkpoint == null) == (url == null)) {
            throw new IllegalArgumentException("give one of --checkpoint DIR and --url URL");
        }
        byte[] file = checkpoint != null ? fromCheckpoint(checkpoint) : fromService(url);
        JsonNode description = ModelExport.description(file);
        Path tensors = Path.of(out + ".safetensors");
        Path json = Path.of(out + ".json");
        Files.write(tensors, file);
        Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(description) + "\n",
                StandardCharsets.UTF_8);
        System.err.printf("export: model version %s (step %s) -> %s, %s%n", description.get("modelVersion"),
                description.get("step"), tensors, json);
        return tensors;
    }

    private static byte[] fromCheckpoint(Path dir) throws IOException {
        Checkpoint checkpoint = new CheckpointStore(dir, Integer.MAX_VALUE).loadNewestValid()
                .orElseThrow(() -> new IOException("no valid checkpoint under " + dir));
        return ModelExport.of(checkpoint).safetensors();
    }

    private static byte[] fromService(String url) throws IOException, InterruptedException {
        URI uri = URI.create(url.replaceAll("/+$", "") + "/model/export");
        HttpResponse<byte[]> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode());
        }
        return response.body();
    }
}
