import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Prints Fashion-MNIST images as the service's JSON records, one "key<TAB>value" line each, for kcat:
 * <pre>
 *   java integration-tests/demo/FashionMnistRecords.java DIR train|t10k examples|requests FIRST COUNT
 * </pre>
 * DIR holds the IDX files of Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist). Pixels are
 * scaled to [0, 1]. "examples" prints labelled records ({"id","features","label"}), "requests" prediction
 * requests ({"id","features"}) and, on standard error, "id label" lines to score the answers with.
 */
public class FashionMnistRecords {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String set = args[1];
        boolean requests = args[2].equals("requests");
        int first = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        try (DataInputStream images = open(dir.resolve(set + "-images-idx3-ubyte.gz"), 2051);
             DataInputStream labels = open(dir.resolve(set + "-labels-idx1-ubyte.gz"), 2049)) {
            int n = images.readInt();
            int pixels = images.readInt() * images.readInt();
            labels.readInt();
            byte[] image = new byte[pixels];
            StringBuilder line = new StringBuilder(pixels * 6);
            for (int i = 0; i < Math.min(n, first + count); i++) {
                images.readFully(image);
                int label = labels.readUnsignedByte();
                if (i < first) {
                    continue;
                }
                String id = set + "-" + i;
                line.setLength(0);
                line.append(id).append("\t{\"id\":\"").append(id).append("\",\"features\":[");
                for (int j = 0; j < pixels; j++) {
                    if (j > 0) {
                        line.append(',');
                    }
                    int v = image[j] & 0xff;
                    line.append(v == 0 ? "0" : String.format(Locale.ROOT, "%.4f", v / 255.0));
                }
                line.append(']');
                if (!requests) {
                    line.append(",\"label\":").append(label);
                } else {
                    System.err.println(id + " " + label);
                }
                System.out.println(line.append('}'));
            }
        }
    }

    private static DataInputStream open(Path file, int magic) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != magic) {
            throw new IOException(file + " is not an IDX file with magic " + magic);
        }
        return data;
    }
}
