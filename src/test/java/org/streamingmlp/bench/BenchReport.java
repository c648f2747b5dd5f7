package org.streamingmlp.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The readable side of {@code results.json}: the targets as ratios of figures of the same run
 * ({@link #addTargets}), and the table {@code bench/run.sh} prints ({@link #table}). Works on the results map alone,
 * so a missing or failed phase shows as "-" instead of failing the report.
 */
final class BenchReport {

    private BenchReport() {
    }

    /** Reads {@code a.b.c} (list elements by index) from nested maps; null if absent. */
    static Object get(Object root, String path) {
        Object node = root;
        for (String part : path.split("\\.")) {
            if (node instanceof Map<?, ?> map) {
                node = map.get(part);
            } else if (node instanceof List<?> list && part.matches("\\d+")) {
                int i = Integer.parseInt(part);
                node = i < list.size() ? list.get(i) : null;
            } else {
                return null;
            }
        }
        return node;
    }

    static Double num(Object root, String path) {
        Object v = get(root, path);
        return v instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : null;
    }

    /** The step of a latency series at this offered rate. */
    static Map<?, ?> step(Map<String, Object> results, String series, double rate) {
        return stepAt(get(results, "service." + series + ".fixedRates"), rate);
    }

    /** The step of a list of fixed-rate steps at this offered rate. */
    private static Map<?, ?> stepAt(Object steps, double rate) {
        if (steps instanceof List<?> list) {
            for (Object s : list) {
                if (s instanceof Map<?, ?> m && m.get("offeredRate") instanceof Number n && n.doubleValue() == rate) {
                    return m;
                }
            }
        }
        return null;
    }

    static Double raw(Map<String, Object> results, String side, int batch) {
        return rawNum(results, side, batch, "examplesPerSecond");
    }

    /** A figure of one raw trainer's result at this batch size ({@code path} inside it); null if absent. */
    static Double rawNum(Map<String, Object> results, String side, int batch, String path) {
        Object list = get(results, side.equals("ours") ? "rawTrainer.results" : "rawTrainerPyTorch.results");
        if (list instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && m.get("batch") instanceof Number b && b.intValue() == batch) {
                    return num(m, path);
                }
            }
        }
        return null;
    }

    static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    static void addTargets(Map<String, Object> results) {
        List<Map<String, Object>> targets = new ArrayList<>();
        Double ours64 = raw(results, "ours", 64);
        Double ours256 = raw(results, "ours", 256);
        Double e2eBinary = num(results, "service.endToEndBinary.examplesPerSecond");
        Double e2eJson = num(results, "endToEndJson.examplesPerSecond");
        target(targets, "raw trainer / PyTorch, batch 64", ratio(ours64, raw(results, "torch", 64)), ">=", 2.0);
        target(targets, "raw trainer / PyTorch, batch 256", ratio(ours256, raw(results, "torch", 256)), ">=", 1.5);
        target(targets, "end to end binary / raw trainer (batch 64)", ratio(e2eBinary, ours64), ">=", 0.9);
        target(targets, "end to end JSON / raw trainer (batch 64)", ratio(e2eJson, ours64), ">=", 0.7);
        // The raw trainer's figure is a median of epochs, i.e. of a warm JVM; so is the last 2/3 of the stream.
        target(targets, "  the same, warm (last 2/3): binary",
                ratio(num(results, "service.endToEndBinary.lastTwoThirdsExamplesPerSecond"), ours64), ">=", 0.9);
        target(targets, "  the same, warm (last 2/3): JSON",
                ratio(num(results, "endToEndJson.lastTwoThirdsExamplesPerSecond"), ours64), ">=", 0.7);
        target(targets, "end to end binary / Python consumer (binary)",
                ratio(e2eBinary, num(results, "endToEndPythonPeer.binary.examplesPerSecond")), ">=", 2.0);
        target(targets, "end to end JSON / Python consumer (JSON)",
                ratio(e2eJson, num(results, "endToEndPythonPeer.json.examplesPerSecond")), ">=", 2.0);
        Map<?, ?> kafka1000 = step(results, "kafkaPredictions", 1000);
        target(targets, "Kafka predictions p99 at 1,000/s (ms)", kafka1000 == null ? null : num(kafka1000, "p99Millis"),
                "<=", 5.0);
        target(targets, "Kafka answers/s sustained (binary requests)",
                num(results, "service.kafkaPredictions.highestSustainedRate"), ">=", 50_000.0);
        Map<?, ?> http1000 = step(results, "httpPredictions", 1000);
        target(targets, "POST /predict p99 at 1,000/s (ms)", http1000 == null ? null : num(http1000, "p99Millis"),
                "<=", 2.0);
        target(targets, "RSS after 1M / RSS after 100k",
                ratio(num(results, "service.memory.after1M.rssBytes"), num(results, "service.memory.after100k.rssBytes")),
                "<=", 1.10);
        results.put("targets", targets);
    }

    private static void target(List<Map<String, Object>> targets, String name, Double value, String op, double bound) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("value", value);
        t.put("target", op + " " + bound);
        t.put("met", value == null ? null : op.equals(">=") ? value >= bound : value <= bound);
        targets.add(t);
    }

    // ------------------------------------------------------------------ table

    static String table(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        line(b, "streaming-mlp benchmark  %s  commit %s", str(r, "date"), str(r, "commit"));
        line(b, "%s, %s cores; load average %s at start, %s at end; run took %s s", str(r, "host.cpu"),
                str(r, "host.cores"), str(r, "host.loadAverageStart"), str(r, "host.loadAverageEnd"),
                fmt(num(r, "elapsedSeconds"), "%.0f"));
        b.append('\n');

        Double flops = num(r, "rawTrainer.gemmFlopsPerExample");
        line(b, "1. Raw trainer: Fashion-MNIST 60k, MLP 784-256-256-10, AdamW, median of %s epochs after %s warm-up "
                + "epochs", str(r, "rawTrainer.results.0.epochs"), str(r, "rawTrainer.warmupEpochs"));
        line(b, "   GEMM FLOPs per example = 6 x P_w - 2 x 784 x 256 = %s (P_w = 268,800 weights)",
                fmt(flops, "%,.0f"));
        line(b, "   %-10s %-28s %-34s %s", "batch", "streaming-mlp (1 BLAS thread)",
                "PyTorch " + str(r, "rawTrainerPyTorch.torch") + " (" + str(r, "rawTrainerPyTorch.threads")
                        + " threads)", "ratio");
        for (int batch : new int[] {64, 256}) {
            Double ours = raw(r, "ours", batch);
            Double torch = raw(r, "torch", batch);
            line(b, "   %-10d %-28s %-34s %s", batch, rate(ours) + gflops(ours, flops), rate(torch) + gflops(torch, flops),
                    times(ratio(ours, torch)));
        }
        line(b, "   first (warm-up) epoch, not in the median: ours %s / %s, PyTorch %s / %s (batch 64 / 256)",
                rate(rawNum(r, "ours", 64, "warmupEpochRates.0")), rate(rawNum(r, "ours", 256, "warmupEpochRates.0")),
                rate(rawNum(r, "torch", 64, "warmupEpochRates.0")), rate(rawNum(r, "torch", 256, "warmupEpochRates.0")));
        String torchSkip = str(r, "rawTrainerPyTorch.skipped");
        if (!torchSkip.equals("-")) {
            line(b, "   PyTorch peer skipped: %s", torchSkip);
        }
        line(b, "   PyTorch BLAS: %s, core %s, %s threads; OMP_WAIT_POLICY %s; subnormals flushed: %s",
                str(r, "rawTrainerPyTorch.blas.libraries.0"), str(r, "rawTrainerPyTorch.blas.corename"),
                str(r, "rawTrainerPyTorch.blas.threads"), str(r, "rawTrainerPyTorch.ompWaitPolicy"),
                str(r, "rawTrainerPyTorch.flushDenormal"));
        Object calibration = get(r, "rawTrainerPyTorch.threadCalibration");
        if (calibration instanceof Map<?, ?> c) {
            StringBuilder text = new StringBuilder();
            c.forEach((k, v) -> {
                if (v instanceof Number n) {
                    text.append(text.length() == 0 ? "" : ", ").append(k).append(' ')
                            .append(String.format(Locale.ROOT, "%,.0f/s", n.doubleValue()));
                }
            });
            line(b, "   PyTorch thread settings tried (batch 64, 3 s each; the fastest is used): %s", text);
        }
        b.append('\n');

        line(b, "2. End to end: learned examples/s from a pre-loaded topic (first to last example learned)");
        line(b, "   %-8s %-30s %-26s %-10s %s", "format", "streaming-mlp (last 2/3)", "Python consumer peer",
                "ratio", "of raw trainer b64");
        Double ours64 = raw(r, "ours", 64);
        for (String format : new String[] {"binary", "json"}) {
            String base = format.equals("binary") ? "service.endToEndBinary" : "endToEndJson";
            Double e2e = num(r, base + ".examplesPerSecond");
            Double peer = num(r, "endToEndPythonPeer." + format + ".examplesPerSecond");
            line(b, "   %-8s %-30s %-26s %-10s %s", format.equals("json") ? "JSON" : format,
                    rate(e2e) + " (" + rate(num(r, base + ".lastTwoThirdsExamplesPerSecond")) + ")", rate(peer),
                    times(ratio(e2e, peer)), pct(ratio(e2e, ours64)));
        }
        line(b, "   pre-loaded: %s binary and %s JSON records; the peer reads %s of each",
                fmt(num(r, "preload.binary.records"), "%,.0f"), fmt(num(r, "preload.json.records"), "%,.0f"),
                fmt(num(r, "endToEndPythonPeer.binary.examples"), "%,.0f"));
        capacity(b, r, ours64);
        b.append('\n');

        series(b, r, "3. Predictions over Kafka (binary requests, open loop, training idle)", "kafkaPredictions");
        series(b, r, "4. Predictions over HTTP POST /predict (JSON, open loop, " + str(r, "service.httpPredictions.connections")
                + " keep-alive connections, training idle)", "httpPredictions");

        line(b, "5. Freshness: labelled example produced -> first answer from a model that learned it (training idle)");
        for (String k : new String[] {"oneExample", "fullBatch"}) {
            String base = "service.freshness." + k;
            line(b, "   %-24s median %s ms, min %s, max %s (%s trials)",
                    k.equals("oneExample") ? "one example" : "a batch of 64 examples",
                    fmt(num(r, base + ".medianMillis"), "%.1f"), fmt(num(r, base + ".minMillis"), "%.1f"),
                    fmt(num(r, base + ".maxMillis"), "%.1f"), str(r, base + ".trials"));
        }
        line(b, "   one example waits for mlp.training.max-batch-wait (%s) before its partial batch is learned",
                str(r, "service.freshness.maxBatchWait"));
        line(b, "   (probe: POST /predict back to back; the first answer with a newer modelVersion; nothing else "
                + "publishes versions)");
        b.append('\n');

        line(b, "6. Memory of the service process (heap fixed and pre-touched: -Xms1g -Xmx1g, as deployed; binary "
                + "stream), resident bytes");
        line(b, "   %-10s %-10s %-22s %-14s %-16s %-22s %s", "examples", "RSS", "heap (used / committed)",
                "off-heap", "JVM's own (NMT)", "ND4J, OpenBLAS, malloc", "file-backed");
        for (String k : new String[] {"after100k", "after1M"}) {
            String base = "service.memory." + k;
            line(b, "   %-10s %-10s %-22s %-14s %-16s %-22s %s", fmt(num(r, base + ".examplesSeen"), "%,.0f"),
                    mb(num(r, base + ".rssBytes")), mb(num(r, base + ".heapResidentBytes")) + " ("
                            + mb(num(r, base + ".heapUsedBytes")) + " / " + mb(num(r, base + ".heapCommittedBytes")) + ")",
                    mb(num(r, base + ".offHeapResidentBytes")), mb(num(r, base + ".jvmOffHeapCommittedBytes")),
                    mb(num(r, base + ".nativeOutsideNmtBytes")) + " (est.)", mb(num(r, base + ".rssFileBytes")));
        }
        Object trend = get(r, "service.memory.every100k");
        if (trend instanceof List<?> list && !list.isEmpty()) {
            StringBuilder rss = new StringBuilder();
            StringBuilder off = new StringBuilder();
            for (Object o : list) {
                rss.append(rss.length() == 0 ? "" : ", ").append(fmt(num(o, "rssBytes") == null ? null
                        : num(o, "rssBytes") / 1e6, "%.0f"));
                off.append(off.length() == 0 ? "" : ", ").append(fmt(num(o, "offHeapResidentBytes") == null ? null
                        : num(o, "offHeapResidentBytes") / 1e6, "%.0f"));
            }
            line(b, "   every 100k examples, RSS MB:      %s", rss);
            line(b, "   every 100k examples, off-heap MB: %s", off);
        }
        b.append('\n');

        line(b, "Targets (ratios of this run)");
        Object targets = r.get("targets");
        if (targets instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> t = (Map<?, ?>) o;
                Object met = t.get("met");
                line(b, "   %-48s %-10s %-10s %s", t.get("name"), fmt(num(t, "value"), "%.3g"), t.get("target"),
                        met == null ? "n/a" : Boolean.TRUE.equals(met) ? "MET" : "NOT MET");
            }
        }
        return b.toString();
    }

    /**
     * The Kafka path's capacity (the end-to-end runs again with a tiny model) and the CPU per example of every run of
     * section 2, so the table shows how much of the gap to the raw trainer is the path and how much the full machine.
     */
    private static void capacity(StringBuilder b, Map<String, Object> r, Double ours64) {
        String skipped = str(r, "kafkaPathCapacity.skipped");
        String model = str(r, "kafkaPathCapacity.model");
        line(b, "   Kafka path capacity (tiny model %s: training nearly free; same topics, same clock)%s", model,
                skipped.equals("-") ? "" : ": skipped, " + skipped);
        if (skipped.equals("-")) {
            Object error = get(r, "kafkaPathCapacity.error");
            if (error != null) {
                line(b, "      failed: %s", error);
            }
            for (String format : new String[] {"binary", "json"}) {
                String base = "kafkaPathCapacity." + format;
                Double rate = num(r, base + ".examplesPerSecond");
                line(b, "   %-8s %-30s %s of raw trainer b64", format.equals("json") ? "JSON" : format,
                        rate(rate) + " (" + rate(num(r, base + ".lastTwoThirdsExamplesPerSecond")) + ")",
                        pct(ratio(rate, ours64)));
            }
        }
        line(b, "   CPU per 1,000 examples learned in ms (cores kept busy), whole stream; [the last 2/3]");
        line(b, "   %-24s %-28s %-20s %-20s %s", "run", "service", "broker", "harness", "machine busy cores");
        String[][] runs = {{"binary 784-256-256-10", "service.endToEndBinary"}, {"binary " + model,
                "kafkaPathCapacity.binary"}, {"JSON 784-256-256-10", "endToEndJson"}, {"JSON " + model,
                "kafkaPathCapacity.json"}};
        for (String[] run : runs) {
            if (get(r, run[1] + ".cpu") == null) {
                continue;
            }
            line(b, "   %-24s %-28s %-20s %-20s %s", run[0], cpuCell(r, run[1], "service", true),
                    cpuCell(r, run[1], "broker", false), cpuCell(r, run[1], "harness", false),
                    fmt(num(r, run[1] + ".cpu.machineBusyCores"), "%.2f") + " ["
                            + fmt(num(r, run[1] + ".cpuLastTwoThirds.machineBusyCores"), "%.2f") + "]");
        }
    }

    private static String cpuCell(Map<String, Object> r, String base, String process, boolean lastTwoThirds) {
        String whole = fmt(num(r, base + ".cpu." + process + ".millisPer1000Examples"), "%.1f") + " ("
                + fmt(num(r, base + ".cpu." + process + ".cores"), "%.2f") + ")";
        return !lastTwoThirds ? whole : whole + " ["
                + fmt(num(r, base + ".cpuLastTwoThirds." + process + ".millisPer1000Examples"), "%.1f") + "]";
    }

    private static void series(StringBuilder b, Map<String, Object> r, String title, String key) {
        line(b, "%s", title);
        Object error = get(r, "service." + key + ".error");
        if (error != null) {
            line(b, "   failed: %s", error);
            b.append('\n');
            return;
        }
        Map<?, ?> floor = (Map<?, ?>) get(r, "service." + key + ".floorWithoutService");
        if (floor != null && !(key.startsWith("kafka") && relayFloor(b, r, key))) {
            line(b, "   floor without the service (%s) at 1,000/s: p50 %s ms, p99 %s ms, p99.9 %s ms",
                    key.startsWith("kafka") ? "harness -> broker -> harness" : "harness -> JDK HTTP server -> harness",
                    fmt(num(floor, "p50Millis"), "%.2f"), fmt(num(floor, "p99Millis"), "%.2f"),
                    fmt(num(floor, "p999Millis"), "%.2f"));
        }
        line(b, "   %-12s %-9s %-9s %-8s %-8s %-8s %-8s %s", "offered/s", "sent", "answered", "p50 ms", "p99 ms",
                "p99.9 ms", "max ms", "achieved send/s");
        Object steps = get(r, "service." + key + ".fixedRates");
        if (steps instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> s = (Map<?, ?>) o;
                line(b, "   %-12s %-9s %-9s %-8s %-8s %-8s %-8s %s", fmt(num(s, "offeredRate"), "%,.0f"),
                        fmt(num(s, "sent"), "%,.0f"), fmt(num(s, "answered"), "%,.0f"), fmt(num(s, "p50Millis"), "%.2f"),
                        fmt(num(s, "p99Millis"), "%.2f"), fmt(num(s, "p999Millis"), "%.2f"),
                        fmt(num(s, "maxMillis"), "%.1f"), fmt(num(s, "achievedSendRate"), "%,.0f"));
            }
        }
        Double sustained = num(r, "service." + key + ".highestSustainedRate");
        Map<?, ?> fail = (Map<?, ?>) get(r, "service." + key + ".firstUnsustainedStep");
        line(b, "   highest sustained rate (all answered, answers kept pace, no backlog growth): %s requests/s%s",
                fmt(sustained, "%,.0f"),
                Boolean.TRUE.equals(get(r, "service." + key + ".limitedByLoadGenerator"))
                        ? " (the load generator could not offer more: a lower bound)" : "");
        if (fail != null) {
            line(b, "   next step %s/s fell behind: answered %s of %s, p99 %s ms; answers drained at %s/s",
                    fmt(num(fail, "offeredRate"), "%,.0f"), fmt(num(fail, "answered"), "%,.0f"),
                    fmt(num(fail, "sent"), "%,.0f"), fmt(num(fail, "p99Millis"), "%.1f"),
                    fmt(num(fail, "answerRate"), "%,.0f"));
        }
        b.append('\n');
    }

    /**
     * The service's Kafka figures beside the two floors of the same run: one hop without the service (harness ->
     * broker -> harness) and two hops through a relay without a model ({@link KafkaRelayFloor}). False if the
     * results have no relay floor (an older run).
     */
    private static boolean relayFloor(StringBuilder b, Map<String, Object> r, String key) {
        String base = "service." + key;
        Object relay = get(r, base + ".relayFloor");
        if (!(relay instanceof Map<?, ?> relayMap)) {
            return false;
        }
        if (relayMap.containsKey("skipped") || relayMap.containsKey("error")) {
            line(b, "   relay floor (2 hops, no model): %s", relayMap.containsKey("skipped") ? relayMap.get("skipped")
                    : "failed: " + relayMap.get("error"));
            return false;
        }
        line(b, "   %-46s %-8s %-8s %-9s %-13s %-18s %s", "same harness, warm-up and steps", "p50 ms", "p99 ms",
                "p99.9 ms", "p99 @10,000/s", "highest sustained", "next step: answers/s");
        Object floor = get(r, base + ".floorWithoutService");
        line(b, "   %-46s %-8s %-8s %-9s %-13s %-18s %s", "floor, 1 hop (harness -> broker -> harness)",
                fmt(num(floor, "p50Millis"), "%.2f"), fmt(num(floor, "p99Millis"), "%.2f"),
                fmt(num(floor, "p999Millis"), "%.2f"), "-", "-", "-");
        comparisonRow(b, "relay floor (2 hops, no model)", relay);
        comparisonRow(b, "service (2 hops, model)", get(r, base));
        line(b, "   answers: relay %s bytes, service %s bytes (mean value size)",
                fmt(num(relay, "meanAnswerBytes"), "%.0f"), fmt(num(r, base + ".meanAnswerBytes"), "%.0f"));
        return true;
    }

    private static void comparisonRow(StringBuilder b, String name, Object series) {
        Map<?, ?> at1000 = stepAt(get(series, "fixedRates"), 1000);
        Map<?, ?> at10000 = stepAt(get(series, "fixedRates"), 10000);
        Object fail = get(series, "firstUnsustainedStep");
        line(b, "   %-46s %-8s %-8s %-9s %-13s %-18s %s", name, fmt(num(at1000, "p50Millis"), "%.2f"),
                fmt(num(at1000, "p99Millis"), "%.2f"), fmt(num(at1000, "p999Millis"), "%.2f"),
                fmt(num(at10000, "p99Millis"), "%.2f"), fmt(num(series, "highestSustainedRate"), "%,.0f/s")
                        + (Boolean.TRUE.equals(get(series, "limitedByLoadGenerator")) ? " (>=)" : ""),
                fail == null ? "-" : fmt(num(fail, "offeredRate"), "%,.0f/s") + ": "
                        + fmt(num(fail, "answerRate"), "%,.0f/s"));
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static String str(Object r, String path) {
        Object v = get(r, path);
        return v == null ? "-" : v.toString();
    }

    static String fmt(Double v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String rate(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%,.0f/s", v);
    }

    private static String gflops(Double rate, Double flops) {
        return rate == null || flops == null ? "" : String.format(Locale.ROOT, " %.1f GFLOP/s", rate * flops / 1e9);
    }

    private static String times(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    private static String mb(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f MB", v / 1e6);
    }
}
