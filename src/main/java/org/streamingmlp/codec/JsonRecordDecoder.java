package org.streamingmlp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.streamingmlp.nn.CategoricalField;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.LabeledExample;
import org.streamingmlp.record.Label;
import org.streamingmlp.record.RejectReason;
import org.streamingmlp.record.PredictionRequest;
import org.streamingmlp.record.InvalidRecordException;
import org.streamingmlp.record.FeatureSchema;

/**
 * Decodes the JSON records of the input topics (content type {@code application/json}, the default). This class
 * only reads JSON; the checks that keep bad data away from the model are the shared {@link RecordValidator}'s,
 * and a failure names its {@link RejectReason}.
 * <pre>
 * training / validation: {"id": "e-17", "features": [0.1, 0.0, ...], "label": 3}
 * prediction request:    {"id": "r-5",  "features": [0.1, 0.0, ...]}
 * </pre>
 * The label is a class index for cross-entropy, focal and contrastive losses (or a class name when
 * {@code mlp.model.class-names} is set), and a number (one output) or an array of {@code outputSize} numbers for
 * the others; BCE-with-logits targets lie in [0, 1]. An optional {@code "weight"} (finite, >= 0, default 1) weighs
 * a training example; requests ignore it.
 * <p>
 * With a {@link FeatureSchema}, {@code features} is an object of named fields,
 * {@code {"age": 31, "income": 2.5, "color": "green"}}: every numeric field a number, every categorical field a
 * string (a value the schema does not list becomes the unseen index 0); fields the schema does not name are
 * ignored. An array is then accepted only if the schema has no categorical field (numbers in the schema's order).
 */
public final class JsonRecordDecoder implements RecordDecoder {

    private static final String NOT_AN_OBJECT = "a prediction request must be a JSON object";

    private final ObjectMapper mapper;
    private final RecordValidator validator;

    public JsonRecordDecoder(ObjectMapper mapper, int inputSize, int outputSize, LossKind loss, int maxBytes) {
        this(mapper, new RecordValidator(new RecordRules(inputSize, outputSize, loss, maxBytes)));
    }

