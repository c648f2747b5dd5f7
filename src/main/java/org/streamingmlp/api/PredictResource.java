package org.streamingmlp.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.RejectReason;
import org.streamingmlp.serving.Answer;
import org.streamingmlp.serving.PredictionService;

/**
 * {@code POST /predict}: one request object ({@code {"id": "r-1", "features": [...]}}, or named fields with a
 * feature schema) or an array of them. Answers with one {@link Answer}, or an array in the same order, as on the
 * predictions topic. A bad request gets 400 with the same reason codes as the dead-letter topic; an array of more
 * than {@code mlp.predictions.max-requests-per-call} requests gets 413 ({@code too-many-requests}), and a body above
 * {@code quarkus.http.limits.max-body-size} gets 413 from Quarkus before it is read.
 */
@Path("/predict")
public class PredictResource {

    @Inject
    PredictionService predictions;

    @Inject
    RecordFormats formats;

    @Inject
    ObjectMapper mapper;

    @Inject
    ServiceConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "an answer, or an array of answers for an array of requests",
            content = @Content(schema = @Schema(oneOf = {Answer.class, Answer[].class})))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = Problem.class)))
    public Response predict(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            return badRequest(RejectReason.UNDECODABLE, "not JSON: " + e.getMessage(), null);
        }
        boolean single = root != null && root.isObject();
        List<JsonNode> nodes = new ArrayList<>();
        if (single) {
            nodes.add(root);
        } else if (root != null && root.isArray()) {
            int limit = config.predictions().maxRequestsPerCall();
            if (root.size() > limit) {
                return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE)
                        .entity(new Problem(RejectReason.TOO_MANY_REQUESTS.code(), root.size()
                                + " requests in one call, more than mlp.predictions.max-requests-per-call=" + limit,
                                null))
                        .build();
            }
            root.forEach(nodes::add);
        } else {
            return badRequest(RejectReason.UNDECODABLE, "expected a request object or an array of them", null);
        }
        List<PredictionRequest> requests = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            try {
                requests.add(formats.json().decodeRequest(nodes.get(i)));
            } catch (InvalidRecordException e) {
                return badRequest(e.reason(), e.getMessage(), single ? null : i);
            }
        }
        List<Answer> answers;
        try {
            answers = predictions.answer(requests);
        } catch (PredictionService.NoModelYetException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(Problem.of(e.getMessage())).build();
        }
        return Response.ok(single ? answers.get(0) : answers).build();
    }

    private static Response badRequest(RejectReason reason, String detail, Integer index) {
        return Response.status(Response.Status.BAD_REQUEST).entity(new Problem(reason.code(), detail, index)).build();
    }
}
