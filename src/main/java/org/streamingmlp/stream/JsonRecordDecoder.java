package org.streamingmlp.stream;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.nn.LossKind;
import org.streamingmlp.trainer.LabeledExample;
import org.streamingmlp.trainer.Label;

/**
 * Decodes and validates the JSON records of the input topics. Every check that keeps bad data away from
 * the model happens here; a failure names its {@link RejectReason}.
 * <pre>
 * training / validation: {"id": "e-17", "features": [0.1, 0.0, ...], "label": 3}
 * prediction request:    {"id": "r-5",  "features": [0.1, 0.0, ...]}
 * </pre>
 * The label is a class index for cross-entropy, focal and contrastive losses, and a number (one output) or
 * an array of {@code outputSize} numbers for the others; BCE-with-logits targets lie in [0, 1].
 */
public final class JsonRecordDecoder {

    private final ObjectMapper mapper;
    private final int inputSize;
    private final int outputSize;
    private final LossKind loss;
    private final int maxBytes;

    public JsonRecordDecoder(ObjectMapper mapper, int inputSize, int outputSize, LossKind loss, int maxBytes) {
        this.mapper = mapper;
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.loss = loss;
        this.maxBytes = maxBytes;
    }

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
        if (value == null) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "the record has no value");
        }
        if (value.length > maxBytes) {
            throw new InvalidRecordException(RejectReason.OVERSIZED,
                    "the value has " + value.length + " bytes, more than mlp.records.max-bytes=" + maxBytes);
        }
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
        if (node.size() != inputSize) {
            throw new InvalidRecordException(RejectReason.WRONG_FEATURE_COUNT,
                    "expected " + inputSize + " features (mlp.model.input-size), got " + node.size());
        }
        return numbers(node, "feature", RejectReason.NON_NUMERIC_FEATURE, RejectReason.NON_FINITE_FEATURE);
    }

    private Label label(JsonNode label) throws InvalidRecordException {
        return switch (loss) {
            case CROSS_ENTROPY, FOCAL, CONTRASTIVE -> classIndex(label);
            case BCE_WITH_LOGITS, MSE, L1, HUBER -> values(label);
        };
    }

    private Label classIndex(JsonNode label) throws InvalidRecordException {
        if (!label.isIntegralNumber() || !label.canConvertToInt()) {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL, "'label' must be an integer class index");
        }
        int index = label.intValue();
        // Contrastive labels only group examples; they index no output.
        int classes = loss == LossKind.CONTRASTIVE ? Integer.MAX_VALUE : outputSize;
        if (index < 0 || index >= classes) {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL,
                    "class " + index + " is outside [0, " + outputSize + ") (mlp.model.output-size)");
        }
        return new Label.ClassIndex(index);
    }

    private Label values(JsonNode label) throws InvalidRecordException {
        float[] values;
        if (label.isNumber() && outputSize == 1) {
            values = numbers(mapper.createArrayNode().add(label), "label", RejectReason.INVALID_LABEL,
                    RejectReason.NON_FINITE_LABEL);
        } else if (label.isArray() && label.size() == outputSize) {
            values = numbers(label, "label", RejectReason.INVALID_LABEL, RejectReason.NON_FINITE_LABEL);
        } else {
            throw new InvalidRecordException(RejectReason.INVALID_LABEL, "'label' must be "
                    + (outputSize == 1 ? "a number" : "an array of " + outputSize + " numbers")
                    + " (mlp.model.output-size)");
        }
        if (loss == LossKind.BCE_WITH_LOGITS) {
            for (float v : values) {
                if (v < 0 || v > 1) {
                    throw new InvalidRecordException(RejectReason.INVALID_LABEL,
                            "BCE-with-logits targets must lie in [0, 1], got " + v);
                }
            }
        }
        return new Label.Values(values);
    }

    private static float[] numbers(JsonNode array, String what, RejectReason notNumber, RejectReason notFinite)
            throws InvalidRecordException {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode n = array.get(i);
            if (!n.isNumber()) {
                throw new InvalidRecordException(notNumber, what + " " + i + " is not a number: " + n);
            }
            float f = (float) n.doubleValue();
            if (!Float.isFinite(f)) {
                throw new InvalidRecordException(notFinite, what + " " + i + " is not a finite float: " + n);
            }
            out[i] = f;
        }
        return out;
    }
}
