package org.streamingmlp.eval;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.yahoo.labs.samoa.instances.Instance;
import com.yahoo.labs.samoa.instances.InstancesHeader;

/**
 * Prequential (test-then-train) evaluation of the service's learner beside MOA's on the same streams, in one run:
 * every example is predicted by each contender before that contender learns it. Prints accuracy and Cohen's kappa
 * over time per stream, a summary table (markdown), and writes one PNG plot per stream. {@code bench/evaluate.sh}
 * runs it; the README's "How well it learns" section shows its table.
 * <pre>
 *   --streams a,b,...      generators of {@link Streams#GENERATORS}, fashion-mnist, or .csv / .arff files
 *                          (default: every generator, and fashion-mnist when installed)
 *   --examples N           at most N examples per stream (default: all: 100,000 per generator)
 *   --mlp NAME=k=v;k=v     a variant of the service's learner: the service's defaults with these mlp.* settings
 *                          (repeatable; default: "service" with nothing changed, and "service, previous
 *                          defaults" with {@link #PREVIOUS_DEFAULTS})
 *   --moa NAME=CLI         a MOA classifier (repeatable; default: the peers below); --moa none: no MOA learner
 *   --parallel N           streams evaluated at once (default 1)
 *   --out DIR              plots, results.md, curves.csv (default target/eval)
 *   --fashion-dir DIR      Fashion-MNIST's IDX files (default /usr/share/datasets/fashion-mnist)
 * </pre>
 */
public final class StreamEvaluation {

    /**
     * MOA's peers and baselines, with MOA's default settings except the forest's size: 10 trees (River's default),
     * since MOA's 100 take about 5 ms an example on this machine, too slow for the whole run in 15 minutes.
     */
    static final Map<String, String> MOA_PEERS = new LinkedHashMap<>();

    static {
        MOA_PEERS.put("MOA HoeffdingAdaptiveTree", "trees.HoeffdingAdaptiveTree");
        MOA_PEERS.put("MOA AdaptiveRandomForest", "meta.AdaptiveRandomForest -s 10");
        MOA_PEERS.put("MOA NaiveBayes", "bayes.NaiveBayes");
        MOA_PEERS.put("no-change", "functions.NoChange");
        MOA_PEERS.put("majority-class", "functions.MajorityClass");
    }

    /**
     * The defaults before issue #12's measurements (the primer's PyTorch recipe): run beside today's defaults so the
     * table shows what the change bought.
     */
    static final Map<String, String> PREVIOUS_DEFAULTS = Map.of("mlp.training.standardize-features", "false",
            "mlp.optimizer.learning-rate", "0.001", "mlp.model.dropout", "0.2", "mlp.schedule.kind", "cosine",
            "mlp.model.hidden-sizes", "64,64", "mlp.optimizer.beta1", "0.9", "mlp.training.max-grad-norm", "1.0");

    /** Fading factor of the "recent" figures (MOA's EvaluatePrequential -a). */
    static final double FADING = 0.999;
    /** Examples handed to every contender at a time: a multiple of every power-of-two batch size up to 256. */
    private static final int CHUNK = 3840;
    private static final int POINTS = 50;

