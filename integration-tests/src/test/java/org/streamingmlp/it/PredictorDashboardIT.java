package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.streamingmlp.broker.EmbeddedKafkaBroker;

/**
 * A predictor's dashboard: no trainer runs in that process, so instead of training reports its server-sent events
 * say what it serves: a {@code serving} update with the trainer's newest model version, the snapshot's age and the
 * last answers, and the page says so in words (checked in headless Chromium where DashboardBrowserIT can run).
 */
class PredictorDashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern SERVING_TEXT = Pattern.compile(
            "Serving model v(\\d+) \\(role predictor\\), made by the trainer [0-9.]+ s ago\\. No trainer runs .*");

    @Test
    void aPredictorsDashboardShowsTheModelItServesAndItsAnswers() throws Exception {
        Path work = Path.of("target", "predictor-dashboard-it");
        ServiceProcess.deleteRecursively(work);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
             TestKafka kafka = new TestKafka(broker.bootstrapServers());
             ServiceProcess trainer = ServiceProcess.start(role("trainer", broker), work.resolve("trainer.log"));
             ServiceProcess predictor = ServiceProcess.start(role("predictor", broker),
                     work.resolve("predictor.log"))) {
            Blobs blobs = new Blobs(21);
            for (int i = 0; i < 960; i++) {
                kafka.send("mlp.train", null, Blobs.trainingRecord("t-" + i, blobs.next()));
            }
            kafka.flush();
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() ->
                    JSON.readTree(trainer.get("/model")).at("/training/examplesSeen").asLong() >= 960);
            // The trainer publishes nothing more without new examples (but perhaps the snapshot after its last step):
            // from here on the predictor serves this version or that one.
            long[] served = new long[1];
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                served[0] = JSON.readTree(trainer.get("/model")).get("modelVersion").asLong();
                return JSON.readTree(predictor.get("/model")).path("modelVersion").asLong() == served[0];
            });
            long newest = served[0];
            for (int i = 0; i < 5; i++) {
                kafka.send("mlp.predict", "r-" + i, Blobs.request("r-" + i, blobs.next().features()));
            }
            kafka.flush();

            JsonNode serving = awaitServingUpdate(predictor, newest);
            long shown = serving.at("/serving/modelVersion").asLong();
            assertEquals("predictor", serving.at("/serving/role").asText());
            assertTrue(serving.at("/serving/snapshotAgeSeconds").asDouble() >= 0, serving::toString);
            assertTrue(serving.get("predictions").size() > 0, serving::toString);
            for (JsonNode answer : serving.get("predictions")) {
                long answered = answer.get("modelVersion").asLong();
                assertTrue(answered >= newest && answered <= shown, serving::toString);
            }

            if (DashboardBrowserIT.browserAvailable()) {
                assertThePageSaysWhatItServes(predictor, newest);
            }
        }
    }

    /** Reads the predictor's server-sent events until a serving update names that version (or newer) and answers. */
    private static JsonNode awaitServingUpdate(ServiceProcess predictor, long version) throws Exception {
        HttpResponse<Stream<String>> events = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(predictor.uri("/dashboard/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, events.statusCode());
        CompletableFuture<JsonNode> found = CompletableFuture.supplyAsync(() -> {
            Iterator<String> lines = events.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data:")) {
                    try {
                        JsonNode update = JSON.readTree(line.substring("data:".length()));
                        if ("serving".equals(update.path("kind").asText())
                                && update.at("/serving/modelVersion").asLong() >= version
                                && update.path("predictions").size() > 0) {
                            return update;
                        }
                        assertTrue(!"report".equals(update.path("kind").asText()), "a predictor has no reports");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            throw new AssertionError("the event stream ended without a serving update of v" + version);
        });
        try {
            return found.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no serving update of v" + version + " with answers within " + TIMEOUT
                    + " on " + predictor.uri("/dashboard/events") + "; see " + predictor.log, e);
        } finally {
            events.body().close();
        }
    }

    private static void assertThePageSaysWhatItServes(ServiceProcess predictor, long version) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(DashboardBrowserIT.chromium().orElseThrow().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(DashboardBrowserIT.chromedriver().orElseThrow().toFile()).usingAnyFreePort()
                .build(), options);
        try {
            browser.get(predictor.uri("/dashboard").toString());
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                String state = browser.findElement(By.id("state")).getText();
                Matcher m = SERVING_TEXT.matcher(state);
                assertTrue(m.matches() && Long.parseLong(m.group(1)) >= version, state);
            });
            assertTrue(!browser.findElement(By.id("predictions")).getText().contains("none yet"),
                    "no answers listed");
        } finally {
            browser.quit();
        }
    }

    private static Map<String, String> role(String role, EmbeddedKafkaBroker broker) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        config.put("mlp.role", role);
        config.put("mlp.instance-id", role);
        config.put("mlp.distribution.publish-interval", "500ms");
        config.put("mlp.metrics.interval", "500ms");
        config.put("mlp.security.operator-endpoints", "open");
        ServiceProcess.rejoinQuickly(config);
        return config;
    }
}
