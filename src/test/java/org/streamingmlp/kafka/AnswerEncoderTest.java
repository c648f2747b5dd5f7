package org.streamingmlp.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.streamingmlp.serving.Answer;

/**
 * The batch encoder writes every kind of answer byte for byte as the mapper writes it alone (the answers' JSON on
 * the predictions topic does not change), with the default writer and with the fast float writer the service's
 * mapper uses.
 */
class AnswerEncoderTest {

    private static List<Answer> answers() {
        return List.of(
                new Answer("r-5", 3, null, new float[] {0.1f, 1e-9f, 0.7f, 3.4028235e38f, 1.4e-45f, 0f, -0f}, 42),
                new Answer(null, 0, "T-shirt/top", new float[] {1f, Float.NaN}, Long.MAX_VALUE),
                new Answer("quote \" slash \\ \u00e9 \u20ac \n", 1, "dog \"x\"", new float[] {}, 0),
                new Answer("reg-1", 2.5f, null, null, 7),
                new Answer("reg-2", new float[] {-1.25f, 1e10f, 123456.79f}, null, null, 8),
                new Answer("other", 4.0d, null, null, 9));   // not a prediction type the encoder writes itself
    }

    @Test
    void everyAnswerIsWhatTheMapperWrites() throws Exception {
        ObjectMapper fast = new ObjectMapper();
        fast.getFactory().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER.mappedFeature());
        for (ObjectMapper mapper : List.of(new ObjectMapper(), fast)) {
            List<Answer> answers = new ArrayList<>(answers());
            answers.addAll(answers());   // a second round: nothing carried over between values
            List<byte[]> encoded = new AnswerEncoder(mapper).encode(answers);
            assertEquals(answers.size(), encoded.size());
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(new String(mapper.writeValueAsBytes(answers.get(i)), "UTF-8"),
                        new String(encoded.get(i), "UTF-8"), "answer " + i);
            }
        }
        assertEquals(List.of(), new AnswerEncoder(new ObjectMapper()).encode(List.of()));
    }
}
