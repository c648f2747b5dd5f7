package org.streamingmlp.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.streamingmlp.testing.KafkaBrokerResource;

/**
 * The dashboard in a real browser: the packaged service learns from a real broker while headless Chromium shows
 * {@code /dashboard}; the charts must receive points from the server-sent events, the state text must change when
 * early stopping fires, and the page is saved as {@code target/dashboard.png}.
 *
 * <p>Needs Debian's {@code chromium} and {@code chromium-driver} (or {@code CHROME_BIN} and {@code CHROMEDRIVER}).
 * Without them the test is skipped with that reason, unless {@code MLP_BROWSER_TESTS=required} (set by
 * {@code .ci/run}), which makes a missing browser a failure.
 */
@QuarkusIntegrationTest
@TestProfile(DashboardBrowserIT.Profile.class)
@WithTestResource(KafkaBrokerResource.class)
@EnabledIf("browserAvailable")
class DashboardBrowserIT {

    private static final int BATCH = 32;
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("mlp.topics.train", "db.train");
            config.put("mlp.topics.validation", "db.validation");
            config.put("mlp.topics.predict", "db.predict");
            config.put("mlp.topics.predictions", "db.predictions");
            config.put("mlp.topics.metrics", "db.metrics");
            config.put("mlp.topics.dlq", "db.dlq");
            config.put("mlp.training.batch-size", Integer.toString(BATCH));
            config.put("mlp.training.max-batch-wait", "2s");
            config.put("mlp.training.validate-every-steps", "10");
            config.put("mlp.training.validation-window", "300");
            config.put("mlp.early-stopping.patience", "3");
            config.put("mlp.early-stopping.min-delta", "0.002");
            config.put("mlp.metrics.interval", "250ms");
            // The browser carries no bearer token: the page is opened as dev mode serves it (operator endpoints
            // open). HttpSecurityIT checks that /dashboard is closed to anonymous callers by default.
            config.put("mlp.security.operator-endpoints", "open");
            return config;
        }
    }

    private static TestKafka kafka;
    private static ChromeDriver browser;

    /** Skips without a browser, with the reason; fails instead when the environment requires browser tests. */
    static boolean browserAvailable() {
        if (chromium().isPresent() && chromedriver().isPresent()) {
            return true;
        }
        String reason = "DashboardBrowserIT needs Chromium and its driver (apt-get install chromium chromium-driver, "
                + "or CHROME_BIN and CHROMEDRIVER): skipped";
        if ("required".equals(System.getenv("MLP_BROWSER_TESTS"))) {
            throw new IllegalStateException(reason.replace("skipped", "MLP_BROWSER_TESTS=required"));
        }
        System.err.println(reason);
        return false;
    }

    @BeforeAll
    static void start() {
        kafka = new TestKafka(KafkaBrokerResource.bootstrapServers());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().orElseThrow().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1700");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver().orElseThrow().toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            takeScreenshot();   // also after a failure: the page as it was
            System.out.println("DashboardBrowserIT: page state '" + state() + "', summary '" + summary()
                    + "', screenshot " + SCREENSHOT.toAbsolutePath());
            browser.quit();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void chartsFillAndTheStateTextTellsWhenEarlyStoppingFires() throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        browser.get("http://localhost:" + port + "/");   // the root leads to the dashboard
        assertTrue(browser.getCurrentUrl().endsWith("/dashboard"), browser.getCurrentUrl());
        assertEquals("object", script("return typeof echarts"), "ECharts was not served");

        Blobs validation = new Blobs(32, 1.0, 0);
        for (int i = 0; i < 300; i++) {
            kafka.send("db.validation", "v-" + i, Blobs.trainingRecord("v-" + i, validation.next()));
        }
        Blobs train = new Blobs(31, 1.0, 0);
        String learningText = null;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        int round = 0;
        // Rounds of ten batches until the page says early stopping fired (overlapping blobs: the loss plateaus).
        while (!state().startsWith("Early stopping fired") && System.nanoTime() < deadline) {
            String before = summary();
            for (int i = 0; i < BATCH * 10; i++) {
                kafka.send("db.train", "t-" + round + "-" + i, Blobs.trainingRecord("t-" + round + "-" + i,
                        train.next()));
            }
            for (int i = 0; i < 5; i++) {
                kafka.send("db.predict", "r-" + round + "-" + i, "{\"id\":\"r-" + round + "-" + i
                        + "\",\"features\":" + Blobs.json(train.next().features()) + "}");
            }
            kafka.flush();
            round++;
            awaitPageUpdate(before);
            if (state().startsWith("Learning")) {
                learningText = state();
            }
        }
        String frozenText = state();

        assertTrue(learningText != null && learningText.contains("evaluations without improvement"),
                "the page never said it was learning: " + learningText);
        assertTrue(frozenText.startsWith("Early stopping fired"), "no early stopping in the page: " + frozenText);
        assertEquals("frozen", browser.findElement(By.id("state")).getAttribute("data-phase"));
        assertTrue(Integer.parseInt(browser.findElement(By.tagName("body")).getAttribute("data-events")) >= 1,
                "no event marker was drawn");
        for (String chart : new String[] {"loss", "accuracy", "gap", "lr", "grad", "throughput", "lag"}) {
            int points = Integer.parseInt(browser.findElement(By.id(chart)).getAttribute("data-points"));
            assertTrue(points >= 3, "chart " + chart + " has " + points + " points");
        }
        String predictions = browser.findElement(By.id("predictions")).getText();
        assertTrue(predictions.contains("r-"), "no recent prediction shown: " + predictions);
    }

    /** Waits until the page shows the round just sent (a report every 250 ms): the stream goes at its pace. */
    private static void awaitPageUpdate(String before) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> !summary().equals(before));
    }

    private static String summary() {
        return browser.findElement(By.id("summary")).getText();
    }

    private static String state() {
        return browser.findElement(By.id("state")).getText();
    }

    private static Object script(String js) {
        return ((JavascriptExecutor) browser).executeScript(js);
    }

    private static void takeScreenshot() throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(SCREENSHOT.getParent());
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
    }

    static Optional<Path> chromium() {
        return executable(System.getenv("CHROME_BIN"), "/usr/bin/chromium", "/usr/bin/chromium-browser");
    }

    static Optional<Path> chromedriver() {
        return executable(System.getenv("CHROMEDRIVER"), "/usr/bin/chromedriver");
    }

    private static Optional<Path> executable(String... candidates) {
        for (String c : candidates) {
            if (c != null && Files.isExecutable(Path.of(c))) {
                return Optional.of(Path.of(c));
            }
        }
        return Optional.empty();
    }
}
