package org.streamingmlp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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

    /** Every shared record, and what only a Kafka record value can be: anything, not just an object. */
    static Stream<String> values() {
        return Stream.concat(JsonRecordCases.RECORDS.stream(), Stream.of(
                "{\"features\":[1,2,3]} trailing",
                "[1,2,3]",
                "42",
                "\"text\"",
                "null",
                "",
                "   ",
                "not json"));
    }

    @ParameterizedTest
    @MethodSource("values")
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
