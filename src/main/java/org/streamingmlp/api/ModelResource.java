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

/** {@code GET /model}: the model's version and training state, and the configuration it was built from. */
@Path("/model")
public class ModelResource {

    @Inject
    LearningService learning;

    @Inject
    MetricsPublisher metrics;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> model() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("modelVersion", learning.snapshots().current().map(s -> s.version()).orElse(null));
        json.put("training", MetricsJson.of(learning.status(), metrics.deadLettersByReason()));
        json.put("trainerAlive", learning.trainerAlive());
        json.put("configuration", learning.trainingConfig().toString());
        json.put("provenance", Map.of(
                "java", System.getProperty("java.version"),
                "nd4j", org.nd4j.linalg.factory.Nd4j.class.getPackage().getImplementationVersion() == null
                        ? "unknown" : org.nd4j.linalg.factory.Nd4j.class.getPackage().getImplementationVersion()));
        return json;
    }
}
