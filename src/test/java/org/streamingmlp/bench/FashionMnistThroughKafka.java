package org.streamingmlp.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.streamingmlp.bench.TrainingBenchmark.Dataset;
import org.streamingmlp.broker.EmbeddedKafkaBroker;
import org.streamingmlp.codec.BinaryRecordEncoder;
import org.streamingmlp.config.LearnerSettings;
import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.Targets;

/**
 * Fashion-MNIST learned once through Kafka, as a user would do it, against the same learner in process on the same
 * order, in one run (issue #12's "Fashion-MNIST streamed once through Kafka"):
 * <ol>
 *   <li>the 60,000 training images are pre-loaded, in file order, into a training topic (binary records; one
 *   partition unless {@code -Dfashion.partitions=N});</li>
 *   <li>the packaged service starts with the settings of {@code config/fashion-mnist.env} ({@code -Dfashion.env})
 *   and nothing else changed, learns the topic once, and is waited for until it has learned all 60,000 and the
 *   model that answers is its newest;</li>
 *   <li>the 10,000 test images are scored through {@code POST /predict}, 1,000 per call;</li>
 *   <li>in this JVM, an {@link OnlineLearner} built from the same settings by the service's own recipe
 *   ({@link LearnerSettings#trainingConfig}) learns the same images in the same order in batches of
 *   {@code mlp.training.batch-size} (the last one partial), and scores the same test images.</li>
 * </ol>
 * Prints both test accuracies, the optimizer steps each took, on how many test images the two models disagree
 * (0 when the service formed exactly the same batches: the step is deterministic), and, to tell a real gap from the
 * order's own effect, the same learner's figure on {@code -Dfashion.orders} [5] seeded shuffles of the training set.
 * Needs the packaged service
 * ({@code ./mvnw package -DskipTests}); {@code bench/fashion-kafka.sh} builds and runs it.
 */
public final class FashionMnistThroughKafka {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CALL = 1000;
    private static final String TOPIC = "fashion.train";

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
        Path data = Paths.get(System.getProperty("fashion.data", "/usr/share/datasets/fashion-mnist"));
        Path envFile = Paths.get(System.getProperty("fashion.env", "config/fashion-mnist.env"));
        Path jar = Paths.get(System.getProperty("fashion.jar", "target/quarkus-app/quarkus-run.jar"));
        Path out = Paths.get(System.getProperty("fashion.out", "target/bench"));
        int partitions = Integer.getInteger("fashion.partitions", 1);
        Map<String, String> extra = settings(System.getProperty("fashion.serviceProps", ""));
        Dataset train = TrainingBenchmark.load(data, "train");
        Dataset test = TrainingBenchmark.load(data, "t10k");
        Map<String, String> env = envFile(envFile);
        ServiceConfig config = serviceConfig(env, extra);
        long t0 = System.nanoTime();

        InProcess inProcess = inProcess(config, train, test);
        log("in process: test accuracy %.4f after %d steps (%.1f s)", inProcess.accuracy, inProcess.steps,
                inProcess.seconds);
        // how much the order alone moves the figure: the same learner on seeded shuffles of the training set
        int orders = Integer.getInteger("fashion.orders", 5);
        double[] shuffled = new double[orders];
        for (int k = 0; k < orders; k++) {
            shuffled[k] = inProcess(config, shuffle(train, k + 1), test).accuracy;
        }
        if (orders > 0) {
            log("in process, %d shuffled orders (seeds 1..%d): test accuracy %s", orders, orders,
                    Arrays.toString(Arrays.stream(shuffled).mapToObj(a -> String.format("%.4f", a)).toArray()));
        }

