package org.streamingmlp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Level;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.streamingmlp.bench.TrainingBenchmark.Dataset;
import org.streamingmlp.codec.BinaryRecordEncoder;
import org.streamingmlp.codec.RecordFormats;

/**
 * The whole benchmark of issue #9 in one run (started by {@code bench/run.sh}, which builds first): raw trainer
 * against PyTorch, end-to-end learning from pre-loaded topics (binary and JSON) against a Python consumer, prediction
 * latency over Kafka and HTTP at fixed open-loop rates and the highest sustained rate, freshness, and the service's
 * memory after 100,000 and 1,000,000 examples. Writes {@code results.json} and prints a table
 * ({@link BenchReport}); {@code bench/README.md} explains every figure.
 *
 * <p>Settings (system properties, defaults in brackets): {@code bench.data} [/usr/share/datasets/fashion-mnist],
 * {@code bench.out} [target/bench], {@code bench.jar} [target/quarkus-app/quarkus-run.jar], {@code bench.python}
 * [/usr/bin/python3], {@code bench.scripts} [bench], {@code bench.env} [config/fashion-mnist.env],
 * {@code bench.skip} [none; any of raw,torch,peers,json,binary,capacity,memory,freshness,kafka,relay,http],
 * {@code bench.quick} [false: shorter steps], {@code bench.capacityHiddenSizes} [16: the tiny model's hidden layers].
 */
public final class ServiceBenchmark {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final int SET = 60_000;
    static final int BATCH = 64;
    static final RecordHeader BINARY = new RecordHeader(RecordFormats.HEADER,
            RecordFormats.BINARY.getBytes(StandardCharsets.UTF_8));
    static final RecordHeader JSON_TYPE = new RecordHeader(RecordFormats.HEADER,
            RecordFormats.JSON.getBytes(StandardCharsets.UTF_8));

    private final Path data = Paths.get(System.getProperty("bench.data", "/usr/share/datasets/fashion-mnist"));
    private final Path out = Paths.get(System.getProperty("bench.out", "target/bench"));
    private final Path jar = Paths.get(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar"));
    private final String python = System.getProperty("bench.python", "/usr/bin/python3");
    private final Path scripts = Paths.get(System.getProperty("bench.scripts", "bench"));
    private final Path envFile = Paths.get(System.getProperty("bench.env", "config/fashion-mnist.env"));
    private final Set<String> skip = Set.of(System.getProperty("bench.skip", "").split(","));
    private final boolean quick = Boolean.getBoolean("bench.quick");
    private final int rawEpochs = Integer.getInteger("bench.rawEpochs", 3);
    /**
     * Epochs both raw trainers train before the timed ones (TrainingBenchmark -DwarmupEpochs, torch_trainer.py
     * --warmup-epochs): ours runs partly interpreted while the JIT compiles the step, for most of a first epoch at
     * batch 64 and two at batch 256 (234 steps each); PyTorch's epochs are level from the first (with subnormals
     * flushed, as the peer runs; with PyTorch's defaults its first epoch is its fastest, before AdamW's moments of
     * silent weights turn subnormal).
     */
    private final int rawWarmupEpochs = Integer.getInteger("bench.rawWarmupEpochs", 2);
    private final int binaryLoops = Integer.getInteger("bench.binaryLoops", 6);
    private final int jsonLoops = Integer.getInteger("bench.jsonLoops", 2);
    private final int peerExamples = Integer.getInteger("bench.peerExamples", SET);
    private final long memoryExamples = Long.getLong("bench.memoryExamples", 1_000_000L);
    private final int torchThreads = Integer.getInteger("bench.torchThreads", 2);
    private final int peerSeconds = Integer.getInteger("bench.peerSeconds", 40);
    private final int memoryTimeoutSeconds = Integer.getInteger("bench.memoryTimeoutSeconds", 600);
    private final String capacityHiddenSizes = System.getProperty("bench.capacityHiddenSizes", "16");
    private String ompWaitPolicy = System.getProperty("bench.ompWaitPolicy", "");
    private int openblasThreads = torchThreads;
    private Map<String, Object> torchCalibration;

    private final Map<String, Object> results = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private Dataset train;
    private Dataset test;
    private String[] pixelText;
    private int instance;
    private String prefix;
    /** The broker JVM's process id (its CPU in the end-to-end windows); -1 when it runs inside the harness. */
    private long brokerPid = -1;

    public static void main(String[] args) throws Exception {
        logWarningsOnly();
        new ServiceBenchmark().run();
    }

    /** Root logger and its handlers at WARNING: the in-JVM clients (and the broker's JVM) log nothing routine. */
    static void logWarningsOnly() {
        java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);
        for (var handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setLevel(Level.WARNING);
        }
    }

