package org.streamingmlp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.RejectReason;

/**
 * The single-pass reader of JSON records ({@link JsonRecordReader}) against the tree path
 * ({@link JsonRecordDecoder#decodeRequest(JsonNode)}): for every value, the same features or the same refusal, reason
 * and message alike. {@code api.PredictBodyTest} does the same for whole {@code POST /predict} bodies.
 */
class JsonRecordReaderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonRecordDecoder decoder = new JsonRecordDecoder(mapper, 3, 4, LossKind.CROSS_ENTROPY, 400);

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"id\":\"r\",\"features\":[0.5,-1,2e2]}",
        "{\"features\":[1,2,3],\"id\":7}",
        "{\"features\":[1,\"2\",3]}",
        "{\"features\":[1,2,null]}",
        "{\"features\":[[1],2,3]}",
        "{\"features\":[1,{\"a\":1},3]}",
        "{\"features\":[1,2]}",
        "{\"features\":[1,2,3,4]}",
        "{\"features\":[]}",
        "{\"features\":[1e39,2,3]}",
        "{\"features\":[1e400,2,3]}",
        "{\"features\":[123456789012345678901234567890,2,3]}",
        "{\"features\":[0.1,0.2,0.30000000000000004]}",
        "{\"features\":[1,2,3],\"features\":[4,5,6]}",
        "{\"features\":[1,2,3],\"features\":\"x\"}",
        "{\"features\":\"x\",\"features\":[1,2,3]}",
        "{\"features\":null}",
        "{\"features\":{\"a\":1}}",
        "{\"id\":null,\"features\":[1,2,3],\"label\":null}",
        "{\"id\":[1],\"features\":[1,2,3]}",
        "{\"features\":[1,2,3]} trailing",
        "{\"features\":[1,2,3]",
        "{\"features\":[1,2,",
        "{\"features\":[1,2,3],}",
        "[1,2,3]",
        "42",
        "\"text\"",
        "null",
        "",
        "   ",
        "{",
        "not json",
    })
    void decodesEveryValueAsTheTreeDoes(String json) {
        assertSameOutcome(json);
    }

    @Test
    void decodesRandomNumbersToTheSameFloats() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 2_000; trial++) {
            StringBuilder json = new StringBuilder("{\"features\":[");
            for (int i = 0; i < 3; i++) {
                double v = switch (random.nextInt(4)) {
                    case 0 -> random.nextDouble();
                    case 1 -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-40, 40));
                    case 2 -> random.nextInt(-1_000_000, 1_000_000);
                    default -> Float.intBitsToFloat(random.nextInt());
                };
                json.append(i == 0 ? "" : ",").append(Double.isFinite(v) ? Double.toString(v) : "0");
            }
            assertSameOutcome(json.append("]}").toString());
        }
    }

    private void assertSameOutcome(String json) {
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        Outcome streamed = outcome(() -> decoder.decodeRequest(value));
        Outcome tree = outcome(() -> decoder.decodeRequest(treeOf(value)));
        assertNotNull(streamed);
        assertEquals(tree.refusal(), streamed.refusal(), json);
        if (tree.request() != null) {
            assertArrayEquals(tree.request().features(), streamed.request().features(), json);
            assertEquals(tree.request().id(), streamed.request().id(), json);
        }
    }

    /** The tree the old single-record path parsed; a value that is not JSON fails the same way there. */
    private JsonNode treeOf(byte[] value) throws InvalidRecordException {
        try {
            JsonNode root = mapper.readTree(value);
            if (root == null || !root.isObject()) {
                throw new InvalidRecordException(RejectReason.UNDECODABLE,
                        "the value is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE,
                    "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE,
                    "not JSON: " + e.getMessage());
        }
    }

    private record Outcome(PredictionRequest request, String refusal) {
    }

    @FunctionalInterface
    private interface Decode {
        PredictionRequest run() throws InvalidRecordException;
    }

    private static Outcome outcome(Decode decode) {
        try {
            return new Outcome(decode.run(), null);
        } catch (InvalidRecordException e) {
            return new Outcome(null, e.reason() + ": " + e.getMessage());
        }
    }
}
