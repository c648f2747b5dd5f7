package org.streamingmlp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.streamingmlp.broker.EmbeddedKafkaBroker;

/**
 * Who may call what on the packaged service's HTTP port, with bearer tokens from a test issuer (as from an OIDC
 * provider): the checkpoint endpoint needs role admin (anonymous 401, a forged token 401, another role 403, admin
 * 200); {@code GET /model} needs operator or admin unless {@code mlp.security.operator-endpoints=open};
 * {@code /predict} is open unless {@code mlp.security.predictions=authenticated}; health and metrics are on the
 * management port only.
 */
class HttpSecurityIT {

    private static final Path WORK = Path.of("target", "http-security-it");
    private static final String REQUEST = "{\"id\":\"h-1\",\"features\":[2,0,-1,1]}";

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        ServiceProcess.deleteRecursively(WORK);
        broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void byDefaultCheckpointsNeedAdminModelNeedsOperatorAndPredictionsAreOpen() throws Exception {
        Map<String, String> config = base();
        config.put("mlp.checkpoint.dir", WORK.resolve("checkpoints").toAbsolutePath().toString());
        try (ServiceProcess service = ServiceProcess.start(config, WORK.resolve("default.log"))) {
            assertEquals(401, status(service.call("POST", "/model/checkpoint", null, null)), "anonymous");
            assertEquals(401, status(service.call("POST", "/model/checkpoint", TestTokens.forged(), null)), "forged");
            assertEquals(403, status(service.call("POST", "/model/checkpoint", TestTokens.operator(), null)),
                    "operator");
            assertEquals(403, status(service.call("POST", "/model/checkpoint", TestTokens.user(), null)), "user");
            HttpResponse<String> written = service.call("POST", "/model/checkpoint", TestTokens.admin(), null);
            assertEquals(200, status(written), "admin: " + written.body());
            assertTrue(written.body().contains("checkpoint-"), written.body());

            assertEquals(401, status(service.call("GET", "/model", null, null)), "anonymous");
            assertEquals(403, status(service.call("GET", "/model", TestTokens.user(), null)), "user");
            assertEquals(200, status(service.call("GET", "/model", TestTokens.operator(), null)), "operator");
            assertEquals(200, status(service.call("GET", "/model", TestTokens.admin(), null)), "admin");
            assertEquals(401, status(service.call("GET", "/dashboard/", null, null)), "the dashboard, anonymous");
            assertEquals(401, status(service.call("GET", "/model/export", null, null)), "weights, anonymous");
            assertEquals(401, status(service.call("GET", "/dashboard/events", null, null)), "the dashboard's events");

            assertEquals(200, status(service.call("POST", "/predict", null, REQUEST)), "anonymous prediction");

            assertTrue(service.management("/q/health/ready").contains("UP"));
            assertTrue(service.management("/q/metrics").contains("mlp_training_step"));
            assertTrue(service.management("/q/openapi").contains("/predict"));
            for (String path : new String[] {"/q/health", "/q/metrics", "/q/openapi"}) {
                assertEquals(404, status(service.call("GET", path, null, null)), path + " on the API port");
            }
            service.stop();
        }
    }

    @Test
    void configurationOpensTheOperatorEndpointsAndClosesPredictions() throws Exception {
        Map<String, String> config = base();
        config.put("mlp.security.operator-endpoints", "open");
        config.put("mlp.security.predictions", "authenticated");
        try (ServiceProcess service = ServiceProcess.start(config, WORK.resolve("switched.log"))) {
            assertEquals(200, status(service.call("GET", "/model", null, null)), "anonymous /model");
            assertEquals(401, status(service.call("POST", "/predict", null, REQUEST)), "anonymous prediction");
            assertEquals(200, status(service.call("POST", "/predict", TestTokens.user(), REQUEST)),
                    "authenticated prediction, any role");
            // state changes stay closed whatever the switches say
            assertEquals(401, status(service.call("POST", "/model/checkpoint", null, null)), "anonymous");
            assertEquals(403, status(service.call("POST", "/model/checkpoint", TestTokens.operator(), null)),
                    "operator");
            service.stop();
        }
    }

    @Test
    void aMisspeltSwitchFailsStartupNamingTheKey() throws Exception {
        Map<String, String> config = base();
        config.put("mlp.security.predictions", "authenticate");
        Path log = WORK.resolve("misspelt.log");
        int exit = ServiceProcess.runUntilExit(config, Map.of(), log, Duration.ofSeconds(120));
        assertNotEquals(0, exit, "the service started with mlp.security.predictions=authenticate");
        assertTrue(Files.readString(log).contains("mlp.security.predictions"), "the key is not named in " + log);
    }

    private static Map<String, String> base() {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", broker.bootstrapServers());
        return config;
    }

    private static int status(HttpResponse<String> response) {
        return response.statusCode();
    }
}
