package org.streamingmlp.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This process's name among its peers: {@code mlp.instance-id}, else the host name (on Kubernetes, the pod's). */
public final class InstanceName {

    private InstanceName() {
    }

    public static String of(ServiceConfig config) {
        return config.instanceId().filter(id -> !id.isBlank()).orElseGet(InstanceName::hostName);
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