    private StreamEvaluation() {
    }

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        Options options = Options.parse(args);
        Files.createDirectories(options.out);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(options.parallel);
        // the longest stream first (Fashion-MNIST: MOA's forest on 784 attributes takes ~7 of the run's ~8 minutes),
        // so the others run beside it instead of after it; the table keeps the given order
        List<String> longestFirst = new ArrayList<>(options.streams);
        longestFirst.sort(java.util.Comparator.comparing(s -> !s.equals(Streams.FASHION_MNIST)));
        Map<String, Future<Result>> futures = new LinkedHashMap<>();
        for (String stream : longestFirst) {
            futures.put(stream, pool.submit(() -> evaluate(stream, options)));
        }
        List<Result> results = new ArrayList<>();
        for (String stream : options.streams) {
            results.add(futures.get(stream).get());
        }
        pool.shutdown();
        String summary = summary(results, options);
        System.out.println(summary);
        Files.writeString(options.out.resolve("results.md"), summary);
        writeCurves(options.out.resolve("curves.csv"), results);
        // CPU time too: on a shared machine the wall clock says more about the other jobs than about this one
        double cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis() / 1e3).orElse(Double.NaN);
        System.out.printf("[eval] %d streams in %.0f s wall clock, %.0f s CPU (load average %.1f); plots, results.md "
                + "and curves.csv in %s%n", results.size(), (System.nanoTime() - start) / 1e9, cpu,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), options.out);
    }

    record Result(String stream, String description, long examples, Map<String, Curve> curves) {
    }

    static Result evaluate(String name, Options options) throws IOException {
        Streams.Source source = Streams.open(name, options.fashionDir);
        InstancesHeader header = source.header();
        int classes = header.numClasses();
        int inputs = header.numAttributes() - 1;
        long examples = Math.min(source.examples(), options.examples);
        long every = Math.max(1, examples == Long.MAX_VALUE ? 1000 : examples / POINTS);
        Map<String, Contender> contenders = new LinkedHashMap<>();
        options.mlp.forEach((variant, overrides) ->
                contenders.put(variant, new MlpContender(variant, inputs, classes, overrides)));
        options.moa.forEach((label, cli) -> contenders.put(label, new MoaContender(label, cli, header)));
        Map<String, Curve> curves = new LinkedHashMap<>();
        contenders.keySet().forEach(c -> curves.put(c, new Curve(classes, FADING, every)));
        long seen = 0;
        Instance[] chunk = new Instance[CHUNK];
        while (seen < examples && source.stream().hasMoreInstances()) {
            int n = 0;
            while (n < CHUNK && seen + n < examples && source.stream().hasMoreInstances()) {
                chunk[n++] = source.stream().nextInstance().getData();
            }
            Instance[] batch = n == CHUNK ? chunk : java.util.Arrays.copyOf(chunk, n);
            for (Map.Entry<String, Contender> c : contenders.entrySet()) {
                long t0 = System.nanoTime();
                int[] predicted = c.getValue().predictThenLearn(batch);
                Curve curve = curves.get(c.getKey());
                curve.took(System.nanoTime() - t0);
                for (int i = 0; i < n; i++) {
                    curve.add(predicted[i], (int) batch[i].classValue());
                }
            }
            seen += n;
        }
        Result result = new Result(source.name(), source.description(), seen, curves);
        Chart.write(options.out.resolve(source.name() + ".png"), source.name() + " (" + String.format("%,d", seen)
                + " examples)", curves);
        synchronized (System.out) {
            System.out.println(overTime(result));
        }
        return result;
    }

    /** Fading accuracy at every tenth of the stream, then the final figures, per contender. */
    static String overTime(Result result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n== %s: %,d examples  [%s]%n", result.stream, result.examples,
                result.description));
        out.append(String.format("%-34s", "fading accuracy at"));
        for (int t = 1; t <= 10; t++) {
            out.append(String.format(" %6s", (t * 10) + "%"));
        }
        out.append(String.format(" | %8s %8s %8s %8s %7s%n", "accuracy", "kappa", "fadeAcc", "fadeKap", "seconds"));
        result.curves.forEach((name, curve) -> {
            out.append(String.format("%-34s", name));
            List<Curve.Point> points = curve.points();
            for (int t = 1; t <= 10; t++) {
                int index = Math.min(points.size() - 1, points.size() * t / 10 - 1);
                out.append(String.format(" %6.3f", index < 0 ? Double.NaN : points.get(index).fadingAccuracy()));
            }
            Curve.Point last = curve.now();
            out.append(String.format(" | %8.4f %8.4f %8.4f %8.4f %7.1f%n", last.accuracy(), last.kappa(),
                    last.fadingAccuracy(), last.fadingKappa(), curve.seconds()));
        });
        return out.toString();
    }

    /** The markdown table: one row per contender, prequential accuracy (kappa) since the start per stream. */
    static String summary(List<Result> results, Options options) {
        StringBuilder out = new StringBuilder();
        out.append("Prequential accuracy since the start (Cohen's kappa), every example predicted before it is"
                + " learned\n\n| learner |");
        results.forEach(r -> out.append(' ').append(r.stream).append(" |"));
        out.append(" mean accuracy |\n|---|");
        results.forEach(r -> out.append("---|"));
        out.append("---|\n");
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        results.forEach(r -> names.addAll(r.curves.keySet()));
        for (String name : names) {
            out.append("| ").append(name).append(" |");
            double sum = 0;
            int counted = 0;
            for (Result r : results) {
                Curve curve = r.curves.get(name);
                if (curve == null) {
                    out.append(" not run |");
                    continue;
                }
                Curve.Point last = curve.now();
                sum += last.accuracy();
                counted++;
                out.append(String.format(" %.4f (%.3f) |", last.accuracy(), last.kappa()));
            }
            out.append(counted == results.size() ? String.format(" %.4f |%n", sum / counted)
                    : String.format(" %.4f (%d streams) |%n", sum / counted, counted));
        }
        out.append("\nThe learners' settings:\n");
        options.mlp.forEach((n, o) -> out.append("- ").append(n).append(": the service's learner, ")
                .append(o.isEmpty() ? "its defaults" : "its defaults with " + o).append('\n'));
        options.moa.forEach((n, cli) -> out.append("- ").append(n).append(": MOA `").append(cli).append("`\n"));
        out.append("\nThe streams:\n");
        results.forEach(r -> out.append(String.format("- %s (%,d examples): `%s`%n", r.stream, r.examples,
                r.description)));
        return out.toString();
    }

    private static void writeCurves(Path file, List<Result> results) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file))) {
            out.println("stream,learner,examples,accuracy,kappa,fading_accuracy,fading_kappa");
            for (Result r : results) {
                r.curves.forEach((name, curve) -> curve.points().forEach(p -> out.printf(
                        "%s,\"%s\",%d,%.5f,%.5f,%.5f,%.5f%n", r.stream, name, p.examples(), p.accuracy(), p.kappa(),
                        p.fadingAccuracy(), p.fadingKappa())));
            }
        }
    }

    /** The command line. */
    static final class Options {
        List<String> streams = new ArrayList<>();
        long examples = Long.MAX_VALUE;
        Map<String, Map<String, String>> mlp = new LinkedHashMap<>();
        Map<String, String> moa = new LinkedHashMap<>();
        boolean noMoa;
        int parallel = 1;
        Path out = Path.of("target/eval");
        Path fashionDir = Path.of("/usr/share/datasets/fashion-mnist");

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--streams" -> o.streams.addAll(List.of(value.split(",")));
                    case "--examples" -> o.examples = Long.parseLong(value.replace("_", ""));
                    case "--mlp" -> o.mlp.put(value.substring(0, value.indexOf('=')),
                            settings(value.substring(value.indexOf('=') + 1)));
                    case "--moa" -> {
                        if (value.equals("none")) {
                            o.noMoa = true;
                        } else {
                            o.moa.put(value.substring(0, value.indexOf('=')), value.substring(value.indexOf('=') + 1));
                        }
                    }
                    case "--parallel" -> o.parallel = Integer.parseInt(value);
                    case "--out" -> o.out = Path.of(value);
                    case "--fashion-dir" -> o.fashionDir = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (see StreamEvaluation's class comment)");
                }
                i++;
            }
            if (o.streams.isEmpty()) {
                o.streams.addAll(Streams.GENERATORS.keySet());
                if (Files.isDirectory(o.fashionDir)) {
                    o.streams.add(Streams.FASHION_MNIST);
                } else {
                    System.err.println("[eval] no Fashion-MNIST in " + o.fashionDir
                            + " (apt-get install -y dataset-fashion-mnist): left out");
                }
            }
            if (o.mlp.isEmpty()) {
                o.mlp.put("service", Map.of());
                o.mlp.put("service, previous defaults", new java.util.TreeMap<>(PREVIOUS_DEFAULTS));
            }
            if (o.moa.isEmpty() && !o.noMoa) {
                o.moa.putAll(MOA_PEERS);
            }
            return o;
        }

        /** {@code k=v;k=v} into a map; empty text is no setting. */
        private static Map<String, String> settings(String text) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String pair : text.split(";")) {
                if (!pair.isBlank()) {
                    out.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
                }
            }
            return out;
        }
    }
}