    @SuppressWarnings("unchecked")
    void run() throws Exception {
        Files.createDirectories(out.resolve("logs"));
        results.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        results.put("host", host());
        results.put("commit", System.getProperty("bench.commit", "unknown"));
        results.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        results.put("environment", Map.of("OPENBLAS_CORETYPE", String.valueOf(System.getenv("OPENBLAS_CORETYPE")),
                "OMP_NUM_THREADS", String.valueOf(System.getenv("OMP_NUM_THREADS"))));
        log("loading Fashion-MNIST from %s", data);
        train = TrainingBenchmark.load(data, "train");
        test = TrainingBenchmark.load(data, "t10k");
        pixelText = new String[256];
        for (int v = 0; v < 256; v++) {
            pixelText[v] = v == 0 ? "0" : String.format(Locale.ROOT, "%.4f", v / 255.0);
        }

        rawTrainers();

        // its own JVM, as in a deployment (BenchBroker says why); -Dbench.brokerJvm="..." replaces its options,
        // -Dbench.brokerJvm=in-harness runs it inside this JVM (as before, to compare)
        String brokerJvm = System.getProperty("bench.brokerJvm", "-Xmx1g").trim();
        log("starting the Kafka broker (JVM: %s)", brokerJvm);
        try (BenchBroker broker = brokerJvm.equals("in-harness") ? BenchBroker.inHarness()
                : BenchBroker.start(List.of(brokerJvm.split("\\s+")), out.resolve("logs").resolve("broker.log"),
                        Duration.ofMinutes(2))) {
            String bootstrap = broker.bootstrapServers();
            brokerPid = brokerJvm.equals("in-harness") ? -1 : broker.pid();
            results.put("broker", Map.of("jvm", brokerJvm, "process", "KRaft, 1 node"));
            createTopics(bootstrap, "bench.train.binary", "bench.train.json");
            Map<String, Object> preload = new LinkedHashMap<>();
            results.put("preload", preload);
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 20)) {
                if (!skip.contains("binary") || !skip.contains("peers") || !skip.contains("capacity")) {
                    preload.put("binary", produce(producer, "bench.train.binary", 0, binaryLoops, true));
                }
                if (!skip.contains("json") || !skip.contains("peers") || !skip.contains("capacity")) {
                    preload.put("json", produce(producer, "bench.train.json", 0, jsonLoops, false));
                }
            }
            phase("endToEndPythonPeer", "peers", () -> pythonPeers(bootstrap));
            phase("endToEndJson", "json", () -> endToEndJson(bootstrap));
            phase("service", "binary", () -> serviceBinary(bootstrap));
            // last, so the figures above are measured exactly as before this section existed
            phase("kafkaPathCapacity", "capacity", () -> kafkaPathCapacity(bootstrap));
        }
        ((Map<String, Object>) results.get("host")).put("loadAverageEnd", loadAverage());
        results.put("elapsedSeconds", (System.nanoTime() - started) / 1e9);
        BenchReport.addTargets(results);
        Path file = out.resolve("results.json");
        Files.writeString(file, JSON.writeValueAsString(results));
        System.out.println();
        System.out.print(BenchReport.table(results));
        System.out.println("JSON: " + file.toAbsolutePath());
    }

    interface Phase {
        Object run() throws Exception;
    }

    private void phase(String name, String key, Phase phase) {
        if (skip.contains(key)) {
            results.put(name, Map.of("skipped", "bench.skip=" + key));
            return;
        }
        long t0 = System.nanoTime();
        try {
            results.put(name, phase.run());
        } catch (Exception | Error e) {
            log("%s failed: %s", name, e);
            e.printStackTrace(System.err);
            results.put(name, Map.of("error", e.toString()));
        }
        log("%s done in %.0f s", name, (System.nanoTime() - t0) / 1e9);
    }

    // ------------------------------------------------------------------ raw trainer, ours and PyTorch's

    /**
     * Ours and PyTorch's raw trainers, interleaved by batch size (ours at 64, PyTorch at 64, ours at 256, PyTorch at
     * 256): on a machine shared with other builds the load drifts within a minute, and each ratio should compare
     * neighbouring minutes.
     */
    @SuppressWarnings("unchecked")
    private void rawTrainers() {
        boolean ours = !skip.contains("raw");
        String torchMissing = skip.contains("torch") ? "bench.skip=torch" : pythonMissing("torch");
        Map<String, Object> oursResult = new LinkedHashMap<>();
        Map<String, Object> torchResult = new LinkedHashMap<>();
        List<Object> oursList = new ArrayList<>();
        List<Object> torchList = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int batch : new int[] {64, 256}) {
            if (ours) {
                try {
                    Map<String, Object> r = rawTrainer(batch);
                    r.forEach((k, v) -> {
                        if (!k.equals("results")) {
                            oursResult.put(k, v);
                        }
                    });
                    oursList.addAll((List<Object>) r.get("results"));
                    log("raw trainer, batch %d: %,.0f examples/s", batch,
                            BenchReport.num(r, "results.0.examplesPerSecond"));
                } catch (Exception e) {
                    log("raw trainer, batch %d failed: %s", batch, e);
                    oursResult.put("error" + batch, e.toString());
                }
            }
            if (torchMissing == null) {
                try {
                    Map<String, Object> r = torchTrainer(batch);
                    r.forEach((k, v) -> {
                        if (!k.equals("results")) {
                            torchResult.put(k, v);
                        }
                    });
                    torchList.addAll((List<Object>) r.get("results"));
                    log("PyTorch peer, batch %d: %,.0f examples/s", batch,
                            BenchReport.num(r, "results.0.examplesPerSecond"));
                } catch (Exception e) {
                    log("PyTorch peer, batch %d failed: %s", batch, e);
                    torchResult.put("error" + batch, e.toString());
                }
            }
        }
        oursResult.put("results", oursList);
        torchResult.put("results", torchList);
        results.put("rawTrainer", ours ? oursResult : Map.of("skipped", "bench.skip=raw"));
        results.put("rawTrainerPyTorch", torchMissing == null ? torchResult : Map.of("skipped", torchMissing));
        log("raw trainers done in %.0f s", (System.nanoTime() - t0) / 1e9);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> rawTrainer(int batch) throws Exception {
        Path result = out.resolve("raw-trainer-" + batch + ".json");
        Files.deleteIfExists(result);
        List<String> command = List.of(javaBin(), "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                "-Dwarmup=20", "-DwarmupEpochs=" + rawWarmupEpochs, "-DmaxSecondsPerBatch=" + peerSeconds,
                "-Dresult=" + result, TrainingBenchmark.class.getName(), data.toString(), Integer.toString(batch),
                Integer.toString(rawEpochs));
        log("raw trainer: TrainingBenchmark, batch %d, %d epochs after %d warm-up epochs (warmup 20 + cosine)", batch,
                rawEpochs, rawWarmupEpochs);
        Path log = out.resolve("logs/raw-trainer-" + batch + ".log");
        int exit = runProcess(command, Map.of(), log, 600);
        if (exit != 0 || !Files.exists(result)) {
            throw new IllegalStateException("TrainingBenchmark exited with " + exit + "; see " + log);
        }
        return JSON.readValue(result.toFile(), Map.class);
    }

    private Map<String, Object> torchTrainer(int batch) throws Exception {
        calibrateTorch();
        log("PyTorch peer: torch_trainer.py, batch %d, %d epochs after %d warm-up epochs, %d threads, OMP_WAIT_POLICY %s, "
                + "OpenBLAS %d threads", batch, rawEpochs, rawWarmupEpochs, torchThreads,
                ompWaitPolicy.isEmpty() ? "default" : ompWaitPolicy, openblasThreads);
        Map<String, Object> m = pythonJson(List.of(python, scripts.resolve("torch_trainer.py").toString(), "--data",
                data.toString(), "--batches", Integer.toString(batch), "--epochs", Integer.toString(rawEpochs),
                "--warmup-epochs", Integer.toString(rawWarmupEpochs), "--threads", Integer.toString(torchThreads),
                "--max-seconds", Integer.toString(peerSeconds)),
                "torch-trainer-" + batch, 600);
        m.put("threadCalibration", torchCalibration);
        return m;
    }

    /**
     * PyTorch's OpenMP threads spin while they wait (GNU OpenMP's default), and Debian's torch calls an OpenBLAS that
     * has threads of its own: on two cores, two spinning OpenMP threads beside two OpenBLAS threads made a step 10x
     * slower here, more so when other builds share the cores. Unless {@code bench.ompWaitPolicy} fixes the policy, a
     * 3-second run of each setting (OMP_WAIT_POLICY default or PASSIVE, OpenBLAS with the peer's thread count or 1;
     * torch's own threads stay {@code bench.torchThreads}) picks the fastest for both PyTorch peers, so the peer is
     * not handicapped by a thread setting.
     */
    private void calibrateTorch() throws Exception {
        if (torchCalibration != null) {
            return;
        }
        torchCalibration = new LinkedHashMap<>();
        List<String[]> settings = new ArrayList<>();
        for (String policy : ompWaitPolicy.isEmpty() ? List.of("", "PASSIVE") : List.of(ompWaitPolicy)) {
            for (int blas : torchThreads > 1 ? new int[] {torchThreads, 1} : new int[] {1}) {
                settings.add(new String[] {policy, Integer.toString(blas)});
            }
        }
        double best = -1;
        String[] chosen = settings.get(0);
        for (String[] setting : settings) {
            ompWaitPolicy = setting[0];
            openblasThreads = Integer.parseInt(setting[1]);
            Map<String, Object> r = pythonJson(List.of(python, scripts.resolve("torch_trainer.py").toString(),
                    "--threads", Integer.toString(torchThreads), "--calibrate", "3"), "torch-calibrate", 120);
            double rate = ((Number) r.get("examplesPerSecond")).doubleValue();
            String name = "OMP_WAIT_POLICY=" + (setting[0].isEmpty() ? "default" : setting[0])
                    + " OPENBLAS_NUM_THREADS=" + setting[1];
            torchCalibration.put(name, rate);
            log("PyTorch calibration, %s: %,.0f examples/s at batch 64", name, rate);
            if (rate > best) {
                best = rate;
                chosen = setting;
                torchCalibration.put("chosen", name);
            }
        }
        ompWaitPolicy = chosen[0];
        openblasThreads = Integer.parseInt(chosen[1]);
    }

    // ------------------------------------------------------------------ end to end

    private Object pythonPeers(String bootstrap) throws Exception {
        String missing = pythonMissing("torch");
        if (missing == null) {
            missing = pythonMissing("confluent_kafka");
        }
        if (missing != null) {
            return Map.of("skipped", missing);
        }
        calibrateTorch();
        Map<String, Object> peers = new LinkedHashMap<>();
        for (String format : List.of("binary", "json")) {
            log("Python consumer peer: %,d %s examples from bench.train.%s (at most %d s)", peerExamples, format,
                    format, peerSeconds);
            peers.put(format, pythonJson(List.of(python, scripts.resolve("kafka_trainer.py").toString(),
                    "--bootstrap", bootstrap, "--topic", "bench.train." + format, "--format", format, "--count",
                    Integer.toString(peerExamples), "--threads", Integer.toString(torchThreads), "--max-seconds",
                    Integer.toString(peerSeconds)), "kafka-peer-" + format, 300));
            log("Python consumer peer, %s: %,.0f examples/s", format,
                    ((Number) ((Map<?, ?>) peers.get(format)).get("examplesPerSecond")).doubleValue());
        }
        return peers;
    }

    private Object endToEndJson(String bootstrap) throws Exception {
        long total = (long) jsonLoops * SET;
        try (BenchService service = startService(bootstrap, "bench.train.json", "service-json", envFile())) {
            return learningRate(service, total, null);
        }
    }

    private Object serviceBinary(String bootstrap) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        long preloaded = (long) binaryLoops * SET;
        try (BenchService service = startService(bootstrap, "bench.train.binary", "service-binary", envFile())) {
            Map<String, Object> memory = new LinkedHashMap<>();
            List<Map<String, Object>> trend = new ArrayList<>();
            out.put("memory", memory);
            memory.put("jvm", "-Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dorg.bytedeco.javacpp.maxPhysicalBytes=3g "
                    + "-XX:NativeMemoryTracking=summary");
            memory.put("every100k", trend);
            long[] nextSample = {100_000};
            LongConsumer sampler = seen -> {
                // whole batches: the last 32 of 100,000 examples wait for a batch that the stream may not fill
                if (!skip.contains("memory") && nextSample[0] > 0 && seen >= nextSample[0] - nextSample[0] % BATCH) {
                    try {
                        Map<String, Object> m = service.memory();
                        m.put("examplesSeen", seen);
                        trend.add(m);
                        if (nextSample[0] == 100_000) {
                            memory.put("after100k", m);
                        }
                        if (nextSample[0] == memoryExamples) {
                            memory.put("after1M", m);
                        }
                        log("memory after %,d examples: RSS %.1f MB, off-heap resident %.1f MB, heap resident %.1f MB",
                                seen, BenchReport.num(m, "rssBytes") / 1e6,
                                BenchReport.num(m, "offHeapResidentBytes") / 1e6,
                                BenchReport.num(m, "heapResidentBytes") / 1e6);
                    } catch (Exception e) {
                        memory.put("error", e.toString());
                    }
                    nextSample[0] = nextSample[0] + 100_000 <= memoryExamples ? nextSample[0] + 100_000 : -1;
                }
            };
            out.put("endToEndBinary", learningRate(service, preloaded, sampler));
            if (memoryExamples > preloaded) {
                phaseInto(out, "memoryFeed", "memory", () -> {
                    int loops = (int) Math.ceil((memoryExamples - preloaded) / (double) SET);
                    log("memory: producing %,d more binary examples until %,d are learned", (long) loops * SET,
                            memoryExamples);
                    long t0 = System.nanoTime();
                    Thread feeder = new Thread(() -> {
                        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 20)) {
                            produce(producer, "bench.train.binary", binaryLoops, loops, true);
                        }
                    }, "bench-feeder");
                    feeder.start();
                    awaitExamples(service, memoryExamples - memoryExamples % BATCH,
                            Duration.ofSeconds(memoryTimeoutSeconds), sampler);
                    feeder.join();
                    long all = preloaded + (long) loops * SET;
                    awaitExamples(service, all - all % BATCH, Duration.ofMinutes(1), seen -> { });
                    return Map.of("examplesProduced", (long) loops * SET, "seconds", (System.nanoTime() - t0) / 1e9);
                });
            }
            phaseInto(out, "freshness", "freshness", () -> freshness(service, bootstrap));
            phaseInto(out, "kafkaPredictions", "kafka", () -> kafkaLatency(service, bootstrap));
            phaseInto(out, "httpPredictions", "http", () -> httpLatency(service));
            out.put("memoryAtEnd", service.memory());
        }
        return out;
    }

    private void phaseInto(Map<String, Object> into, String name, String key, Phase phase) {
        if (skip.contains(key)) {
            into.put(name, Map.of("skipped", "bench.skip=" + key));
            return;
        }
        long t0 = System.nanoTime();
        try {
            into.put(name, phase.run());
        } catch (Exception | Error e) {
            log("%s failed: %s", name, e);
            e.printStackTrace(System.err);
            into.put(name, Map.of("error", e.toString()));
        }
        log("%s done in %.0f s", name, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The Kafka path's capacity: the same end-to-end runs (binary, then JSON, from the same pre-loaded topics) with a
     * model so small that training is nearly free ({@code MLP_MODEL_HIDDEN_SIZES} overridden in the environment the
     * service gets from {@code config/fashion-mnist.env}, 784-16-10 by default: about 2% of the real model's
     * products). What is left is the rest of the service (consuming, decoding, batching, the trainer loop's own
     * work, snapshots, the {@code GET /model} polls) beside the broker and the harness on the same cores; with the
     * CPU each process used in the timed window, it separates "the Kafka path is slow" from "the machine is full".
     */
    private Object kafkaPathCapacity(String bootstrap) throws Exception {
        Map<String, String> env = envFile();
        env.put("MLP_MODEL_HIDDEN_SIZES", capacityHiddenSizes);
        String model = env.get("MLP_MODEL_INPUT_SIZE") + "-" + capacityHiddenSizes.replace(',', '-') + "-"
                + env.get("MLP_MODEL_OUTPUT_SIZE");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("environmentOverride", "MLP_MODEL_HIDDEN_SIZES=" + capacityHiddenSizes);
        log("Kafka path capacity: binary, tiny model %s", model);
        try (BenchService service = startService(bootstrap, "bench.train.binary", "service-capacity-binary", env)) {
            m.put("binary", learningRate(service, (long) binaryLoops * SET, null));
        }
        log("Kafka path capacity: JSON, tiny model %s", model);
        try (BenchService service = startService(bootstrap, "bench.train.json", "service-capacity-json", env)) {
            m.put("json", learningRate(service, (long) jsonLoops * SET, null));
        }
        return m;
    }

    private BenchService startService(String bootstrap, String trainTopic, String name, Map<String, String> env)
            throws Exception {
        prefix = "bench" + ++instance;
        createTopics(bootstrap, prefix + ".validation", prefix + ".predict", prefix + ".predictions",
                prefix + ".metrics", prefix + ".dlq");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("kafka.bootstrap.servers", bootstrap);
        props.put("mlp.topics.train", trainTopic);
        props.put("mlp.topics.validation", prefix + ".validation");
        props.put("mlp.topics.predict", prefix + ".predict");
        props.put("mlp.topics.predictions", prefix + ".predictions");
        props.put("mlp.topics.metrics", prefix + ".metrics");
        props.put("mlp.topics.dlq", prefix + ".dlq");
        props.put("mlp.groups.trainer", prefix + "-trainer");
        props.put("mlp.groups.predictor", prefix + "-predictor");
        props.put("mlp.early-stopping.enabled", "false");
        for (String extra : System.getProperty("bench.serviceProps", "").split(";")) {   // A/B a setting: k=v;k=v
            int eq = extra.indexOf('=');
            if (eq > 0) {
                props.put(extra.substring(0, eq).trim(), extra.substring(eq + 1).trim());
            }
        }
        @SuppressWarnings("unchecked")   // one entry per service run (binary, JSON, the capacity runs)
        Map<String, Object> perRun = (Map<String, Object>) results.computeIfAbsent("serviceProperties",
                k -> new LinkedHashMap<String, Object>());
        perRun.put(name, props);
        log("starting the service (%s, Fashion-MNIST settings from %s, training topic %s)", jar, envFile, trainTopic);
        BenchService service = BenchService.start(jar, props, env, out.resolve("logs/" + name + ".log"));
        try {
            service.awaitHttp(Duration.ofMinutes(3));
        } catch (RuntimeException | InterruptedException e) {
            service.close();
            throw e;
        }
        return service;
    }

    /**
     * Learned examples per second from the pre-loaded topic: polls {@code GET /model} every 20 ms from the moment
     * the HTTP server answers; the clock starts at the first poll that shows a learned example (so JVM start-up is
     * left out) and stops at the first poll that shows the last full batch learned. The CPU time of the service, the
     * broker and the harness, and the machine's busy time, are read at the same polls ({@link #cpu}).
     */
    private Map<String, Object> learningRate(BenchService service, long total, LongConsumer sampler)
            throws Exception {
        long target = total - total % BATCH;
        List<long[]> samples = awaitExamples(service, target, Duration.ofMinutes(5), sampler);
        long[] first = samples.stream().filter(s -> s[1] > 0).findFirst().orElseThrow();
        long[] last = samples.get(samples.size() - 1);
        long[] third = samples.stream().filter(s -> s[1] >= target / 3).findFirst().orElseThrow();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preloadedExamples", total);
        m.put("measuredUntil", last[1]);
        m.put("firstSeen", first[1]);
        double seconds = (last[0] - first[0]) / 1e9;
        m.put("seconds", seconds);
        m.put("examplesPerSecond", (last[1] - first[1]) / seconds);
        m.put("lastTwoThirdsExamplesPerSecond", (last[1] - third[1]) / ((last[0] - third[0]) / 1e9));
        m.put("fromHttpUpToFirstLearnedSeconds", (first[0] - samples.get(0)[0]) / 1e9);
        m.put("cpu", cpu(first, last));
        m.put("cpuLastTwoThirds", cpu(third, last));
        JsonNode model = service.model();
        m.put("hiddenSizes", model.path("configuration").path("mlp.model.hidden-sizes").asText());
        m.put("step", model.path("training").path("step").asLong());
        m.put("modelVersion", model.path("modelVersion").asLong());
        m.put("trainAccuracy", model.path("training").path("trainAccuracy").asDouble());
        m.put("trainLoss", model.path("training").path("trainLoss").asDouble());
        log("learned %,d examples in %.2f s: %,.0f examples/s (last two thirds %,.0f); service CPU %s ms per 1,000 "
                        + "examples (%s cores), machine busy %s cores", last[1] - first[1], seconds,
                m.get("examplesPerSecond"), m.get("lastTwoThirdsExamplesPerSecond"),
                BenchReport.fmt(BenchReport.num(m, "cpu.service.millisPer1000Examples"), "%.1f"),
                BenchReport.fmt(BenchReport.num(m, "cpu.service.cores"), "%.2f"),
                BenchReport.fmt(BenchReport.num(m, "cpu.machineBusyCores"), "%.2f"));
        return m;
    }

    /**
     * CPU used between two polls of {@link #awaitExamples}: per process (service, broker, harness; user + system
     * time of all its threads, from {@code /proc/<pid>/stat}) its seconds, the cores it kept busy on average, and
     * milliseconds per 1,000 examples learned in the window; and the whole machine's busy cores ({@code /proc/stat},
     * which includes anything else running on it). Clock ticks are 1/{@link CpuTicks#PER_SECOND} s.
     */
    private static Map<String, Object> cpu(long[] from, long[] to) {
        double seconds = (to[0] - from[0]) / 1e9;
        long examples = to[1] - from[1];
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("examples", examples);
        String[] names = {"service", "broker", "harness"};
        for (int i = 0; i < names.length; i++) {
            Double cpu = CpuTicks.seconds(from[2 + i], to[2 + i]);
            if (cpu == null) {
                m.put(names[i], null);
                continue;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("cpuSeconds", cpu);
            p.put("cores", cpu / seconds);
            p.put("millisPer1000Examples", examples > 0 ? cpu * 1e6 / examples : null);
            m.put(names[i], p);
        }
        Double busy = CpuTicks.seconds(from[5], to[5]);
        m.put("machineBusyCores", busy == null ? null : busy / seconds);
        m.put("clockTicksPerSecond", CpuTicks.PER_SECOND);
        return m;
    }

    /**
     * Polls {@code examplesSeen} every 20 ms until it reaches {@code target}; returns samples of (nanos, seen, CPU
     * ticks of the service, of the broker and of the harness, the machine's busy ticks), the ticks read just after
     * the answer.
     */
    private List<long[]> awaitExamples(BenchService service, long target, Duration timeout, LongConsumer onSample)
            throws Exception {
        List<long[]> samples = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastLog = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long seen = service.examplesSeen();
            samples.add(new long[] {now, seen, CpuTicks.process(service.pid()), CpuTicks.process(brokerPid),
                    CpuTicks.process(ProcessHandle.current().pid()), CpuTicks.machineBusy()});
            if (onSample != null) {
                onSample.accept(seen);
            }
            if (seen >= target) {
                return samples;
            }
            if (now > deadline) {
                throw new IllegalStateException("only " + seen + " of " + target + " examples learned within "
                        + timeout + "; see " + service.log());
            }
            if (now - lastLog > 10_000_000_000L) {
                log("  ... %,d of %,d examples learned", seen, target);
                lastLog = now;
            }
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------ freshness

    /**
     * With the stream idle, produces labelled examples and probes {@code POST /predict} back to back until an answer
     * comes from a newer model version. The stream being idle and early stopping off, only learning publishes a
     * version, so the first newer version is the first model that learned the new examples. One example waits for
     * {@code mlp.training.max-batch-wait} (a partial batch); a full batch of 64 does not.
     */
    private Object freshness(BenchService service, String bootstrap) throws Exception {
        int trials = quick ? 3 : 7;
        Map<String, Object> m = new LinkedHashMap<>();
        byte[] probe = jsonRequest("fresh", test.images()[0]).getBytes(StandardCharsets.UTF_8);
        try (HttpRequestLoad.Connection http = new HttpRequestLoad.Connection(service.port());
             KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 0)) {
            for (int size : new int[] {1, BATCH}) {
                List<Double> millis = new ArrayList<>();
                List<Long> probes = new ArrayList<>();
                for (int t = 0; t < trials; t++) {
                    long seen = awaitIdle(service);
                    long before = version(http.post("/predict", probe));
                    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        int k = (t * BATCH + i) % SET;
                        String id = "fresh-" + size + "-" + t + "-" + i;
                        records.add(new ProducerRecord<>("bench.train.binary", null, id.getBytes(StandardCharsets.UTF_8),
                                BinaryRecordEncoder.example(id, train.images()[k], train.labels()[k]),
                                List.<Header>of(BINARY)));
                    }
                    long t0 = System.nanoTime();
                    records.forEach(producer::send);
                    producer.flush();
                    long count = 0;
                    long t1;
                    while (true) {
                        long v = version(http.post("/predict", probe));
                        count++;
                        t1 = System.nanoTime();
                        if (v > before) {
                            break;
                        }
                        if (t1 - t0 > 10_000_000_000L) {
                            throw new IllegalStateException("no newer model within 10 s of producing " + size
                                    + " example(s)");
                        }
                    }
                    millis.add((t1 - t0) / 1e6);
                    probes.add(count);
                }
                List<Double> sorted = new ArrayList<>(millis);
                sorted.sort(Double::compare);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("examples", size);
                r.put("trials", trials);
                r.put("medianMillis", sorted.get(sorted.size() / 2));
                r.put("minMillis", sorted.get(0));
                r.put("maxMillis", sorted.get(sorted.size() - 1));
                r.put("allMillis", millis);
                r.put("probesPerTrial", probes);
                m.put(size == 1 ? "oneExample" : "fullBatch", r);
                log("freshness, %d example(s): median %.1f ms (min %.1f, max %.1f)", size, sorted.get(sorted.size() / 2),
                        sorted.get(0), sorted.get(sorted.size() - 1));
            }
        }
        JsonNode config = service.model().path("configuration");
        m.put("maxBatchWait", config.has("mlp.training.max-batch-wait")
                ? config.path("mlp.training.max-batch-wait").asText() : "200ms, the default");
        m.put("batchSize", BATCH);
        return m;
    }

    /**
     * Waits until {@code examplesSeen} has not moved for 600 ms (longer than the 200 ms max-batch-wait): no partial
     * batch is pending that a new example could join. Returns it.
     */
    private static long awaitIdle(BenchService service) throws Exception {
        long seen = service.examplesSeen();
        long since = System.nanoTime();
        long deadline = since + 30_000_000_000L;
        while (System.nanoTime() - since < 600_000_000L && System.nanoTime() < deadline) {
            Thread.sleep(50);
            long now = service.examplesSeen();
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            }
        }
        return seen;
    }

    private static long version(byte[] answer) {
        String s = new String(answer, StandardCharsets.UTF_8);
        int i = s.indexOf("\"modelVersion\":");
        if (i < 0) {
            throw new IllegalStateException("no modelVersion in " + s);
        }
        int j = i + 15;
        int k = j;
        while (k < s.length() && Character.isDigit(s.charAt(k))) {
            k++;
        }
        return Long.parseLong(s.substring(j, k));
    }

    // ------------------------------------------------------------------ prediction latency

    /**
     * Warms a path before its latencies count: 3 s at 1,000/s, then 4 s at 5,000/s (23,000 requests), and waits for
     * the backlog to drain. 3,000 requests were not enough for the HTTP path: the same service answered at 1,000/s
     * with p99 4.6 ms right after them and 1.6-2.1 ms 30,000 requests later (the JIT had not yet compiled it all).
     */
    private static List<Map<String, Object>> warmUp(OpenLoop load) throws Exception {
        List<Map<String, Object>> steps = List.of(load.run(1000, 3, 10).toMap(), load.run(5000, 4, 10).toMap());
        load.drain(30);
        return steps;
    }

    /**
     * The floor under a latency section: the same client and warm-up against an echo without the service, then the
     * 1,000/s step (as long as the service's).
     */
    private Map<String, Object> floorStep(OpenLoop load, String name) throws Exception {
        warmUp(load);
        OpenLoop.Step s = load.run(1000, fixedSteps()[1][1], 10);
        logStep(name, s);
        return s.toMap();
    }

    private double[][] fixedSteps() {
        // rate, seconds
        return quick ? new double[][] {{100, 5}, {1000, 5}, {10000, 3}}
                : new double[][] {{100, 10}, {1000, 10}, {10000, 3}};
    }

    private static final double[] RAMP = {2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 40_000,
            50_000, 60_000, 80_000, 100_000, 130_000};
    private static final double BACKLOG_GROWTH_MILLIS = 100;

    private Object kafkaLatency(BenchService service, String bootstrap) throws Exception {
        byte[][] payloads = new byte[2000][];
        for (int j = 0; j < payloads.length; j++) {
            payloads[j] = BinaryRecordEncoder.request("r-" + j, test.images()[j]);
        }
        Map<String, Object> floor;
        createTopics(bootstrap, prefix + ".echo");
        try (KafkaRequestLoad echo = new KafkaRequestLoad(bootstrap, prefix + ".echo", prefix + ".echo", payloads, true,
                100_000)) {
            floor = floorStep(echo, "kafka floor (harness and broker, no service)");
        }
        Map<String, Object> relay = skip.contains("relay") ? Map.of("skipped", "bench.skip=relay")
                : relayFloor(bootstrap, payloads);
        try (KafkaRequestLoad load = new KafkaRequestLoad(bootstrap, prefix + ".predict", prefix + ".predictions",
                payloads, true, 6_000_000)) {
            Map<String, Object> m = latencySeries(load, "kafka", 3);
            m.put("meanAnswerBytes", load.meanAnswerBytes());
            m.put("floorWithoutService", floor);
            m.put("relayFloor", relay);
            m.put("requestFormat", "binary");
            return m;
        }
    }

    /**
     * The two-hop floor: the service's path (harness -> broker -> a consumer and producer in a JVM of their own ->
     * broker -> harness) with a relay instead of the service ({@link KafkaRelayFloor}: the service's client settings,
     * a fixed answer of the service's size, offsets committed after the answers are stored). The same requests,
     * warm-up, 1,000/s and 10,000/s steps and ramp as the service (its 100/s step left out); a failure is recorded
     * and the service's series still runs.
     */
    private Map<String, Object> relayFloor(String bootstrap, byte[][] payloads) {
        String name = "kafka relay floor (2 hops, no model)";
        String requests = prefix + ".relay.requests";
        String answers = prefix + ".relay.answers";
        long t0 = System.nanoTime();
        try {
            createTopics(bootstrap, requests, answers);
            Path relayLog = out.resolve("logs/relay-floor.log");
            try (KafkaRelayFloor relay = KafkaRelayFloor.start(bootstrap, requests, answers, prefix + "-relay",
                    relayLog, Duration.ofSeconds(60));
                 KafkaRequestLoad load = new KafkaRequestLoad(bootstrap, requests, answers, payloads, true,
                         6_000_000)) {
                // the service's 1,000/s and 10,000/s steps: the ramp then starts where the service's does
                Map<String, Object> m = latencySeries(load, name,
                        List.of(fixedSteps()[1], fixedSteps()[2]), 3);
                m.put("meanAnswerBytes", load.meanAnswerBytes());
                relay.requireRunning(relayLog);
                return m;
            } finally {
                log("%s done in %.0f s", name, (System.nanoTime() - t0) / 1e9);
            }
        } catch (Exception | Error e) {
            log("%s failed: %s", name, e);
            e.printStackTrace(System.err);
            return Map.of("error", e.toString());
        }
    }

    private Object httpLatency(BenchService service) throws Exception {
        byte[][] bodies = new byte[500][];
        for (int j = 0; j < bodies.length; j++) {
            bodies[j] = jsonRequest("h-" + j, test.images()[j]).getBytes(StandardCharsets.UTF_8);
        }
        int connections = Integer.getInteger("bench.httpConnections", 32);
        Map<String, Object> floor;
        try (HttpFloorServer server = HttpFloorServer.start(Duration.ofSeconds(30));
             HttpRequestLoad echo = new HttpRequestLoad(server.port(), connections, bodies, 100_000)) {
            floor = floorStep(echo, "http floor (harness and the JDK's HTTP server, no service)");
        }
        try (HttpRequestLoad load = new HttpRequestLoad(service.port(), connections, bodies, 4_000_000)) {
            Map<String, Object> m = latencySeries(load, "http", 2);
            m.put("floorWithoutService", floor);
            m.put("connections", connections);
            m.put("requestFormat", "JSON, one request per POST");
            return m;
        }
    }

    private Map<String, Object> latencySeries(OpenLoop load, String name, double rampSeconds) throws Exception {
        return latencySeries(load, name, List.of(fixedSteps()), rampSeconds);
    }

    /** Warm-up, these fixed {rate, seconds} steps, then the ramp from the highest rate they sustained. */
    private Map<String, Object> latencySeries(OpenLoop load, String name, List<double[]> steps, double rampSeconds)
            throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        log("%s: warm-up, 1,000 requests/s for 3 s, then 5,000/s for 4 s", name);
        m.put("warmup", warmUp(load));
        List<Map<String, Object>> fixed = new ArrayList<>();
        double highestSustained = 0;
        for (double[] step : steps) {
            OpenLoop.Step s = load.run(step[0], step[1], 10);
            fixed.add(s.toMap());
            logStep(name, s);
            if (s.sustained(BACKLOG_GROWTH_MILLIS)) {
                highestSustained = Math.max(highestSustained, s.offeredRate());
            }
            load.drain(30);
        }
        m.put("fixedRates", fixed);
        ramp(load, name, highestSustained, rampSeconds, m);
        return m;
    }

    /**
     * The ramp for the highest sustained rate: steps of {@link #RAMP} above {@code highestSustained} (the highest
     * rate sustained so far), each drained before the next, until one falls behind. Puts the steps, the criterion,
     * the figure and the failing step into {@code m}.
     */
    private void ramp(OpenLoop load, String name, double highestSustained, double rampSeconds, Map<String, Object> m)
            throws Exception {
        List<Map<String, Object>> ramp = new ArrayList<>();
        Map<String, Object> firstFailure = null;
        boolean generatorLimited = false;
        for (double rate : RAMP) {
            if (rate <= highestSustained) {
                continue;
            }
            OpenLoop.Step s = load.run(rate, quick ? 2 : rampSeconds, 10);
            ramp.add(s.toMap());
            logStep(name + " ramp", s);
            if (s.sustained(BACKLOG_GROWTH_MILLIS)) {
                highestSustained = rate;
                load.drain(30);
                continue;
            }
            firstFailure = s.toMap();
            generatorLimited = s.generatorLimited() && s.answered() == s.sent();
            break;
        }
        load.drain(30);
        m.put("ramp", ramp);
        m.put("sustainedCriterion", "every request of the step answered, answers at >= 95% of the offered rate, no "
                + "backlog built up (median latency of the step's last quarter at most " + BACKLOG_GROWTH_MILLIS
                + " ms above its first quarter's), the generator sending at >= 95% of the offered rate");
        m.put("highestSustainedRate", highestSustained);
        m.put("limitedByLoadGenerator", generatorLimited);
        m.put("firstUnsustainedStep", firstFailure);
        log("%s: highest sustained rate %,.0f requests/s%s", name, highestSustained,
                generatorLimited ? " (the load generator could not offer more)" : "");
    }

    private static void logStep(String name, OpenLoop.Step s) {
        log("%s %,7.0f/s: sent %,d answered %,d (failed %d), p50 %.2f p99 %.2f p99.9 %.2f max %.1f ms, "
                        + "backlog growth %.0f ms, answers %,.0f/s, generator lag max %.0f ms", name, s.offeredRate(),
                s.sent(), s.answered(), s.failed(), s.p50Millis(), s.p99Millis(), s.p999Millis(), s.maxMillis(),
                s.latencyGrowthMillis(), s.answerRate(), s.maxSendLagMillis());
    }

    // ------------------------------------------------------------------ records and Kafka

    private String jsonExample(String id, float[] image, int label) {
        StringBuilder b = jsonStart(id, image);
        return b.append(",\"label\":").append(label).append('}').toString();
    }

    private String jsonRequest(String id, float[] image) {
        return jsonStart(id, image).append('}').toString();
    }

    private StringBuilder jsonStart(String id, float[] image) {
        StringBuilder b = new StringBuilder(image.length * 5 + 64);
        b.append("{\"id\":\"").append(id).append("\",\"features\":[");
        for (int j = 0; j < image.length; j++) {
            if (j > 0) {
                b.append(',');
            }
            b.append(pixelText[Math.round(image[j] * 255f)]);
        }
        return b.append(']');
    }

    /** Produces {@code loops} passes over the 60,000 training images (ids {@code e-<loop>-<i>}). */
    private Map<String, Object> produce(KafkaProducer<byte[], byte[]> producer, String topic, int firstLoop,
                                       int loops, boolean binary) {
        long t0 = System.nanoTime();
        long bytes = 0;
        for (int loop = firstLoop; loop < firstLoop + loops; loop++) {
            for (int i = 0; i < SET; i++) {
                String id = "e-" + loop + "-" + i;
                byte[] value = binary ? BinaryRecordEncoder.example(id, train.images()[i], train.labels()[i])
                        : jsonExample(id, train.images()[i], train.labels()[i]).getBytes(StandardCharsets.UTF_8);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, null, id.getBytes(StandardCharsets.UTF_8), value,
                        List.<Header>of(binary ? BINARY : JSON_TYPE)));
            }
        }
        producer.flush();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("topic", topic);
        m.put("records", (long) loops * SET);
        m.put("bytes", bytes);
        m.put("seconds", seconds);
        log("produced %,d %s records (%.0f MB) to %s in %.1f s", (long) loops * SET, binary ? "binary" : "JSON",
                bytes / 1e6, topic, seconds);
        return m;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void createTopics(String bootstrap, String... topics)
            throws InterruptedException, ExecutionException {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(c)) {
            admin.createTopics(Arrays.stream(topics).map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        }
    }

    // ------------------------------------------------------------------ processes

    private Map<String, String> envFile() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            line = line.trim();
            int eq = line.indexOf('=');
            if (!line.isEmpty() && !line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return env;
    }

    /** Null if {@code python} imports {@code module}, else why not and how to install it. */
    private String pythonMissing(String module) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return null;
            }
        } catch (IOException | InterruptedException e) {
            // below
        }
        String pkg = module.equals("torch") ? "python3-torch libopenblas0-pthread" : "python3-confluent-kafka";
        return python + " cannot import " + module + ": apt-get install -y " + pkg;
    }

    /** Runs a Python peer with torch's thread settings; returns the JSON object on its last output line. */
    private Map<String, Object> pythonJson(List<String> command, String name, int timeoutSeconds) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OMP_NUM_THREADS", Integer.toString(torchThreads));
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(openblasThreads));
        String wait = ompWaitPolicy;
        if (!wait.isEmpty()) {
            env.put("OMP_WAIT_POLICY", wait);
        }
        Path stdout = out.resolve("logs/" + name + ".out");
        int exit = runProcess(command, env, out.resolve("logs/" + name + ".log"), stdout, timeoutSeconds);
        List<String> lines = Files.readAllLines(stdout);
        if (exit != 0 || lines.isEmpty()) {
            throw new IllegalStateException(name + " exited with " + exit + "; see logs/" + name + ".log");
        }
        Map<?, ?> result = JSON.readValue(lines.get(lines.size() - 1), Map.class);
        Map<String, Object> m = new LinkedHashMap<>();
        result.forEach((k, v) -> m.put(String.valueOf(k), v));
        m.put("ompWaitPolicy", wait.isEmpty() ? "default" : wait);
        m.put("openblasThreads", openblasThreads);
        return m;
    }

    private int runProcess(List<String> command, Map<String, String> env, Path log, int timeoutSeconds)
            throws IOException, InterruptedException {
        return runProcess(command, env, log, null, timeoutSeconds);
    }

    private int runProcess(List<String> command, Map<String, String> env, Path log, Path stdout, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        if (stdout == null) {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        } else {
            pb.redirectError(log.toFile()).redirectOutput(stdout.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(1) + " did not finish within " + timeoutSeconds + " s");
        }
        return p.exitValue();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ------------------------------------------------------------------ host

    private static Map<String, Object> host() throws IOException {
        Map<String, Object> h = new LinkedHashMap<>();
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        h.put("cpu", cpu);
        h.put("cores", Runtime.getRuntime().availableProcessors());
        h.put("avx512f", Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f"));
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("[^0-9]", "");
        h.put("memoryBytes", Long.parseLong(mem) * 1024);
        h.put("loadAverageStart", loadAverage());
        h.put("kernel", System.getProperty("os.version"));
        return h;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(format, args));
        System.out.flush();
    }
}