    JsonRecordDecoder(ObjectMapper mapper, RecordValidator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    @Override
    public LabeledExample decodeExample(byte[] value) throws InvalidRecordException {
        JsonRecordReader.Parsed parsed = parse(value);
        JsonNode root = parsed.fields();
        String id = id(root);
        Features features = features(parsed);
        JsonNode label = root.get("label");
        if (label == null || label.isNull()) {
            throw new InvalidRecordException(RejectReason.MISSING_LABEL, "the record has no 'label' field");
        }
        LabeledExample example = new LabeledExample(id, features.numeric, label(label), features.categories,
                weight(root));
        features.reportUnseen(validator.schema());
        return example;
    }

    @Override
    public PredictionRequest decodeRequest(byte[] value) throws InvalidRecordException {
        return decodeRequest(parse(value));
    }

    /** Decodes one request object that is already parsed into a tree. */
    public PredictionRequest decodeRequest(JsonNode root) throws InvalidRecordException {
        if (root == null || !root.isObject()) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, NOT_AN_OBJECT);
        }
        return decodeRequest(new JsonRecordReader.Parsed(root, null));
    }

    /**
     * Reads a {@code POST /predict} body in one pass from {@code body}: one request object, or an array of them,
     * each {@code features} array straight into floats (no tree of one node per number, no copy of the whole body).
     * Reading only parses; {@link RequestBody#request} decodes and checks each request as
     * {@link #decodeRequest(JsonNode)} does the same object.
     *
     * @return the requests, or null when the body is neither an object nor an array (empty, or another value)
     * @throws JsonProcessingException when the body is not JSON (the same exception, at the same place, as
     *                                 {@code ObjectMapper.readTree} of the body)
     * @throws IOException             when the stream cannot be read
     */
    public RequestBody readRequests(InputStream body) throws IOException {
        JsonRecordReader.Body read = JsonRecordReader.readBody(mapper, body, validator.inputSize());
        return read == null ? null : new RequestBody(read);
    }

    /** The requests of one {@code POST /predict} body, parsed, each decoded when asked for. */
    public final class RequestBody {
        private final JsonRecordReader.Body body;

        private RequestBody(JsonRecordReader.Body body) {
            this.body = body;
        }

        /** True when the body was one request object, false when it was an array (of any length). */
        public boolean single() {
            return body.single();
        }

        /** Number of requests (array elements). */
        public int size() {
            return body.records().size();
        }

        /** Request {@code i}, decoded and checked; an element that is not an object is refused as such. */
        public PredictionRequest request(int i) throws InvalidRecordException {
            JsonRecordReader.Parsed parsed = body.records().get(i);
            if (parsed.fields() == null || !parsed.fields().isObject()) {
                throw new InvalidRecordException(RejectReason.UNDECODABLE, NOT_AN_OBJECT);
            }
            return decodeRequest(parsed);
        }
    }

    private PredictionRequest decodeRequest(JsonRecordReader.Parsed parsed) throws InvalidRecordException {
        String id = id(parsed.fields());
        Features features = features(parsed);
        features.reportUnseen(validator.schema());
        return new PredictionRequest(id, features.numeric, features.categories);
    }

    private JsonRecordReader.Parsed parse(byte[] value) throws InvalidRecordException {
        validator.checkValue(value);
        JsonRecordReader.Parsed parsed;
        try {
            parsed = JsonRecordReader.read(mapper, value, validator.inputSize());
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "not JSON: " + e.getMessage());
        }
        if (parsed.fields() == null || !parsed.fields().isObject()) {
            throw new InvalidRecordException(RejectReason.UNDECODABLE, "the value is not a JSON object");
        }
        return parsed;
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

    /** Decoded features; {@code unseen} names the categorical fields whose value the schema does not list. */
    private record Features(float[] numeric, int[] categories, List<String> unseen) {
        void reportUnseen(RecordSchema schema) {
            unseen.forEach(schema.unseenCategory());
        }
    }

    private Features features(JsonRecordReader.Parsed parsed) throws InvalidRecordException {
        if (parsed.featureArray() != null) {
            return arrayFeatures(parsed.featureArray());
        }
        JsonNode node = parsed.fields().get("features");
        FeatureSchema schema = validator.schema().features();
        if (schema != null && node != null && node.isObject()) {
            return namedFeatures(node, schema);
        }
        if (node == null || !node.isArray() || (schema != null && schema.hasCategorical())) {
            throw new InvalidRecordException(RejectReason.MISSING_FEATURES, schema == null
                    ? "'features' must be an array of numbers"
                    : "'features' must be an object with the fields " + fieldNames(schema)
                            + (schema.hasCategorical() ? "" : ", or an array of numbers in that order"));
        }
        validator.checkFeatureCount(node.size());
        float[] numeric = validator.features(numbers(node, "feature", RejectReason.NON_NUMERIC_FEATURE));
        return new Features(numeric, new int[0], List.of());
    }

    /** Features read as an array while parsing: the same checks, in the same order, as for an array node. */
    private Features arrayFeatures(JsonRecordReader.NumberArray array) throws InvalidRecordException {
        FeatureSchema schema = validator.schema().features();
        if (schema != null && schema.hasCategorical()) {
            throw new InvalidRecordException(RejectReason.MISSING_FEATURES,
                    "'features' must be an object with the fields " + fieldNames(schema));
        }
        validator.checkFeatureCount(array.size());
        if (array.firstNonNumber() >= 0) {
            throw new InvalidRecordException(RejectReason.NON_NUMERIC_FEATURE, "feature " + array.firstNonNumber()
                    + " is not a number: " + array.nonNumber());
        }
        return new Features(validator.features(array.values()), new int[0], List.of());
    }

    private Features namedFeatures(JsonNode node, FeatureSchema schema) throws InvalidRecordException {
        float[] numeric = new float[schema.numeric().size()];
        for (int j = 0; j < numeric.length; j++) {
            String name = schema.numeric().get(j);
            JsonNode v = field(node, name);
            if (!v.isNumber()) {
                throw new InvalidRecordException(RejectReason.NON_NUMERIC_FEATURE,
                        "feature '" + name + "' is not a number: " + v);
            }
            numeric[j] = (float) v.doubleValue();
        }
        validator.features(numeric);
        List<FeatureSchema.Categorical> fields = schema.categorical();
        int[] categories = new int[fields.size()];
        List<String> unseen = new ArrayList<>(0);
        for (int k = 0; k < categories.length; k++) {
            String name = fields.get(k).name();
            JsonNode v = field(node, name);
            if (!v.isTextual()) {
                throw new InvalidRecordException(RejectReason.INVALID_CATEGORY,
                        "categorical feature '" + name + "' must be a string, got " + v);
            }
            categories[k] = schema.index(k, v.textValue());
            if (categories[k] == CategoricalField.UNSEEN) {
                unseen.add(name);
            }
        }
        return new Features(numeric, categories, unseen);
    }

    private static JsonNode field(JsonNode features, String name) throws InvalidRecordException {
        JsonNode v = features.get(name);
        if (v == null || v.isNull()) {
            throw new InvalidRecordException(RejectReason.MISSING_FEATURE, "'features' has no field '" + name + "'");
        }
        return v;
    }

    private static List<String> fieldNames(FeatureSchema schema) {
        List<String> names = new ArrayList<>(schema.numeric());
        schema.categorical().forEach(c -> names.add(c.name()));
        return names;
    }

    private float weight(JsonNode root) throws InvalidRecordException {
        JsonNode weight = root.get("weight");
        if (weight == null || weight.isNull()) {
            return 1f;
        }
        if (!weight.isNumber()) {
            throw new InvalidRecordException(RejectReason.INVALID_WEIGHT, "'weight' must be a number, got " + weight);
        }
        return validator.weight(weight.doubleValue());
    }

    private Label label(JsonNode label) throws InvalidRecordException {
        if (label.isTextual() && validator.takesClassIndex()) {
            return validator.className(label.textValue());
        }
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
