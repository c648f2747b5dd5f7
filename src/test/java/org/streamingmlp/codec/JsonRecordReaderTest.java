package org.streamingmlp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    /**
     * The fields beside a {@code features} array are the nodes the mapper's tree reader makes, class and value
     * alike (a string, an {@code int} and a null are made without it): ids, labels and weights of every JSON type and
     * size, with a plain mapper and with mappers that read integers as {@code long} or {@code BigInteger}.
     */
    @ParameterizedTest
    @MethodSource("scalarFields")
    void readsTheOtherFieldsAsTheTreeReaderDoes(String fields) throws IOException {
        String json = "{\"features\":[1,2,3]," + fields + "}";
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        for (ObjectMapper m : List.of(mapper,
                new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS),
                new ObjectMapper().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS))) {
            ObjectNode tree;
            try {
                tree = (ObjectNode) m.readTree(value);
            } catch (JsonProcessingException e) {   // a long-only mapper and a number beyond long: the same failure
                JsonProcessingException read = assertThrows(JsonProcessingException.class,
                        () -> JsonRecordReader.read(m, value, 3));
                assertEquals(e.getOriginalMessage(), read.getOriginalMessage(), json);
                continue;
            }
            tree.remove("features");
            JsonNode read = JsonRecordReader.read(m, value, 3).fields();
            assertEquals(tree, read, json);
            tree.fields().forEachRemaining(f -> assertEquals(f.getValue().getClass(), read.get(f.getKey()).getClass(),
                    json + " " + f.getKey()));
        }
    }

    static Stream<String> scalarFields() {
        return Stream.of("\"id\":\"e-1\",\"label\":3", "\"id\":\"\",\"label\":0", "\"id\":\"\\u00e9\\n\\\"\",\"label\":-1",
                "\"id\":7,\"label\":2147483647", "\"id\":-2147483648,\"label\":2147483648",
                "\"id\":12345678901234,\"label\":123456789012345678901234567890", "\"label\":3.0,\"weight\":1",
                "\"label\":1e2,\"weight\":0.5", "\"label\":-0,\"weight\":-0.0", "\"label\":true,\"weight\":false",
                "\"label\":null,\"weight\":null,\"id\":null", "\"label\":[0.5,1,\"x\"],\"weight\":{\"a\":1}",
                "\"label\":1,\"label\":\"cat\",\"id\":\"a\",\"id\":5", "\"extra\":[],\"label\":-7");
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

    /**
     * Numbers as people and tools write them, beyond what {@code Double.toString} prints: the reader converts them
     * with Jackson's fast double parser, and each feature must be bit for bit {@code (float) Double.parseDouble} of
     * its text (long mantissas past 17 digits, exponents near the ends of the range, pixel values as the benchmark
     * writes them, halfway cases between two floats).
     */
    @Test
    void convertsNumbersExactlyAsParseDouble() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 3_000; trial++) {
            String[] texts = new String[3];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = switch (random.nextInt(5)) {
                    case 0 -> String.format(java.util.Locale.ROOT, "%.4f", random.nextInt(256) / 255.0);
                    case 1 -> integer(random, 1 + random.nextInt(25)) + "." + digits(random, 1 + random.nextInt(25));
                    case 2 -> (random.nextBoolean() ? "-" : "") + integer(random, 1 + random.nextInt(18)) + "e"
                            + random.nextInt(-330, 310);
                    case 3 -> halfway(Float.intBitsToFloat(random.nextInt() & 0x7f7fffff), random.nextInt(3));
                    default -> Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL));
                };
            }
            byte[] value = ("{\"features\":[" + String.join(",", texts) + "]}").getBytes(StandardCharsets.UTF_8);
            float[] read = JsonRecordReader.read(mapper, value, texts.length).featureArray().values();
            float[] expected = new float[texts.length];
            for (int i = 0; i < texts.length; i++) {
                expected[i] = (float) Double.parseDouble(texts[i]);
            }
            assertArrayEquals(expected, read, String.join(",", texts));
        }
    }

    /** Exactly halfway between {@code f} and the next float up (side 0), or just above (1) or below (2) it. */
    private static String halfway(float f, int side) {
        java.math.BigDecimal ulp = new java.math.BigDecimal(Math.ulp(f));
        java.math.BigDecimal mid = new java.math.BigDecimal(f).add(ulp.divide(java.math.BigDecimal.valueOf(2)));
        java.math.BigDecimal nudge = ulp.divide(java.math.BigDecimal.valueOf(1L << 40));
        return (side == 0 ? mid : side == 1 ? mid.add(nudge) : mid.subtract(nudge)).toString();
    }

    /** A JSON integer part: no leading zero. */
    private static String integer(SplittableRandom random, int n) {
        return (char) ('1' + random.nextInt(9)) + digits(random, n - 1);
    }

    private static String digits(SplittableRandom random, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
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
