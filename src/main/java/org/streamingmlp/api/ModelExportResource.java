package org.streamingmlp.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.streamingmlp.checkpoint.ModelExport;
import org.streamingmlp.config.ModelConfiguration;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.serving.SnapshotRegistry;

/**
 * {@code GET /model/export}: the model answering predictions now, as a safetensors file whose metadata holds its
 * JSON description ({@link ModelExport}); the {@code export} command saves it as {@code .safetensors} and
 * {@code .json}. 503 before the first snapshot.
 */
@Path("/model/export")
public class ModelExportResource {

    @Inject
    SnapshotRegistry snapshots;

    @Inject
    ServiceConfig config;

    @GET
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response export() {
        return snapshots.current().map(this::file)
                .orElseGet(() -> Response.status(Response.Status.SERVICE_UNAVAILABLE).build());
    }

    private Response file(ModelSnapshot snapshot) {
        Map<String, double[]> parameters = new LinkedHashMap<>();
        snapshot.parameters().forEach((name, values) -> {
            double[] wide = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                wide[i] = values[i];
            }
            parameters.put(name, wide);
        });
        ModelExport export = ModelExport.of(snapshot.version(), snapshot.step(), parameters, snapshot.shapes(),
                snapshot.buffers(), snapshot.featureScaling(), ModelConfiguration.of(config));
        return Response.ok(export.safetensors())
                .header("Content-Disposition",
                        "attachment; filename=\"model-" + snapshot.version() + ".safetensors\"")
                .build();
    }
}
