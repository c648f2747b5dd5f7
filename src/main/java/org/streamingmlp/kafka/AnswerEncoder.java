package org.streamingmlp.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.serving.Answer;

/**
 * Encodes a batch's answers as JSON, one value per answer, byte for byte what {@code mapper.writeValueAsBytes(answer)}
 * writes ({@link Answer}'s field order and inclusion rules), through one generator of the mapper for the whole batch.
 * Serialising answers one by one with the mapper built a generator, a serializer provider and a bean walk per answer,
 * a fifth of the prediction worker's samples in a flight recording of the Kafka benchmark (issue #9), as much as the
 * floats' digits themselves. A prediction of a type the encoder does not know goes through the mapper. Byte for byte
 * holds because the generator comes from the mapper (Jackson applies the mapper's serialization features to it) and
 * no custom serializer is registered for Float, Integer or float[] (the service's customizer changes only Double's);
 * {@code AnswerEncoderTest} compares both for every kind of answer.
 * Not thread-safe: one per batch.
 */
final class AnswerEncoder {

    private final ObjectMapper mapper;

    AnswerEncoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The answers' JSON values, in order. */
    List<byte[]> encode(List<Answer> answers) throws IOException {
        List<byte[]> out = new ArrayList<>(answers.size());
        if (answers.isEmpty()) {
            return out;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        try (JsonGenerator json = mapper.createGenerator(buffer, JsonEncoding.UTF8)) {
            json.setRootValueSeparator(null);   // each answer is a value of its own
            for (Answer answer : answers) {
                if (!write(json, answer)) {
                    json.flush();
                    buffer.reset();
                    out.add(mapper.writeValueAsBytes(answer));
                    continue;
                }
                json.flush();
                out.add(buffer.toByteArray());
                buffer.reset();
            }
        }
        return out;
    }

    /** Writes {@code answer}, or nothing and false when its prediction is of a type this class does not write. */
    private static boolean write(JsonGenerator json, Answer answer) throws IOException {
        Object prediction = answer.prediction();
        if (!(prediction instanceof Integer || prediction instanceof Float || prediction instanceof float[])) {
            return false;
        }
        json.writeStartObject();
        json.writeFieldName("id");
        if (answer.id() == null) {
            json.writeNull();
        } else {
            json.writeString(answer.id());
        }
        json.writeFieldName("prediction");
        if (prediction instanceof Integer i) {
            json.writeNumber(i);
        } else if (prediction instanceof Float f) {
            json.writeNumber(f);
        } else {
            floats(json, (float[]) prediction);
        }
        if (answer.className() != null) {
            json.writeStringField("className", answer.className());
        }
        if (answer.probabilities() != null) {
            json.writeFieldName("probabilities");
            floats(json, answer.probabilities());
        }
        json.writeNumberField("modelVersion", answer.modelVersion());
        json.writeEndObject();
        return true;
    }

    private static void floats(JsonGenerator json, float[] values) throws IOException {
        json.writeStartArray(values, values.length);
        for (float v : values) {
            json.writeNumber(v);
        }
        json.writeEndArray();
    }
}
