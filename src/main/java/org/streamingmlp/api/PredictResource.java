package org.streamingmlp.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.streamingmlp.codec.JsonRecordDecoder;
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
 *
 * <p>The body is parsed straight from the request's stream in one pass, each {@code features} array into floats, as
 * the Kafka edge reads a JSON record: no copy of the whole body into a byte array and no tree of one node per number.
 */
@Path("/predict")
public class PredictResource {

    @Inject
    PredictionService predictions;

    @Inject
    RecordFormats formats;

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
    public Response predict(InputStream body) throws IOException {
        Requests read = read(formats.json(), body, config.predictions().maxRequestsPerCall());
        if (read.refusal() != null) {
            return Response.status(read.status()).entity(read.refusal()).build();
        }
        List<Answer> answers;
        try {
            answers = predictions.answer(read.requests());
        } catch (PredictionService.NoModelYetException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(Problem.of(e.getMessage())).build();
        }
        return Response.ok(read.single() ? answers.get(0) : answers).build();
    }

    /**
     * A body's decoded requests, or why it is refused.
     *
     * @param requests the requests in order (null when refused)
     * @param single   true for one request object, false for an array
     * @param status   400 or 413 when refused, else null
     * @param refusal  the problem when refused, else null
     */
    record Requests(List<PredictionRequest> requests, boolean single, Response.Status status, Problem refusal) {

        static Requests refused(Response.Status status, Problem problem) {
            return new Requests(null, false, status, problem);
        }
    }

    /**
     * Reads and decodes a body straight from the request's stream, in one pass
     * ({@link JsonRecordDecoder#readRequests}):
     * a body that is not JSON, or not an object or array, is a 400 ({@code undecodable}); an array of more than
     * {@code limit} requests a 413 ({@code too-many-requests}); otherwise the first request that does not decode is a
     * 400 with its reason and, in an array, its index. Checked in that order, for the whole body before any request.
     * An exception from the stream itself (not from the parser) propagates.
     */
    static Requests read(JsonRecordDecoder json, InputStream body, int limit) throws IOException {
        JsonRecordDecoder.RequestBody parsed;
        try {
            parsed = json.readRequests(body == null ? InputStream.nullInputStream() : body);
        } catch (JsonProcessingException e) {
            return badRequest(RejectReason.UNDECODABLE, "not JSON: " + e.getMessage(), null);
        }
        if (parsed == null) {
            return badRequest(RejectReason.UNDECODABLE, "expected a request object or an array of them", null);
        }
        boolean single = parsed.single();
        if (!single && parsed.size() > limit) {
            return Requests.refused(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    new Problem(RejectReason.TOO_MANY_REQUESTS.code(), parsed.size()
                            + " requests in one call, more than mlp.predictions.max-requests-per-call=" + limit, null));
        }
        List<PredictionRequest> requests = new ArrayList<>(parsed.size());
        for (int i = 0; i < parsed.size(); i++) {
            try {
                requests.add(parsed.request(i));
            } catch (InvalidRecordException e) {
                return badRequest(e.reason(), e.getMessage(), single ? null : i);
            }
        }
        return new Requests(requests, single, null, null);
    }

    private static Requests badRequest(RejectReason reason, String detail, Integer index) {
        return Requests.refused(Response.Status.BAD_REQUEST, new Problem(reason.code(), detail, index));
    }
}
