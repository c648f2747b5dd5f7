package org.streamingmlp.api;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.streamingmlp.trainer.TrainingReport;
import org.streamingmlp.wiring.TrainerLifecycle;

/**
 * {@code POST /model/checkpoint} (admin): writes a checkpoint now, between two training steps, and answers with
 * its directory. 409 when checkpointing is off ({@code mlp.checkpoint.dir} unset) or this process does not train
 * ({@code mlp.role=predictor}).
 */
@jakarta.ws.rs.Path("/model/checkpoint")
public class CheckpointResource {

    /** A checkpoint written on request: its directory, and the model version and step it holds. */
    public record Written(String checkpoint, long modelVersion, long step) {
    }

    @Inject
    TrainerLifecycle trainer;

    @POST
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Written.class)))
    @APIResponse(responseCode = "409", content = @Content(schema = @Schema(implementation = Problem.class)))
    public Response checkpoint() throws InterruptedException {
        try {
            java.nio.file.Path written = trainer.checkpoint().get(60, TimeUnit.SECONDS);
            TrainingReport status = trainer.status().orElseThrow();
            return Response.ok(new Written(written.toString(), status.modelVersion(), status.step())).build();
        } catch (ExecutionException e) {
            return Response.status(Response.Status.CONFLICT).entity(Problem.of(e.getCause().getMessage())).build();
        } catch (TimeoutException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .entity(Problem.of("the trainer did not write the checkpoint within 60 s")).build();
        }
    }
}
