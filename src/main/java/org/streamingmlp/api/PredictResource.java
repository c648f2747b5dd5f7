package org.streamingmlp.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.predict.Prediction;
import org.streamingmlp.predict.Predictor;
import org.streamingmlp.service.LearningService;
import org.streamingmlp.stream.InvalidRecordException;
import org.streamingmlp.stream.PredictionJson;
import org.streamingmlp.stream.PredictionRequest;

/**
 * {@code POST /predict}: one request object ({@code {"id": "r-1", "features": [...]}}, or named fields with a
 * feature schema) or an array of them.
 * Answers with one prediction object, or an array in the same order, in the predictions topic's format.
 * A bad request gets 400 with the same reason codes as the dead-letter topic.
 */
@Path("/predict")
public class PredictResource {

    @Inject
    LearningService learning;

    @Inject
    ObjectMapper mapper;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response predict(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            return badRequest("undecodable", "not JSON: " + e.getMessage(), -1);
        }
        boolean single = root != null && root.isObject();
        List<JsonNode> nodes = new ArrayList<>();
        if (single) {
            nodes.add(root);
        } else if (root != null && root.isArray()) {
            root.forEach(nodes::add);
        } else {
            return badRequest("undecodable", "expected a request object or an array of them", -1);
        }
        List<PredictionRequest> requests = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            try {
                requests.add(learning.formats().json().decodeRequest(nodes.get(i)));
            } catch (InvalidRecordException e) {
                return badRequest(e.reason().code(), e.getMessage(), single ? -1 : i);
            }
        }
        if (requests.isEmpty()) {
            return Response.ok(List.of()).build();
        }
        float[][] features = new float[requests.size()][];
        int[][] categories = new int[requests.size()][];
        for (int i = 0; i < features.length; i++) {
            features[i] = requests.get(i).features();
            categories[i] = requests.get(i).categories();
        }
        List<Prediction> predictions;
        try {
            predictions = learning.predictor().predict(features, categories);
        } catch (Predictor.NoModelYetException e) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(Map.of("error", e.getMessage())).build();
        }
        List<Map<String, Object>> answers = new ArrayList<>(predictions.size());
        for (int i = 0; i < predictions.size(); i++) {
            answers.add(PredictionJson.of(requests.get(i).id(), predictions.get(i), learning.classNames()));
        }
        return Response.ok(single ? answers.get(0) : answers).build();
    }

    private static Response badRequest(String reason, String detail, int index) {
        Map<String, Object> error = index < 0
                ? Map.of("reason", reason, "error", detail)
                : Map.of("reason", reason, "error", detail, "index", index);
        return Response.status(Response.Status.BAD_REQUEST).entity(error).build();
    }
}
