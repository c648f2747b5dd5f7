package org.streamingmlp.api;

import java.util.Map;
import java.util.SortedMap;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.streamingmlp.config.ModelConfiguration;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.ingest.OffsetRanges;
import org.streamingmlp.kafka.MetricsReport;
import org.streamingmlp.kafka.StreamFigures;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.serving.SnapshotAge;
import org.streamingmlp.serving.SnapshotRegistry;
import org.streamingmlp.wiring.TrainerLifecycle;

/**
 * {@code GET /model}: the model's version and training state (as on the metrics topic), and its provenance: the
 * configuration and its hash, the offsets of the data it has seen, and the versions of the software.
 */
@Path("/model")
public class ModelResource {

    /**
     * The model as {@code GET /model} shows it.
     *
     * @param role          what this process does ({@code mlp.role})
     * @param modelVersion  the version that answers predictions now (null before a predictor holds one)
     * @param snapshotAgeSeconds how long ago that version was made (by the trainer, on its clock)
     * @param training      the trainer's latest report, as on the metrics topic; null in a predictor
     * @param trainerAlive  whether the trainer thread runs (false in a predictor)
     * @param configuration the settings the model is trained under, by key
     * @param provenance    where the model comes from
     */
    public record ModelView(String role, Long modelVersion, Double snapshotAgeSeconds, MetricsReport training,
                            boolean trainerAlive,
                            SortedMap<String, String> configuration, ProvenanceView provenance) {
    }

    /**
     * @param configHash SHA-256 of the configuration
     * @param offsets    first and last offset taken from each input partition since startup
     * @param versions   of the software that trains the model
     */
    public record ProvenanceView(String configHash, Map<String, OffsetRanges.Range> offsets,
                                 Map<String, String> versions) {
    }

    @Inject
    TrainerLifecycle trainer;

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    StreamFigures figures;

    @Inject
    OffsetRanges offsets;

    @Inject
    ServiceConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ModelView model() {
        SortedMap<String, String> configuration = ModelConfiguration.of(config);
        return new ModelView(config.role().configName(), snapshots.current().map(ModelSnapshot::version).orElse(null),
                SnapshotAge.seconds(snapshots), trainer.status().map(figures::with).orElse(null),
                trainer.trains() && trainer.alive(), configuration,
                new ProvenanceView(Provenance.configHash(configuration), offsets.snapshot(), Provenance.versions()));
    }
}
