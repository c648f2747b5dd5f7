package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.streamingmlp.broker.EmbeddedKafkaBroker;

/**
 * Graceful shutdown writes a last checkpoint; a corrupt newest checkpoint is reported and the previous one used.
 * The service runs as its own process against a real broker in this JVM.
 */
class CheckpointRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shutdownCheckpointsAndACorruptNewestCheckpointFallsBackToThePreviousOne() throws Exception {
        Path work = Path.of("target", "checkpoint-recovery-it");
        Path checkpoints = work.resolve("checkpoints").toAbsolutePath();
        Path log = work.resolve("service.log");
        ServiceProcess.deleteRecursively(work);   // a previous run's checkpoints would be restored
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Map<String, String> config = new HashMap<>();
            config.put("kafka.bootstrap.servers", broker.bootstrapServers());
            config.put("mlp.checkpoint.dir", checkpoints.toString());
            config.put("mlp.checkpoint.every-steps", "1000000");
            config.put("mlp.training.max-batch-wait", "1h");   // batches of exactly 32: steps are countable
            ServiceProcess.rejoinQuickly(config);
            Blobs blobs = new Blobs(3);
            Path requested;
            try (ServiceProcess service = ServiceProcess.start(config, log)) {
                for (int i = 0; i < 640; i++) {
                    kafka.send("mlp.train", null, Blobs.trainingRecord("a-" + i, blobs.next()));
                }
                kafka.flush();
                awaitStep(service, 20);
                requested = Path.of(JSON.readTree(service.post("/model/checkpoint")).get("checkpoint").asText());
                for (int i = 0; i < 640; i++) {
                    kafka.send("mlp.train", null, Blobs.trainingRecord("b-" + i, blobs.next()));
                }
                kafka.flush();
                awaitStep(service, 40);
                service.stop();   // SIGTERM
            }

            Path last = newest(checkpoints);
            assertTrue(!last.equals(requested), "no checkpoint was written at shutdown");
            JsonNode lastState = JSON.readTree(last.resolve("state.json").toFile());
            assertEquals(40, lastState.get("step").asLong());
            assertEquals(1280, lastState.get("examplesSeen").asLong());
            Path model = last.resolve("model.safetensors");
            byte[] bytes = Files.readAllBytes(model);
            bytes[bytes.length / 2] ^= 0x10;
            Files.write(model, bytes);

            try (ServiceProcess restarted = ServiceProcess.start(config, log)) {
                String output = Files.readString(log);
                assertTrue(output.contains(last.getFileName() + " is unusable"), "the fallback was not reported");
                assertTrue(output.contains("Restoring checkpoint " + requested.getFileName()));
                // The examples after the restored checkpoint (step 20) are learned again, once: nothing is lost,
                // nothing is learned twice.
                awaitStep(restarted, 40);
                JsonNode state = JSON.readTree(restarted.get("/model"));
                assertEquals(40, state.at("/training/step").asLong());
                assertEquals(1280, state.at("/training/examplesSeen").asLong());
                long previous = JSON.readTree(requested.resolve("state.json").toFile()).get("modelVersion").asLong();
                assertTrue(state.at("/modelVersion").asLong() > previous, "versions must go on increasing");
                restarted.stop();
            }
        }
    }

    private static Path newest(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith("checkpoint-"))
                    .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
        }
    }

    private static void awaitStep(ServiceProcess service, long step) {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertTrue(
                        JSON.readTree(service.get("/model")).at("/training/step").asLong() >= step,
                        "the service did not reach step " + step + "; see " + service.log));
    }
}
