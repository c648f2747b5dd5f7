package org.streamingmlp.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.utils.AppInfoParser;
import org.nd4j.linalg.factory.Nd4j;

/** Where a model comes from: its configuration's hash and the versions of the software that trained it. */
final class Provenance {

    private Provenance() {
    }

    /** SHA-256 of the configuration's canonical text (the records' {@code toString}), hex. */
    static String configHash(Object configuration) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(configuration.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    static Map<String, String> versions() {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("java", System.getProperty("java.version"));
        versions.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        versions.put("nd4j", orUnknown(Nd4j.class.getPackage().getImplementationVersion()));
        versions.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
        versions.put("kafkaClients", AppInfoParser.getVersion());
        versions.put("quarkus", orUnknown(io.quarkus.runtime.Application.class.getPackage().getImplementationVersion()));
        versions.put("service", orUnknown(Provenance.class.getPackage().getImplementationVersion()));
        return versions;
    }

    private static String orUnknown(String version) {
        return version == null ? "unknown" : version;
    }
}
