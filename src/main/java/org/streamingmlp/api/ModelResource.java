package org.streamingmlp.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.streamingmlp.service.LearningService;
import org.streamingmlp.stream.MetricsJson;
import org.streamingmlp.stream.MetricsPublisher;
import org.streamingmlp.stream.OffsetRanges;

/**
 * {@code GET /model}: the model's version and training state (as on the metrics topic), and its provenance: the
 * configuration and its hash, the offsets of the data it has seen, and the versions of the software.
 */
@Path("/model")
public class ModelResource {

    @Inject
    LearningService learning;

    @Inject
    MetricsPublisher metrics;

    @Inject
    OffsetRanges offsets;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> model() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("modelVersion", learning.snapshots().current().map(s -> s.version()).orElse(null));
        json.put("training", MetricsJson.of(learning.status(), metrics.deadLettersByReason(), metrics.consumerLag()));
        json.put("trainerAlive", learning.trainerAlive());
        json.put("configuration", learning.trainingConfig().toString());
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("configHash", Provenance.configHash(learning.trainingConfig()));
        provenance.put("offsets", offsets.snapshot());
        provenance.put("versions", Provenance.versions());
        json.put("provenance", provenance);
        return json;
    }
}
