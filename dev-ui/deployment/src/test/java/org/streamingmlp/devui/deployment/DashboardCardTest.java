package org.streamingmlp.devui.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.devui.tests.DevUIBuildTimeDataTest;
import io.quarkus.test.QuarkusDevModeTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Starts an application with this extension in dev mode and reads what Dev UI's page receives (the build-time data
 * of its own namespace, {@code /q/dev-ui/devui-data.js}): the extension is listed as active, with one card page,
 * "Live dashboard", an external page at {@code /dashboard} that opens outside Dev UI.
 */
class DashboardCardTest extends DevUIBuildTimeDataTest {

    @RegisterExtension
    static final QuarkusDevModeTest DEV_MODE = new QuarkusDevModeTest().withEmptyApplication();

    DashboardCardTest() {
        super("devui");
    }

    @Test
    void theCardLinksToTheDashboard() throws Exception {
        JsonNode card = activeExtension("streaming-mlp-dev-ui");
        assertEquals("streaming-mlp dashboard", card.get("name").asText());
        JsonNode pages = card.get("cardPages");
        assertEquals(1, pages.size(), pages::toString);
        JsonNode page = pages.get(0);
        assertEquals("Live dashboard", page.get("title").asText());
        assertEquals("/dashboard", page.get("metadata").get("externalUrl").asText());
        assertEquals("text/html", page.get("metadata").get("mimeType").asText());
        assertFalse(page.get("embed").asBoolean(), "the dashboard opens in a tab of its own");
    }

    private JsonNode activeExtension(String namespace) throws Exception {
        JsonNode extensions = getBuildTimeData("extensions");
        assertNotNull(extensions, "Dev UI's build-time data has no extensions");
        for (JsonNode extension : extensions.get("active")) {
            if (namespace.equals(extension.path("namespace").asText())) {
                return extension;
            }
        }
        throw new AssertionError("no active extension " + namespace + " in Dev UI: " + extensions.get("active"));
    }
}
