package org.streamingmlp.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file with a header line: every column is a numeric feature except the label column (a class index; absent
 * from the header: the records are unlabelled prediction requests) and an optional id column. Plain
 * comma-separated numbers; quoted fields are not supported (numbers need none).
 */
final class CsvDataset implements Dataset {

    private final String[] ids;
    private final float[][] features;
    private final int[] labels;

    private CsvDataset(String[] ids, float[][] features, int[] labels) {
        this.ids = ids;
        this.features = features;
        this.labels = labels;
    }

    static CsvDataset read(Path file, String labelColumn, String idColumn) throws IOException {
        try (BufferedReader in = DataFiles.reader(file)) {
            String headerLine = in.readLine();
            if (headerLine == null) {
                throw new IOException(file + " is empty: a CSV file needs a header line");
            }
            List<String> header = Arrays.stream(headerLine.split(",", -1)).map(String::strip).toList();
            int label = header.indexOf(labelColumn);
            int id = idColumn == null ? -1 : header.indexOf(idColumn);
            if (idColumn != null && id < 0) {
                throw new IOException(file + " has no id column '" + idColumn + "' (header: " + header + ")");
            }
            int featureCount = header.size() - (label >= 0 ? 1 : 0) - (id >= 0 ? 1 : 0);
            List<String> idList = new ArrayList<>();
            List<float[]> rows = new ArrayList<>();
            List<Integer> labelList = new ArrayList<>();
            String line;
            int lineNumber = 1;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != header.size()) {
                    throw new IOException(file + " line " + lineNumber + ": " + cells.length + " fields, the header has "
                            + header.size());
                }
                float[] row = new float[featureCount];
                int f = 0;
                for (int c = 0; c < cells.length; c++) {
                    if (c == label || c == id) {
                        continue;
                    }
                    row[f++] = number(cells[c], file, lineNumber, header.get(c));
                }
                rows.add(row);
                idList.add(id >= 0 ? cells[id].strip() : "row-" + (lineNumber - 1));
                labelList.add(label >= 0 ? classIndex(cells[label], file, lineNumber) : -1);
            }
            return new CsvDataset(idList.toArray(String[]::new), rows.toArray(float[][]::new),
                    labelList.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private static float number(String cell, Path file, int line, String column) throws IOException {
        try {
            return Float.parseFloat(cell.strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + " line " + line + ": column '" + column + "' is not a number: " + cell);
        }
    }

    private static int classIndex(String cell, Path file, int line) throws IOException {
        try {
            return Integer.parseInt(cell.strip());
        } catch (NumberFormatException e) {
            throw new IOException(file + " line " + line + ": the label is not a class index: " + cell);
        }
    }

    @Override
    public int size() {
        return features.length;
    }

    @Override
    public FeedExample get(int index) {
        return new FeedExample(ids[index], features[index], labels[index], null);
    }

    @Override
    public int featureCount() {
        return features.length == 0 ? 0 : features[0].length;
    }
}
