package org.streamingmlp.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.yahoo.labs.samoa.instances.Attribute;
import com.yahoo.labs.samoa.instances.DenseInstance;
import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.Instances;
import com.yahoo.labs.samoa.instances.InstancesHeader;

import moa.options.ClassOption;
import moa.streams.ArffFileStream;
import moa.streams.InstanceStream;

import org.streamingmlp.bench.TrainingBenchmark;

/**
 * The streams the evaluation runs on: MOA generators with concept drift at fixed seeds (their exact MOA command
 * lines are {@link #GENERATORS}, and the README's results table names them), Fashion-MNIST's training set in file
 * order, or a CSV or ARFF file.
 */
final class Streams {

    /** Examples taken from each generator. */
    static final int GENERATOR_EXAMPLES = 100_000;

    /**
     * MOA command lines by stream name; drifts at 25,000, 50,000 and 75,000 where a ConceptDriftStream nests.
     * SEA: 3 attributes (2 relevant), 10% label noise, four threshold functions switched abruptly (width 1).
     * Hyperplane: 10 attributes all rotating by 0.001 per example, direction reversed with 10% chance, 5% noise.
     * RBF: 10 attributes, 5 classes, 50 centroids all moving at speed 0.0001.
     * Agrawal: 9 attributes (3 nominal), functions 1, 2, 5, 8 switched gradually (width 10,000), 5% perturbation.
     * LED: 24 binary attributes (17 irrelevant), 10% noise, 1, 3, 5 then 7 relevant attributes swapped (width 50).
     */
    static final Map<String, String> GENERATORS = new LinkedHashMap<>();

    static {
        GENERATORS.put("sea-abrupt", drifting("generators.SEAGenerator -i 1 -f %d", new int[] {1, 2, 3, 4}, 1, 1));
        GENERATORS.put("hyperplane", "generators.HyperplaneGenerator -i 1 -a 10 -k 10 -t 0.001 -s 10 -n 5");
        GENERATORS.put("rbf-moving", "generators.RandomRBFGeneratorDrift -r 1 -i 1 -a 10 -c 5 -n 50 -k 50 -s 0.0001");
        GENERATORS.put("agrawal-gradual", drifting("generators.AgrawalGenerator -i 1 -p 0.05 -f %d",
                new int[] {1, 2, 5, 8}, 10_000, 1));
        GENERATORS.put("led-abrupt", drifting("generators.LEDGeneratorDrift -i 1 -n 10 -d %d",
                new int[] {1, 3, 5, 7}, 50, 1));
    }

    /** Fashion-MNIST's 60,000 training images in file order, pixels scaled to [0, 1]. */
    static final String FASHION_MNIST = "fashion-mnist";

    private Streams() {
    }

    /**
     * Concepts one after the other, each {@code GENERATOR_EXAMPLES / concepts.length} examples long: nested MOA
     * ConceptDriftStreams, {@code -p} the centre of each switch, {@code -w} its width.
     */
    private static String drifting(String generator, int[] concepts, int width, int seed) {
        int length = GENERATOR_EXAMPLES / concepts.length;
        String stream = "(" + generator.formatted(concepts[0]) + ")";
        for (int c = 1; c < concepts.length; c++) {
            stream = "(ConceptDriftStream -s " + stream + " -d (" + generator.formatted(concepts[c]) + ") -p "
                    + length * c + " -w " + width + " -r " + seed + ")";
        }
        return stream.substring(1, stream.length() - 1);
    }

    /** A stream and how many of its examples to take. */
    record Source(String name, String description, InstanceStream stream, long examples) {

        InstancesHeader header() {
            return stream.getHeader();
        }
    }

