package org.streamingmlp.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.streamingmlp.codec.JsonRecordCases;
import org.streamingmlp.codec.JsonRecordDecoder;
import org.streamingmlp.codec.RecordFormats;
import org.streamingmlp.codec.RecordRules;
import org.streamingmlp.codec.RecordSchema;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.ClassNames;
import org.streamingmlp.record.FeatureSchema;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.RejectReason;

/**
 * {@code POST /predict} bodies read in one pass from the request's stream ({@link PredictResource#read}) against the
 * path they took before: the whole body copied into a byte array, parsed into a tree, each request decoded from its
 * node ({@link #treePath}, the former resource code). For every body, the same requests (ids, features bit for bit,
 * categories) or the same refusal: status, reason, message and index alike, and the same unseen categories reported.
 */
class PredictBodyTest {

    private static final int LIMIT = 3;

    private final List<String> unseen = new ArrayList<>();

    /** As the service configures its mapper (wiring.JsonCustomizer): Jackson's fast double parser. */
    private static ObjectMapper serviceMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
        return mapper;
    }

    private final ObjectMapper mapper = serviceMapper();
    private final JsonRecordDecoder plain = new RecordFormats(mapper, 3, 4, LossKind.CROSS_ENTROPY, 400).json();
    private final JsonRecordDecoder named = new RecordFormats(mapper, new RecordRules(2, 3, LossKind.CROSS_ENTROPY,
            1000, new RecordSchema(new FeatureSchema(List.of("age", "income"), Map.of(
                    "color", new FeatureSchema.Categorical("color", List.of("red", "green", "blue"), 4))),
                    new ClassNames(List.of("cat", "dog", "bird"), 3), unseen::add))).json();


    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "null",
        "42",
        "\"text\"",
        "\"unterminated",
        "tru",
        "not json",
        "]",
        "[]",
        "[ ]",
        "[1]",
        "[null]",
        "[[{\"features\":[1,2,3]}]]",
        "[{\"features\":[1,2,3]},5]",
        "[{\"features\":[1,2,3]},\"unterminated",
        "[{\"features\":[1,2,3]},{\"features\":[1,2]}]",
        "[{\"features\":[1,2]},{\"features\":[1,2,3]}",
        "[{\"features\":[1,2,3]},]",
        "[{\"features\":[1,2,3]}",
        "[{\"features\":[1,2,3]}] trailing",
        "{\"features\":[1,2,3]} trailing",
        "{\"features\":[1,2,3]}{\"features\":[1,2,3]}",
        "[{\"id\":\"a\",\"features\":[1,2,3]},{\"id\":\"b\",\"features\":[4,5,6]},{\"id\":\"c\",\"features\":[7,8,9]}]",
        "[{\"features\":[1,2,3]},{\"features\":[1,2,3]},{\"features\":[1,2,3]},{\"features\":[1,2,3]}]",
        "[{\"features\":[1,2]},{\"features\":[1,2,3]},{\"features\":[1,2,3]},{\"features\":[1,2,3]}]",
        "[{\"features\":[1,2,3]},{\"features\":[1,2,3]},{\"features\":[1,2,3]},{\"features\":[1,2,3]},{]",
        "\uFEFF{\"features\":[1,2,3]}",
    })
    void readsEveryBodyAsTheTreeDid(String body) throws IOException {
        assertSameOutcome(plain, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryRecordAloneAndInArraysAsTheTreeDid() throws IOException {
        for (String record : JsonRecordCases.RECORDS) {
            assertSameOutcome(plain, bytes(record));
            assertSameOutcome(plain, bytes("[" + record + "]"));
            assertSameOutcome(plain, bytes("[{\"id\":\"ok\",\"features\":[1,2,3]}," + record + "]"));
            assertSameOutcome(plain, bytes("[" + record + ",{\"features\":[1,2,3]},{\"features\":[1,2,3]},{}]"));
        }
    }

    @Test
    void readsOtherEncodingsAndLongNumbersAsTheTreeDid() throws IOException {
        String record = "{\"id\":\"\u00e9\",\"features\":[1,2,3]}";
        assertSameOutcome(plain, record.getBytes(StandardCharsets.UTF_16BE));
        assertSameOutcome(plain, record.getBytes(StandardCharsets.UTF_16LE));
        assertSameOutcome(plain, ("[" + record + "]").getBytes(StandardCharsets.UTF_16));
        String digits = "1".repeat(1_001);
        assertSameOutcome(plain, bytes("{\"features\":[" + digits + ",2,3]}"));
        assertSameOutcome(plain, bytes("{\"features\":[1." + digits + ",2,3]}"));
        assertSameOutcome(plain, bytes("{\"features\":[1,2,3],\"id\":" + digits + "}"));
        assertSameOutcome(plain, bytes("[{\"features\":[1,2,3]}," + "[".repeat(2_000) + "]"));
    }

    @Test
    void readsNamedFeaturesAndReportsTheSameUnseenCategories() throws IOException {
        String[] bodies = {
            "{\"features\":{\"age\":31,\"income\":2.5,\"color\":\"green\"}}",
            "{\"features\":{\"age\":31,\"income\":2.5,\"color\":\"mauve\"}}",
            "[{\"features\":{\"age\":1,\"income\":2,\"color\":\"mauve\"}},{\"features\":{\"age\":1,\"income\":2}}]",
            "[{\"features\":{\"age\":1,\"income\":2,\"color\":\"teal\"}},{\"features\":{\"age\":\"x\",\"income\":2,"
                    + "\"color\":\"red\"}}]",
            "{\"features\":[1,2]}",
            "{\"features\":{\"age\":1,\"income\":2,\"color\":7}}",
        };
        for (String body : bodies) {
            assertSameOutcome(named, bytes(body));
        }
    }

    @Test
    void readsRandomNumbersToTheSameFloats() throws IOException {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 500; trial++) {
            StringBuilder json = new StringBuilder("[");
            for (int r = 0; r < 1 + random.nextInt(LIMIT); r++) {
                json.append(r == 0 ? "" : ",").append("{\"id\":").append(trial).append(",\"features\":[");
                for (int i = 0; i < 3; i++) {
                    double v = switch (random.nextInt(4)) {
                        case 0 -> random.nextDouble();
                        case 1 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-40, 40));
                        case 2 -> random.nextInt(-1_000_000, 1_000_000);
                        default -> Float.intBitsToFloat(random.nextInt());
                    };
                    json.append(i == 0 ? "" : ",").append(Double.isFinite(v) ? Double.toString(v) : "0");
                }
                json.append("]}");
            }
            String body = json.append("]").toString();
            assertSameOutcome(plain, bytes(body));
            assertSameOutcome(plain, bytes(body.substring(1, body.indexOf('}') + 1)));
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void assertSameOutcome(JsonRecordDecoder decoder, byte[] body) throws IOException {
        String what = new String(body, StandardCharsets.UTF_8);
        unseen.clear();
        PredictResource.Requests before = treePath(decoder, body, LIMIT);
        List<String> unseenBefore = List.copyOf(unseen);
        unseen.clear();
        PredictResource.Requests now = PredictResource.read(decoder, new ByteArrayInputStream(body), LIMIT);
        assertNotNull(now, what);
        assertEquals(before.status(), now.status(), what);
        assertEquals(before.refusal(), now.refusal(), what);
        assertEquals(unseenBefore, unseen, what);
        if (before.requests() == null) {
            assertEquals(null, now.requests(), what);
            return;
        }
        assertEquals(before.single(), now.single(), what);
        assertEquals(before.requests().size(), now.requests().size(), what);
        for (int i = 0; i < before.requests().size(); i++) {
            PredictionRequest a = before.requests().get(i);
            PredictionRequest b = now.requests().get(i);
            assertEquals(a.id(), b.id(), what);
            assertArrayEquals(a.features(), b.features(), what);
            assertArrayEquals(a.categories(), b.categories(), what);
        }
    }

    /** The former {@code PredictResource.predict} up to the forward pass: a byte array, a tree, a node per request. */
    private PredictResource.Requests treePath(JsonRecordDecoder decoder, byte[] body, int limit) throws IOException {
        byte[] copied = new ByteArrayInputStream(body).readAllBytes();
        JsonNode root;
        try {
            root = mapper.readTree(copied);
        } catch (IOException e) {
            return refused(Response.Status.BAD_REQUEST, RejectReason.UNDECODABLE, "not JSON: " + e.getMessage(), null);
        }
        boolean single = root != null && root.isObject();
        List<JsonNode> nodes = new ArrayList<>();
        if (single) {
            nodes.add(root);
        } else if (root != null && root.isArray()) {
            if (root.size() > limit) {
                return refused(Response.Status.REQUEST_ENTITY_TOO_LARGE, RejectReason.TOO_MANY_REQUESTS, root.size()
                        + " requests in one call, more than mlp.predictions.max-requests-per-call=" + limit, null);
            }
            root.forEach(nodes::add);
        } else {
            return refused(Response.Status.BAD_REQUEST, RejectReason.UNDECODABLE,
                    "expected a request object or an array of them", null);
        }
        List<PredictionRequest> requests = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            try {
                requests.add(decoder.decodeRequest(nodes.get(i)));
            } catch (InvalidRecordException e) {
                return refused(Response.Status.BAD_REQUEST, e.reason(), e.getMessage(), single ? null : i);
            }
        }
        return new PredictResource.Requests(requests, single, null, null);
    }

    private static PredictResource.Requests refused(Response.Status status, RejectReason reason, String detail,
                                                    Integer index) {
        return PredictResource.Requests.refused(status, new Problem(reason.code(), detail, index));
    }

    /** An exception from the stream (a client gone, a body over the size limit) is not a parse error: it propagates. */
    @Test
    void aFailingStreamIsNotABadRequest() {
        InputStream failing = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent < 20) {
                    return "[{\"features\":[1,2,3".charAt(Math.min(sent++, 18));
                }
                throw new IOException("Request too large");
            }
        };
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> PredictResource.read(plain, failing, LIMIT));
        assertEquals("Request too large", e.getMessage());
    }
}
