package org.streamingmlp.serving;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Puts snapshots together from the model topic, in the order its records arrive: chunks are kept by version until
 * the version's {@link ModelRelease} comes; then, if every chunk is there and the checksum matches, the release's
 * bytes are complete. The topic's order is the truth (one partition, one active trainer): a complete release is
 * newer than everything before it if its version is higher in the same lineage, or if it starts a new lineage (a
 * standby trainer took over and counts versions from its own checkpoint, or from 1). Chunks read before an applied
 * release are dropped with it, so memory stays at about one snapshot while a predictor reads the topic from its
 * beginning. Not thread-safe: one consumer thread feeds it.
 */
public final class ReleaseAssembler {

    /** A release whose bytes are all here. */
    public record Complete(ModelRelease release, byte[] bytes) {
    }

    private final String model;
    private final Map<Long, Map<Integer, byte[]>> chunksByVersion = new TreeMap<>();
    private long newest = -1;
    private String lineage;

    public ReleaseAssembler(String model) {
        this.model = model;
    }

    /** A chunk record; chunks of other models are ignored. */
    public void chunk(String model, long version, int index, byte[] bytes) {
        if (this.model.equals(model) && bytes != null) {
            chunksByVersion.computeIfAbsent(version, v -> new HashMap<>()).put(index, bytes);
        }
    }

    /**
     * A release record: its bytes if it is newer than the last completed one and complete; empty otherwise (another
     * model, an old version of the same lineage, or chunks missing, e.g. compacted away after a newer release: the
     * newer one follows).
     */
    public Optional<Complete> release(ModelRelease release) {
        boolean sameLineage = lineage != null && lineage.equals(release.lineage());
        if (!model.equals(release.model())) {
            return Optional.empty();
        }
        if (sameLineage && release.version() <= newest) {
            chunksByVersion.remove(release.version());   // a stale release: its chunks will never be needed
            return Optional.empty();
        }
        Map<Integer, byte[]> chunks = chunksByVersion.getOrDefault(release.version(), Map.of());
        ByteArrayOutputStream joined = new ByteArrayOutputStream((int) Math.min(release.bytes(), Integer.MAX_VALUE));
        for (int i = 0; i < release.chunks(); i++) {
            byte[] chunk = chunks.get(i);
            if (chunk == null) {
                return Optional.empty();
            }
            joined.writeBytes(chunk);
        }
        byte[] bytes = joined.toByteArray();
        if (bytes.length != release.bytes() || !sha256(bytes).equals(release.sha256())) {
            return Optional.empty();
        }
        newest = release.version();
        lineage = release.lineage();
        chunksByVersion.clear();   // all of them came before this release on the topic: superseded
        return Optional.of(new Complete(release, bytes));
    }

    /** Versions with chunks waiting for their release. */
    int pendingVersions() {
        return chunksByVersion.size();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
