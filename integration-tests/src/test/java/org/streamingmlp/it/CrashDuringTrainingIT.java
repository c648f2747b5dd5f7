package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.streamingmlp.broker.EmbeddedKafkaBroker;

/**
 * Each training example changes the model exactly once across crashes: the service (a separate JVM) is killed
 * with SIGKILL at three random points and restarted each time; its final parameters and optimizer state must be
 * bitwise identical to those of an uninterrupted run over the same data.
 * <p>
 * Deterministic settings: one partition, fixed seed, batches formed by count only (a maximum wait longer than the
 * test), one BLAS thread. Dropout (0.2, the default) is on: its masks are a function of the step.
 * <p>
 * The kill points are drawn from a seed that the test prints; {@code -Dkill.seed=N} replays them (see
 * {@link KillSeed}).
 */
class CrashDuringTrainingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 32;
    private static final int STEPS = 1500;
    private static final String TOPIC = "eo.train";
    private static final Path WORK = Path.of("target", "crash-it");

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void produceTheDataset() throws Exception {
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
        try (TestKafka kafka = new TestKafka(broker.bootstrapServers())) {
            Blobs blobs = new Blobs(99, 1.0, 0);
            for (int i = 0; i < STEPS * BATCH; i++) {
                kafka.send(TOPIC, null, Blobs.trainingRecord("x-" + i, blobs.next()));
            }
            kafka.flush();
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static Map<String, String> config(String name) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("mlp.topics.train", TOPIC);
        for (String topic : List.of("validation", "predict", "predictions", "metrics", "dlq")) {
            config.put("mlp.topics." + topic, "eo." + name + "." + topic);
        }
        config.put("mlp.groups.trainer", "eo-" + name);
        config.put("mlp.groups.predictor", "eo-" + name + "-predictor");
        config.put("mlp.model.hidden-sizes", "128,128");
        config.put("mlp.training.batch-size", Integer.toString(BATCH));
        config.put("mlp.training.max-batch-wait", "1h");
        config.put("mlp.checkpoint.dir", WORK.resolve(name).toAbsolutePath().toString());
        config.put("mlp.checkpoint.every-steps", "97");
        ServiceProcess.rejoinQuickly(config);
        return config;
    }

    @Test
    void killedThreeTimesEndsBitwiseIdenticalToAnUninterruptedRun(TestInfo info) throws Exception {
        ServiceProcess.deleteRecursively(WORK);
        Path reference;
        try (ServiceProcess service = ServiceProcess.start(config("reference"), WORK.resolve("reference.log"))) {
            awaitStep(service, STEPS);
            reference = Path.of(JSON.readTree(service.post("/model/checkpoint")).get("checkpoint").asText());
            service.stop();
        }

        KillSeed seed = KillSeed.forTest(info);
        TreeSet<Integer> killPoints = new TreeSet<>();
        while (killPoints.size() < 3) {
            killPoints.add(seed.between(100, STEPS - 200));
        }
        System.out.println("CrashDuringTrainingIT: killing at steps " + killPoints + " (" + seed + ")");
        Map<String, String> config = config("crashed");
        Path log = WORK.resolve("crashed.log");
        Path crashed;
        ServiceProcess service = ServiceProcess.start(config, log);
        try {
            for (int killAt : killPoints) {
                long step = awaitStep(service, killAt);
                long start = System.nanoTime();
                service.kill();
                long logBefore = Files.size(log);
                service = ServiceProcess.start(config, log);
                // The step it resumed from, as the restart logged it: by the time /model answers, the restarted
                // trainer has already gone on from there (a few steps or dozens, with the data all waiting).
                long resumed = restoredStep(log, logBefore);
                System.out.printf("CrashDuringTrainingIT: killed at step >= %d, restarted in %d ms from step %d%n",
                        step, (System.nanoTime() - start) / 1_000_000, resumed);
                // No assertion on 'resumed' against 'step': 'step' is only what /model said before the kill signal,
                // and on a loaded machine the trainer can take more steps and write a checkpoint in between
                // (seen: step >= 234 observed, restored from 291). What a crash must not change is checked below:
                // every example learned once, and the final model bitwise equal to the uninterrupted run's.
            }
            awaitStep(service, STEPS);
            JsonNode model = JSON.readTree(service.get("/model"));
            assertEquals((long) STEPS * BATCH, model.at("/training/examplesSeen").asLong(),
                    "every example reached the trainer exactly once");
            crashed = Path.of(JSON.readTree(service.post("/model/checkpoint")).get("checkpoint").asText());
            service.stop();
        } finally {
            service.close();   // whichever instance runs when an assertion fails; a no-op after stop()
        }
        for (String file : List.of("model.safetensors", "optimizer.safetensors")) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(file)), Files.readAllBytes(crashed.resolve(file)),
                    file + " differs from the uninterrupted run");
        }
        JsonNode referenceState = JSON.readTree(reference.resolve("state.json").toFile());
        JsonNode crashedState = JSON.readTree(crashed.resolve("state.json").toFile());
        assertEquals(referenceState.get("step"), crashedState.get("step"));
        assertEquals(referenceState.at("/offsets/training"), crashedState.at("/offsets/training"));
        System.out.printf("CrashDuringTrainingIT: %d examples, %d steps, 3 kills, final state bitwise identical%n",
                STEPS * BATCH, STEPS);
    }

    private static final Pattern RESTORING = Pattern.compile(
            "Restoring checkpoint \\S+ \\(model version \\d+, step (\\d+)\\)");

    /** The step of the checkpoint a restart logged after {@code from} bytes of its log (0: none restored). */
    private static long restoredStep(Path log, long from) throws Exception {
        byte[] bytes = Files.readAllBytes(log);
        Matcher restoring = RESTORING.matcher(new String(bytes, (int) from, bytes.length - (int) from,
                StandardCharsets.UTF_8));
        long step = 0;
        while (restoring.find()) {
            step = Long.parseLong(restoring.group(1));
        }
        return step;
    }

    /** Waits until the model has taken at least {@code step} steps; returns the step seen. */
    private static long awaitStep(ServiceProcess service, long step) {
        AtomicLong now = new AtomicLong();
        // Polled often: the kill points are steps, and a kill lands the later the slower this notices them.
        await().atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    now.set(JSON.readTree(service.get("/model")).at("/training/step").asLong());
                    assertTrue(now.get() >= step, "the service did not reach step " + step + "; see " + service.log);
                });
        return now.get();
    }
}
