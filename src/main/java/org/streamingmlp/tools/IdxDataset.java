package org.streamingmlp.tools;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An IDX image file (magic 2051: count, rows, columns, then unsigned bytes) and, optionally, its IDX label file
 * (magic 2049: count, then one unsigned byte per label): the format of MNIST and Fashion-MNIST. Pixels become
 * features scaled to [0, 1]. Without a label file the records are prediction requests.
 */
final class IdxDataset implements Dataset {

    static final int IMAGES_MAGIC = 2051;
    static final int LABELS_MAGIC = 2049;

    private final byte[][] images;
    private final byte[] labels;
    private final String idPrefix;

    private IdxDataset(byte[][] images, byte[] labels, String idPrefix) {
        this.images = images;
        this.labels = labels;
        this.idPrefix = idPrefix;
    }

    /** {@code labelsFile} null: the label file beside {@code imagesFile} if its name follows MNIST's, else none. */
    static IdxDataset read(Path imagesFile, Path labelsFile, String idPrefix) throws IOException {
        Path labelPath = labelsFile != null ? labelsFile : besideImages(imagesFile);
        byte[][] images;
        try (DataInputStream in = new DataInputStream(DataFiles.open(imagesFile))) {
            expectMagic(in, IMAGES_MAGIC, imagesFile);
            int count = in.readInt();
            int pixels = in.readInt() * in.readInt();
            images = new byte[count][pixels];
            for (byte[] image : images) {
                in.readFully(image);
            }
        }
        byte[] labels = null;
        if (labelPath != null) {
            try (DataInputStream in = new DataInputStream(DataFiles.open(labelPath))) {
                expectMagic(in, LABELS_MAGIC, labelPath);
                int count = in.readInt();
                if (count != images.length) {
                    throw new IOException(labelPath + " holds " + count + " labels, " + imagesFile + " "
                            + images.length + " images");
                }
                labels = new byte[count];
                in.readFully(labels);
            }
        }
        String prefix = idPrefix != null ? idPrefix : imagesFile.getFileName().toString().split("-")[0];
        return new IdxDataset(images, labels, prefix);
    }

    private static Path besideImages(Path imagesFile) {
        String name = imagesFile.getFileName().toString();
        if (!name.contains("-images-")) {
            return null;
        }
        Path labels = imagesFile.resolveSibling(name.replace("-images-idx3-", "-labels-idx1-"));
        return Files.isRegularFile(labels) ? labels : null;
    }

    private static void expectMagic(DataInputStream in, int magic, Path file) throws IOException {
        int found = in.readInt();
        if (found != magic) {
            throw new IOException(file + " is not an IDX " + (magic == IMAGES_MAGIC ? "image" : "label")
                    + " file: magic " + found + ", expected " + magic);
        }
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public FeedExample get(int index) {
        byte[] image = images[index];
        float[] features = new float[image.length];
        for (int j = 0; j < image.length; j++) {
            features[j] = (image[j] & 0xff) / 255f;
        }
        return new FeedExample(idPrefix + "-" + index, features, labels == null ? -1 : labels[index] & 0xff, null);
    }

    @Override
    public int featureCount() {
        return images.length == 0 ? 0 : images[0].length;
    }
}
