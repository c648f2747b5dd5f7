package org.streamingmlp.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * For {@code @QuarkusIntegrationTest}s: the packaged service trusts {@link TestTokens}' issuer, and its management
 * interface (health, metrics, OpenAPI) listens on a free port, which {@link #managementPort()} gives the test
 * (Quarkus' launcher finds the API port in the log, not the management one).
 */
public class ServiceAccessResource implements QuarkusTestResourceLifecycleManager {

    /** A system property, readable from any class loader of the test JVM. */
    private static final String PORT_PROPERTY = "mlp.it.management-port";

    static int managementPort() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            throw new IllegalStateException("no management port: is the test annotated with "
                    + "@WithTestResource(ServiceAccessResource.class)?");
        }
        return Integer.parseInt(port);
    }

    @Override
    public Map<String, String> start() {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
        System.setProperty(PORT_PROPERTY, Integer.toString(port));
        Map<String, String> config = new HashMap<>(TestTokens.serviceConfig());
        config.put("quarkus.management.port", Integer.toString(port));
        return config;
    }

    @Override
    public void stop() {
        System.clearProperty(PORT_PROPERTY);
    }
}
