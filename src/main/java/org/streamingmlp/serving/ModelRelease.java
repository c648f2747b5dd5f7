package org.streamingmlp.serving;

import java.util.Map;
import java.util.SortedMap;

/**
 * The head record of one snapshot on the model topic, written after its chunks: which version it is and how to
 * put it together. Predictors swap to a version only when all its chunks arrived and their checksum matches.
 *
 * @param model          the model's name ({@code mlp.model.name}), the key of this record
 * @param lineage        which trainer run published it ({@code <instance>@<JVM start>}): versions go up within a
 *                       lineage; a trainer that took over without its predecessor's checkpoint starts a new one
 * @param version        the snapshot's version
 * @param step           optimizer steps the model had taken
 * @param chunks         how many chunk records hold the snapshot's bytes
 * @param bytes          their total length
 * @param sha256         of the concatenated chunks, hex
 * @param publishedAt    when the trainer published it (epoch milliseconds, the trainer's clock)
 * @param configuration  the settings the model was trained under, by key (as in checkpoints and {@code GET /model})
 * @param provenance     where it comes from: configuration hash, software versions, trainer instance
 */
public record ModelRelease(String model, String lineage, long version, long step, int chunks, long bytes,
                           String sha256, long publishedAt, SortedMap<String, String> configuration,
                           Map<String, String> provenance) {

    /** Key of chunk {@code index} of version {@code version}: {@code <model>/<version>/<index>}. */
    public static String chunkKey(String model, long version, int index) {
        return model + "/" + version + "/" + index;
    }
}