    /** A generator of {@link #GENERATORS}, Fashion-MNIST (from {@code fashionDir}), or a .csv / .arff file. */
    static Source open(String name, Path fashionDir) throws IOException {
        if (GENERATORS.containsKey(name)) {
            String cli = GENERATORS.get(name);
            return new Source(name, cli, generator(cli), GENERATOR_EXAMPLES);
        }
        if (name.equals(FASHION_MNIST)) {
            TrainingBenchmark.Dataset train = TrainingBenchmark.load(fashionDir, "train");
            return new Source(name, "Fashion-MNIST training set, file order, pixels / 255",
                    rows("fashion-mnist", train.images(), train.labels(), 10), train.labels().length);
        }
        Path file = Path.of(name);
        if (name.endsWith(".arff")) {
            ArffFileStream stream = new ArffFileStream(file.toString(), -1);
            stream.prepareForUse();
            return new Source(file.getFileName().toString(), "ARFF file " + file + ", class last", stream,
                    Long.MAX_VALUE);
        }
        if (name.endsWith(".csv")) {
            return csv(file);
        }
        throw new IllegalArgumentException("unknown stream " + name + ": one of " + GENERATORS.keySet() + ", "
                + FASHION_MNIST + ", or a .csv / .arff file");
    }

    private static InstanceStream generator(String cli) {
        try {
            InstanceStream stream = (InstanceStream) ClassOption.cliStringToObject(cli, InstanceStream.class, null);
            ((moa.options.OptionHandler) stream).prepareForUse();
            return stream;
        } catch (Exception e) {
            throw new IllegalArgumentException("not a MOA stream: " + cli, e);
        }
    }

    /**
     * A CSV file with a header row: numeric features, the class label (any text) in the last column; the classes are
     * the distinct labels in order of first appearance.
     */
    private static Source csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        List<float[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Map<String, Integer> classes = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",");
            float[] x = new float[header.length - 1];
            for (int j = 0; j < x.length; j++) {
                x[j] = Float.parseFloat(cells[j].trim());
            }
            rows.add(x);
            String label = cells[header.length - 1].trim();
            labels.add(label);
            classes.putIfAbsent(label, classes.size());
        }
        int[] y = labels.stream().mapToInt(classes::get).toArray();
        return new Source(file.getFileName().toString(), "CSV file " + file + ", class last",
                rows(file.getFileName().toString(), rows.toArray(float[][]::new), y, classes.size()), y.length);
    }

    /** Rows in memory as a MOA stream of numeric attributes and a nominal class. */
    static InstanceStream rows(String name, float[][] x, int[] y, int classes) {
        List<Attribute> attributes = new ArrayList<>();
        for (int j = 0; j < x[0].length; j++) {
            attributes.add(new Attribute("x" + j));
        }
        List<String> values = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            values.add(Integer.toString(k));
        }
        attributes.add(new Attribute("class", values));
        Instances instances = new Instances(name, attributes, 0);
        instances.setClassIndex(attributes.size() - 1);
        InstancesHeader header = new InstancesHeader(instances);
        return new RowStream(header, x, y);
    }

    /** A MOA stream over rows held in memory. */
    private static final class RowStream implements InstanceStream {
        private final InstancesHeader header;
        private final float[][] x;
        private final int[] y;
        private int next;

        RowStream(InstancesHeader header, float[][] x, int[] y) {
            this.header = header;
            this.x = x;
            this.y = y;
        }

        @Override
        public InstancesHeader getHeader() {
            return header;
        }

        @Override
        public long estimatedRemainingInstances() {
            return x.length - next;
        }

        @Override
        public boolean hasMoreInstances() {
            return next < x.length;
        }

        @Override
        public moa.core.Example<Instance> nextInstance() {
            double[] values = new double[x[next].length + 1];
            for (int j = 0; j < x[next].length; j++) {
                values[j] = x[next][j];
            }
            values[values.length - 1] = y[next];
            Instance instance = new DenseInstance(1.0, values);
            instance.setDataset(header);
            next++;
            return new moa.core.InstanceExample(instance);
        }

        @Override
        public boolean isRestartable() {
            return true;
        }

        @Override
        public void restart() {
            next = 0;
        }

        @Override
        public void getDescription(StringBuilder sb, int indent) {
            sb.append("rows in memory");
        }

        @Override
        public long measureByteSize() {
            return 0;
        }

        @Override
        public moa.MOAObject copy() {
            return new RowStream(header, x, y);
        }
    }
}