        ThroughKafka kafka;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Settings.defaults())) {
            kafka = throughKafka(broker.bootstrapServers(), partitions, jar, env, extra, out, train, test);
        }
        int disagree = 0;
        for (int i = 0; i < test.labels().length; i++) {
            if (kafka.predicted[i] != inProcess.predicted[i]) {
                disagree++;
            }
        }
        System.out.printf("%nFashion-MNIST, 60,000 training images once in file order, settings %s%s, %d partition(s)"
                        + "%n  through Kafka (packaged service, POST /predict): test accuracy %.4f, %d steps, "
                        + "model version %d, learned in %.1f s%n  in process (same learner, same order):"
                        + "          test accuracy %.4f, %d steps%n  test images the two models classify "
                        + "differently: %d of %,d%n  in process, the same learner on %d shuffled orders: test "
                        + "accuracy %.4f to %.4f%n  whole run %.0f s, load average %s%n",
                envFile, extra.isEmpty() ? "" : " + " + extra, partitions, kafka.accuracy, kafka.steps,
                kafka.version, kafka.seconds, inProcess.accuracy, inProcess.steps, disagree, test.labels().length,
                orders, Arrays.stream(shuffled).min().orElse(Double.NaN),
                Arrays.stream(shuffled).max().orElse(Double.NaN), (System.nanoTime() - t0) / 1e9,
                ServiceBenchmark.loadAverage());
    }

    record InProcess(double accuracy, long steps, int[] predicted, double seconds) {
    }

    record ThroughKafka(double accuracy, long steps, long version, int[] predicted, double seconds) {
    }

    /** The training set in a seeded random order (Fisher-Yates). */
    static Dataset shuffle(Dataset train, long seed) {
        int n = train.labels().length;
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        java.util.Random random = new java.util.Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[][] images = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            images[i] = train.images()[order[i]];
            labels[i] = train.labels()[order[i]];
        }
        return new Dataset(images, labels);
    }

    /** The service's learner with the same settings, the same images in the same order, its batch size. */
    static InProcess inProcess(ServiceConfig config, Dataset train, Dataset test) {
        long t0 = System.nanoTime();
        OnlineLearner learner = new OnlineLearner(LearnerSettings.trainingConfig(config));
        int batch = config.training().batchSize();
        int n = train.labels().length;
        for (int start = 0; start < n; start += batch) {
            int end = Math.min(n, start + batch);
            learner.learnMany(Arrays.copyOfRange(train.images(), start, end),
                    new Targets.Classes(Arrays.copyOfRange(train.labels(), start, end)));
        }
        ModelSnapshot snapshot = learner.snapshot(1);
        int[] predicted = new int[test.labels().length];
        for (int start = 0; start < predicted.length; start += CALL) {
            float[][] p = snapshot.predict(Arrays.copyOfRange(test.images(), start,
                    Math.min(predicted.length, start + CALL)));
            for (int i = 0; i < p.length; i++) {
                predicted[start + i] = ModelSnapshot.argmax(p[i]);
            }
        }
        return new InProcess(accuracy(predicted, test.labels()), learner.step(), predicted,
                (System.nanoTime() - t0) / 1e9);
    }

    static ThroughKafka throughKafka(String bootstrap, int partitions, Path jar, Map<String, String> env,
                                     Map<String, String> extra, Path out, Dataset train, Dataset test)
            throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1))).all().get();
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        int n = train.labels().length;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < n; i++) {
                String id = "e-" + i;
                // keyed by id, as a user's producer would; with one partition the order is the file's
                producer.send(new ProducerRecord<>(TOPIC, null, id.getBytes(StandardCharsets.UTF_8),
                        BinaryRecordEncoder.example(id, train.images()[i], train.labels()[i]),
                        List.<Header>of(ServiceBenchmark.BINARY)));
            }
        }
        log("pre-loaded %,d training images into %s (%d partition(s))", n, TOPIC, partitions);

        Map<String, String> props = new LinkedHashMap<>();
        props.put("kafka.bootstrap.servers", bootstrap);
        props.put("mlp.topics.train", TOPIC);
        props.putAll(extra);
        long t0 = System.nanoTime();
        try (BenchService service = BenchService.start(jar, props, env, out.resolve("logs/fashion-kafka.log"))) {
            service.awaitHttp(Duration.ofMinutes(3));
            JsonNode model = awaitLearned(service, n, Duration.ofMinutes(10));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long version = model.path("modelVersion").asLong();
            long steps = model.path("training").path("step").asLong();
            log("the service learned %,d examples in %d steps; model version %d answers", n, steps, version);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            int[] predicted = new int[test.labels().length];
            for (int start = 0; start < predicted.length; start += CALL) {
                int end = Math.min(predicted.length, start + CALL);
                StringBuilder body = new StringBuilder("[");
                for (int i = start; i < end; i++) {
                    body.append(i > start ? "," : "").append("{\"id\":\"t-").append(i).append("\",\"features\":")
                            .append(Arrays.toString(test.images()[i])).append('}');
                }
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + service.port() + "/predict"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("POST /predict answered " + response.statusCode() + ": "
                            + response.body());
                }
                JsonNode answers = JSON.readTree(response.body());
                for (int i = 0; i < answers.size(); i++) {
                    JsonNode answer = answers.get(i);
                    if (answer.path("modelVersion").asLong() != version) {
                        throw new IllegalStateException("answer from model version "
                                + answer.path("modelVersion") + ", expected " + version);
                    }
                    predicted[start + i] = answer.path("prediction").asInt();
                }
            }
            return new ThroughKafka(accuracy(predicted, test.labels()), steps, version, predicted, seconds);
        }
    }

    /**
     * Waits until the trainer has learned {@code examples}, has stopped stepping (two reports 1 s apart show the
     * same step), and the model that answers is the newest it published; returns that {@code GET /model}.
     */
    private static JsonNode awaitLearned(BenchService service, long examples, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastStep = -1;
        while (System.nanoTime() < deadline) {
            JsonNode model = service.model();
            JsonNode training = model.path("training");
            long seen = training.path("examplesSeen").asLong();
            long step = training.path("step").asLong();
            boolean newestAnswers = model.path("modelVersion").asLong() == training.path("modelVersion").asLong();
            if (seen >= examples && step == lastStep && newestAnswers) {
                return model;
            }
            lastStep = seen >= examples ? step : -1;
            Thread.sleep(seen >= examples ? 1000 : 200);
        }
        throw new IllegalStateException("the service did not learn " + examples + " examples within " + timeout
                + "; see " + service.log());
    }

    /** The service's configuration as it reads it: the env file's variables, then {@code mlp.*} overrides. */
    static ServiceConfig serviceConfig(Map<String, String> env, Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ServiceConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new EnvConfigSource(env, 300))
                .withSources(new io.smallrye.config.PropertiesConfigSource(overrides, "overrides", 500)).build();
        ServiceConfig service = config.getConfigMapping(ServiceConfig.class);
        LearnerSettings.checkServiceSettings(service);
        return service;
    }

    private static double accuracy(int[] predicted, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }

    private static Map<String, String> envFile(Path file) throws java.io.IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            line = line.trim();
            int eq = line.indexOf('=');
            if (!line.isEmpty() && !line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return env;
    }

    /** {@code k=v;k=v} into a map. */
    private static Map<String, String> settings(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return out;
    }

    private static void log(String format, Object... args) {
        System.out.printf("[fashion-kafka] " + format + "%n", args);
    }
}
