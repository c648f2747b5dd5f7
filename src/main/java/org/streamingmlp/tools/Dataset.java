package org.streamingmlp.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A data file held in memory so it can be shuffled and repeated: {@code get(i)} builds the i-th record. IDX images
 * stay bytes until asked for (Fashion-MNIST's 60,000 images are 47 MB as bytes, four times that as floats).
 */
interface Dataset {

    int size();

    FeedExample get(int index);

    /** Number of features of every record (checked when the file is read). */
    int featureCount();

    /** Opens {@code file} by its format: {@code csv}, {@code jsonl} or {@code idx} (null: from the file name). */
    static Dataset open(Path file, String format, FeedOptions options) throws IOException {
        String kind = format != null ? format : guessFormat(file);
        return switch (kind) {
            case "csv" -> CsvDataset.read(file, options.labelColumn(), options.idColumn());
            case "jsonl" -> JsonlDataset.read(file);
            case "idx" -> IdxDataset.read(file, options.labels(), options.idPrefix());
            default -> throw new IllegalArgumentException("unknown --format " + kind + " (csv, jsonl, idx)");
        };
    }

    private static String guessFormat(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return "csv";
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return "jsonl";
        }
        if (name.contains("idx") || name.endsWith("-ubyte")) {
            return "idx";
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file: " + file);
        }
        throw new IllegalArgumentException("cannot tell the format of " + file + ": give --format csv|jsonl|idx");
    }
}
