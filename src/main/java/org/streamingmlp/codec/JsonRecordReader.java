package org.streamingmlp.codec;

import java.io.IOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one JSON record in a single pass, its {@code features} array straight into floats. A tree
 * ({@code ObjectMapper.readTree}) makes one node object per number, 784 per Fashion-MNIST image, and that was most
 * of the JSON decoding time; every other field is still read as a tree, so {@link JsonRecordDecoder} checks the
 * record the same way whichever path read it. A value that is not an object is read as a tree too (the decoder
 * then names what is wrong with it exactly as before).
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

    /** The record, or an exception from the parser for a value that is not JSON. */
    static Parsed read(ObjectMapper mapper, byte[] value) throws IOException {
        try (JsonParser parser = mapper.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Parsed(mapper.readTree(value), null);   // not an object: the decoder says why
            }
            ObjectNode fields = mapper.createObjectNode();
            NumberArray features = null;
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if (name.equals("features") && token == JsonToken.START_ARRAY) {
                    features = numbers(parser);
                    fields.remove(name);   // a repeated field: the last one counts, as in a tree
                } else {
                    fields.set(name, token == JsonToken.VALUE_NULL ? fields.nullNode() : parser.readValueAsTree());
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
    }

    private static NumberArray numbers(JsonParser parser) throws IOException {
        float[] values = new float[1024];
        int count = 0;
        int firstNonNumber = -1;
        String nonNumber = null;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new IOException("unexpected end of input in the features array");
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
        return new NumberArray(Arrays.copyOf(values, count), firstNonNumber, nonNumber);
    }
}
