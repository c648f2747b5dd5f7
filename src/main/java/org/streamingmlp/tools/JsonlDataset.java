package org.streamingmlp.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One JSON record per line, in the topics' own format: {@code {"id": ..., "features": [...], "label": ...}} with a
 * class index or an array of target values as the label (none: a prediction request). Records are re-encoded, so
 * they can be sent in the binary encoding too; named features and weights are not read (send such files as they
 * are with any Kafka client).
 */
final class JsonlDataset implements Dataset {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<FeedExample> records;

    private JsonlDataset(List<FeedExample> records) {
        this.records = records;
    }

    static JsonlDataset read(Path file) throws IOException {
        List<FeedExample> records = new ArrayList<>();
        try (BufferedReader in = DataFiles.reader(file)) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    records.add(parse(JSON.readTree(line), file, lineNumber));
                }
            }
        }
        return new JsonlDataset(records);
    }

    private static FeedExample parse(JsonNode node, Path file, int line) throws IOException {
        JsonNode features = node.get("features");
        if (features == null || !features.isArray()) {
            throw new IOException(file + " line " + line + ": no \"features\" array");
        }
        float[] values = floats(features, file, line);
        String id = node.hasNonNull("id") ? node.get("id").asText() : "line-" + line;
        JsonNode label = node.get("label");
        if (label == null || label.isNull()) {
            return new FeedExample(id, values, -1, null);
        }
        if (label.isArray()) {
            return new FeedExample(id, values, -1, floats(label, file, line));
        }
        if (label.isIntegralNumber()) {
            return new FeedExample(id, values, label.asInt(), null);
        }
        if (label.isNumber()) {
            return new FeedExample(id, values, -1, new float[] {label.floatValue()});
        }
        throw new IOException(file + " line " + line + ": the label is neither a class index nor numbers: " + label);
    }

    private static float[] floats(JsonNode array, Path file, int line) throws IOException {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            if (!array.get(i).isNumber()) {
                throw new IOException(file + " line " + line + ": value " + i + " is not a number");
            }
            out[i] = array.get(i).floatValue();
        }
        return out;
    }

    @Override
    public int size() {
        return records.size();
    }

    @Override
    public FeedExample get(int index) {
        return records.get(index);
    }

    @Override
    public int featureCount() {
        return records.isEmpty() ? 0 : records.get(0).features().length;
    }
}
