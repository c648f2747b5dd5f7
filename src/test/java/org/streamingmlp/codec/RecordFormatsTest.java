package org.streamingmlp.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.RejectReason;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.InvalidRecordException;

class RecordFormatsTest {

    private final RecordFormats formats = new RecordFormats(new ObjectMapper(), 3, 4, LossKind.CROSS_ENTROPY, 200);

    @Test
    void jsonIsTheDefault() throws Exception {
        assertInstanceOf(JsonRecordDecoder.class, formats.decoderFor(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", " Application/JSON "})
    void namesJson(String contentType) throws Exception {
        assertInstanceOf(JsonRecordDecoder.class, formats.decoderFor(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/vnd.streaming-mlp.v1+binary", "application/VND.streaming-mlp.v1+binary;x=1"})
    void namesBinary(String contentType) throws Exception {
        assertInstanceOf(BinaryRecordDecoder.class, formats.decoderFor(contentType));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text/plain", "application/vnd.streaming-mlp.v2+binary", "application/avro"})
    void rejectsAnyOtherContentType(String contentType) {
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> formats.decoderFor(contentType));
        assertEquals(RejectReason.UNSUPPORTED_FORMAT, e.reason());
        assertEquals("unsupported-format", e.reason().code());
    }

    @Test
    void bothFormatsDecodeTheSameRequestToTheSameFeatures() throws Exception {
        float[] features = {0.25f, -3f, 1e-3f};
        PredictionRequest fromJson = formats.decoderFor(RecordFormats.JSON)
                .decodeRequest("{\"id\":\"r\",\"features\":[0.25,-3,0.001]}".getBytes());
        PredictionRequest fromBinary = formats.decoderFor(RecordFormats.BINARY)
                .decodeRequest(BinaryRecordEncoder.request("r", features));
        assertEquals(fromJson.id(), fromBinary.id());
        assertArrayEquals(fromJson.features(), fromBinary.features());
    }
}
