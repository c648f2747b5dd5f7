package org.streamingmlp.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

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
 * <p>The body is parsed in one pass, each {@code features} array into floats, as the Kafka edge reads a JSON record: no
 * tree of one node per number.
 *
 * <p>A small body (one request or a few: a 784-feature request is 3-10 KB of JSON; up to
 * {@value #INLINE_BODY_BYTES} bytes) is answered on the HTTP event loop
 * that read it: the hand-off to a worker thread and back cost a wake-up each, and on the 2-core benchmark machine
 * that was about 1 ms of p99 at 1,000 requests/s (A/B, three pairs, warm service: 2.70-3.15 ms on a worker,
 * 1.44-1.66 ms inline; p50 0.43 -> 0.33 ms). Parsing and predicting one request takes some tens of microseconds,
 * short enough for an event loop. A larger body (a batch call of up to {@code mlp.predictions.max-requests-per-call}
 * requests, milliseconds of parsing) goes to a worker thread, so it holds up no other connection's I/O.
 */
@Path("/predict")
public class PredictResource {

    /** Bodies up to this size are answered on the event loop; larger ones on a worker thread. */
    static final int INLINE_BODY_BYTES = 16 * 1024;

    @Inject
    PredictionService predictions;

    @Inject
    RecordFormats formats;

    @Inject
    ServiceConfig config;

    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "an answer, or an array of answers for an array of requests",
            content = @Content(schema = @Schema(oneOf = {Answer.class, Answer[].class})))
    @APIResponse(responseCode = "400", content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", content = @Content(schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", content = @Content(schema = @Schema(implementation = Problem.class)))
    public Uni<Response> predict(byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;   // no body: refused as undecodable, as an empty one
        Uni<Response> answered = Uni.createFrom().item(() -> answer(bytes));
        return bytes.length <= INLINE_BODY_BYTES ? answered
                : answered.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Response answer(byte[] body) {
        Requests read;
        try {
            read = read(formats.json(), new ByteArrayInputStream(body), config.predictions().maxRequestsPerCall());
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // not from a byte array; a parse error is a refusal, not this
        }
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
     * Reads and decodes a body from a stream of its bytes, in one pass
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
