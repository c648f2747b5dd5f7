package org.streamingmlp.stream;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.nn.LossKind;
import org.streamingmlp.trainer.LabeledExample;
import org.streamingmlp.trainer.Label;

/**
 * Decodes the JSON records of the input topics (content type {@code application/json}, the default). This class
 * only reads JSON; the checks that keep bad data away from the model are the shared {@link RecordValidator}'s,
 * and a failure names its {@link RejectReason}.
 * <pre>
 * training / validation: {"id": "e-17", "features": [0.1, 0.0, ...], "label": 3}
 * prediction request:    {"id": "r-5",  "features": [0.1, 0.0, ...]}
 * </pre>
 * The label is a class index for cross-entropy, focal and contrastive losses, and a number (one output) or
 * an array of {@code outputSize} numbers for the others; BCE-with-logits targets lie in [0, 1].
 */
public final class JsonRecordDecoder implements RecordDecoder {

    private final ObjectMapper mapper;
    private final RecordValidator validator;

    public JsonRecordDecoder(ObjectMapper mapper, int inputSize, int outputSize, LossKind loss, int maxBytes) {
        this(mapper, new RecordValidator(inputSize, outputSize, loss, maxBytes));
    }

    JsonRecordDecoder(ObjectMapper mapper, RecordValidator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    @Override
    public LabeledExample decodeExample(byte[] value) throws InvalidRecordException {
        JsonNode root = parse(value);
        String id = id(root);
        float[] features = features(root);
        JsonNode label = root.get("label");
        if (label == null || label.isNull()) {
            throw new InvalidRecordException(RejectReason.MISSING_LABEL, "the record has no 'label' field");
        }
        return new LabeledExample(id, features, label(label));
    }

    @Override
    public PredictionRequest decodeRequest(byte[] value) throws InvalidRecordException {
        return decodeRequest(parse(value));
    }

    /** Decodes one request object that is already parsed (the REST API takes arrays of them). */
    public PredictionRequest decodeRequest(JsonNode root) throws InvalidRecordException {
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "a prediction request must be a JSON object");
        }
        return new PredictionRequest(id(root), features(root));
    }

    private JsonNode parse(byte[] value) throws InvalidRecordException {
        validator.checkValue(value);
        JsonNode root;
        try {
            root = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "the value is not a JSON object");
        }
        return root;
    }

    private static String id(JsonNode root) throws InvalidRecordException {
        JsonNode id = root.get("id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            throw new InvalidRecordException(RejectReason.INVALID_ID, "'id' must be a string or an integer");
        }
        return id.asText();
    }

    private float[] features(JsonNode root) throws InvalidRecordException {
        JsonNode node = root.get("features");
        if (node == null || !node.isArray()) {
            throw new InvalidRecordException(RejectReason.MISSING_FEATURES, "'features' must be an array of numbers");
        }
        validator.checkFeatureCount(node.size());
        return validator.features(numbers(node, "feature", RejectReason.NON_NUMERIC_FEATURE));
    }

    private Label label(JsonNode label) throws InvalidRecordException {
        if (validator.takesClassIndex()) {
            if (!label.isIntegralNumber() || !label.canConvertToInt()) {
                throw new InvalidRecordException(RejectReason.INVALID_LABEL, "'label' must be an integer class index");
            }
            return validator.classIndex(label.intValue());
        }
        if (label.isNumber()) {
            return validator.values(new float[] {(float) label.doubleValue()});
        }
        if (label.isArray()) {
            return validator.values(numbers(label, "label", RejectReason.INVALID_LABEL));
        }
        throw new InvalidRecordException(RejectReason.INVALID_LABEL, "'label' must be "
                + (validator.outputSize() == 1 ? "a number" : "an array of " + validator.outputSize() + " numbers")
                + " (mlp.model.output-size)");
    }

    /** The array's numbers as floats (a double beyond float range becomes infinite, which the validator rejects). */
    private static float[] numbers(JsonNode array, String what, RejectReason notNumber) throws InvalidRecordException {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = array.get(i);
            if (!n.isNumber()) {
                throw new InvalidRecordException(notNumber, what + " " + i + " is not a number: " + n);
            }
            out[i] = (float) n.doubleValue();
        }
        return out;
    }
}
