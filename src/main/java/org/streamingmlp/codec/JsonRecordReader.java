package org.streamingmlp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one JSON record in a single pass, its {@code features} array straight into floats. A tree
 * ({@code ObjectMapper.readTree}) makes one node object per number, 784 per Fashion-MNIST image, and that was most
 * of the JSON decoding time; every other field is still read as a tree, so {@link JsonRecordDecoder} checks the
 * record the same way whichever path read it. A value that is not an object is read as a tree too (the decoder
 * then names what is wrong with it exactly as before).
 *
 * <p>{@link #readBody} reads a {@code POST /predict} body the same way, in one pass from a stream of its bytes: one
 * record, or an array of them, each record as {@link #read} reads one.
 *
 * <p>Numbers are converted by Jackson's fast double parser ({@link StreamReadFeature#USE_FAST_DOUBLE_PARSER},
 * FastDoubleParser), enabled on each parser made here and not on the shared mapper: like
 * {@code Double.parseDouble} it returns the correctly rounded double, so every feature is bit for bit what it was,
 * while a 784-feature Fashion-MNIST record is read in about 15 instead of 19-20 us (half of that reading the 784
 * number tokens themselves). {@code JsonRecordReaderTest} compares the two conversions. Over 10,000 distinct
 * records ({@code bench.ExampleDecodeCost}) a training record takes ~18.5 us: ~11.4 tokenizing the numbers,
 * ~5 converting them, ~2 the rest (bench/README.md, "Where the JSON path's CPU goes").
 */
final class JsonRecordReader {

    private JsonRecordReader() {
    }

    /**
     * A parsed record.
     *
     * @param fields       the record's fields; without {@code features} when that was an array
     * @param featureArray the {@code features} array read into numbers, or null when it was not an array
     */
    record Parsed(JsonNode fields, NumberArray featureArray) {
    }

    /**
     * An array's elements as floats (a double beyond float range becomes infinite, as {@code (float)} makes it),
     * and the first element that is not a number, if any.
     *
     * @param firstNonNumber index of the first element that is not a number, or -1
     * @param nonNumber      that element as JSON text (as a tree node prints it), or null
     */
    record NumberArray(float[] values, int firstNonNumber, String nonNumber) {
        int size() {
            return values.length;
        }
    }

    /**
     * A body of one record or an array of records.
     *
     * @param records the records in order; an array element that is not an object is kept as its tree
     *                ({@link NullNode} for {@code null}), for the decoder to refuse
     * @param single  true when the body was one object, false when it was an array
     */
    record Body(List<Parsed> records, boolean single) {
    }

    /**
     * The record, or an exception from the parser for a value that is not JSON. {@code expected} is the number of
     * features a valid record has: the array they are read into starts at that size, so a valid record's features
     * are read without a copy (any other count works too, it only costs copies).
     */
    static Parsed read(ObjectMapper mapper, byte[] value, int expected) throws IOException {
        try (JsonParser parser = fastNumbers(mapper.createParser(value))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Parsed(mapper.readTree(value), null);   // not an object: the decoder says why
            }
            return object(mapper, parser, expected);
        }
    }

    /**
     * A body of one record or an array of records, read in one pass from {@code in}; null when the body is
     * neither an object nor an array (empty, or another JSON value). The body's JSON value is read whole, as
     * {@code ObjectMapper.readTree} reads it, so a body that is not JSON fails with the parser's own exception at
     * the same place; what follows the value is not read, as {@code readTree} does not read it.
     */
    static Body readBody(ObjectMapper mapper, InputStream in, int expected) throws IOException {
        try (JsonParser parser = fastNumbers(mapper.createParser(in))) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                return new Body(List.of(object(mapper, parser, expected)), true);
            }
            if (first != JsonToken.START_ARRAY) {
                if (first != null) {
                    parser.readValueAsTree();   // a scalar: the tree reader would read (and check) it whole
                }
                return null;
            }
            List<Parsed> records = new ArrayList<>();
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw new JsonEOFException(parser, null, "unexpected end of input in the array of requests");
                }
                if (token == JsonToken.START_OBJECT) {
                    records.add(object(mapper, parser, expected));
                } else {
                    JsonNode element = token == JsonToken.VALUE_NULL ? NullNode.getInstance()
                            : parser.readValueAsTree();
                    records.add(new Parsed(element, null));
                }
            }
            return new Body(records, false);
        }
    }

    /** {@code parser}, converting numbers with the fast double parser (the same doubles, faster). */
    static JsonParser fastNumbers(JsonParser parser) {
        return parser.enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
    }

    /** The object whose {@code START_OBJECT} the parser is at, read to its end. */
    private static Parsed object(ObjectMapper mapper, JsonParser parser, int expected) throws IOException {
        ObjectNode fields = mapper.createObjectNode();
        NumberArray features = null;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            if (name.equals("features") && token == JsonToken.START_ARRAY) {
                features = numbers(parser, expected);
                fields.remove(name);   // a repeated field: the last one counts, as in a tree
            } else {
                fields.set(name, value(mapper, parser, token, fields));
                if (name.equals("features")) {
                    features = null;
                }
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            parser.nextToken();   // provokes the parser's own error for truncated input
        }
        return new Parsed(fields, features);
    }

    /**
     * The value the parser is at, as the mapper's tree reader ({@code readValueAsTree}) makes it: a null, a string or
     * an {@code int} (the usual {@code id} and {@code label}) directly, as that reader makes them; anything else by
     * that reader, which costs a deserialization context per value.
     */
    private static JsonNode value(ObjectMapper mapper, JsonParser parser, JsonToken token, ObjectNode fields)
            throws IOException {
        switch (token) {
            case VALUE_NULL:
                return fields.nullNode();
            case VALUE_STRING:
                return fields.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                if (parser.getNumberType() == JsonParser.NumberType.INT
                        && !mapper.isEnabled(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                        && !mapper.isEnabled(DeserializationFeature.USE_LONG_FOR_INTS)) {
                    return fields.numberNode(parser.getIntValue());
                }
                return parser.readValueAsTree();
            default:
                return parser.readValueAsTree();
        }
    }

    private static NumberArray numbers(JsonParser parser, int expected) throws IOException {
        float[] values = new float[Math.max(expected, 1)];
        int count = 0;
        int firstNonNumber = -1;
        String nonNumber = null;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new JsonEOFException(parser, null, "unexpected end of input in the features array");
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            if (token.isNumeric()) {
                values[count] = (float) parser.getDoubleValue();
            } else {
                JsonNode element = parser.readValueAsTree();
                if (firstNonNumber < 0) {
                    firstNonNumber = count;
                    nonNumber = element == null ? "null" : element.toString();
                }
            }
            count++;
        }
        return new NumberArray(count == values.length ? values : Arrays.copyOf(values, count), firstNonNumber,
                nonNumber);
    }
}
