package org.streamingmlp.api;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

import org.streamingmlp.service.LearningService;

/**
 * {@code POST /model/checkpoint} (admin): writes a checkpoint now, between two training steps, and answers with
 * its directory. 409 when checkpointing is off ({@code mlp.checkpoint.dir} unset).
 */
@jakarta.ws.rs.Path("/model/checkpoint")
public class CheckpointResource {

    @Inject
    LearningService learning;

    @POST
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    public Response checkpoint() throws InterruptedException {
        try {
            java.nio.file.Path written = learning.checkpoint().get(60, TimeUnit.SECONDS);
            return Response.ok(Map.of("checkpoint", written.toString(),
                    "modelVersion", learning.status().modelVersion(), "step", learning.status().step())).build();
        } catch (ExecutionException e) {
            return Response.status(Response.Status.CONFLICT).entity(Map.of("error", e.getCause().getMessage())).build();
        } catch (TimeoutException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(Map.of("error", "the trainer did not write the checkpoint within 60 s")).build();
        }
    }
}
