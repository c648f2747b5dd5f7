package org.streamingmlp.wiring;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * Numbers are read and written with Jackson's fast (and exact) double parser and writer. The service's JSON (answers, reports, events, {@code GET /model}) writes a number that has no value yet (a
 * {@code NaN} figure before the first evaluation, an infinite best before the first improvement) as {@code null}:
 * JSON has no such numbers, and a reader sees "no value" rather than a string where it expects a number.
 */
@Singleton
class JsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        // JSON records are mostly numbers (784 per Fashion-MNIST image): Jackson's FastDoubleParser reads them
        // several times faster than the JDK's parser, with the same results (both round correctly).
        mapper.getFactory().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
        mapper.getFactory().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
        SimpleModule module = new SimpleModule("non-finite-as-null");
        module.addSerializer(Double.class, new NonFiniteAsNull());
        module.addSerializer(double.class, new NonFiniteAsNull());
        mapper.registerModule(module);
    }

    private static final class NonFiniteAsNull extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator json, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                json.writeNumber(value);
            } else {
                json.writeNull();
            }
        }
    }
}
