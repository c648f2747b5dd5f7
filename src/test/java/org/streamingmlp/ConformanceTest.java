package org.streamingmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.learner.EarlyStopping;
import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.StepResult;
import org.streamingmlp.learner.TrainingConfig;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.ActivationLayer;
import org.streamingmlp.nn.BatchNorm1d;
import org.streamingmlp.nn.ContrastiveLoss;
import org.streamingmlp.nn.CategoricalEmbeddings;
import org.streamingmlp.nn.CategoricalField;
import org.streamingmlp.nn.FocalLoss;
import org.streamingmlp.nn.HuberLoss;
import org.streamingmlp.nn.Initializers;
import org.streamingmlp.nn.LayerNorm;
import org.streamingmlp.nn.Linear;
import org.streamingmlp.nn.Loss;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.MlpConfig;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.Parameters;
import org.streamingmlp.nn.Softmax;
import org.streamingmlp.optim.AdamW;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.GradientClipping;
import org.streamingmlp.optim.LearningRateSchedule;
import org.streamingmlp.optim.ScheduleConfig;

/**
 * Replays every golden file of the conformance folder (PyTorch, float64) through the real nn/optim/learner classes.
 * The folder is {@code -Dconformance.dir=...}, by default the test-resources copy. Every file and case becomes a
 * dynamic test named after file and case; a family, function or loss this test does not know fails.
 */
class ConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DataType F64 = DataType.DOUBLE;

    /** Element-wise tolerance {@code |got - exp| <= atol + rtol*|exp|}. */
    record Tolerance(double rtol, double atol) {
        static Tolerance of(JsonNode file) {
            JsonNode t = file.path("suggested_tolerance").path("float64");
            if (!t.has("rtol") || !t.has("atol")) {
                throw new AssertionError("file has no suggested_tolerance.float64");
            }
            return new Tolerance(t.get("rtol").asDouble(), t.get("atol").asDouble());
        }

        void check(String what, double expected, double got) {
            double diff = Math.abs(got - expected);
            if (!(diff <= atol + rtol * Math.abs(expected))) {
                fail(what + ": expected " + expected + " got " + got + " (|diff| " + diff + " > atol " + atol
                        + " + rtol " + rtol + " * |exp|)");
            }
        }

        void check(String what, double[] expected, double[] got) {
            assertEquals(expected.length, got.length, what + ": length");
            for (int i = 0; i < expected.length; i++) {
                check(what + "[" + i + "]", expected[i], got[i]);
            }
        }

        void check(String what, JsonNode expected, NumericBuffer got) {
            check(what, flat(expected), got.toDoubleArray());
        }

        void check(String what, JsonNode expected, INDArray got) {
            check(what, expected, NumericBuffer.of(got));
        }
    }

    static Path conformanceDir() throws URISyntaxException {
        String property = System.getProperty("conformance.dir");
        if (property != null && !property.isBlank()) {
            return Paths.get(property);
        }
        URL url = ConformanceTest.class.getClassLoader().getResource("conformance");
        if (url != null && "file".equals(url.getProtocol())) {
            return Paths.get(url.toURI());
        }
        return Paths.get("src/test/resources/conformance");
    }

    @TestFactory
    Stream<DynamicNode> goldenFiles() throws IOException, URISyntaxException {
        Path dir = conformanceDir();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("no golden files in " + dir, () -> fail("no *.json in " + dir)));
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path file : files) {
            nodes.add(fileNode(file));
        }
        return nodes.stream();
    }

    private DynamicNode fileNode(Path file) {
        String fileName = file.getFileName().toString();
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            return DynamicTest.dynamicTest(fileName, () -> fail("cannot parse " + file + ": " + e));
        }
        String family = root.path("family").asText("");
        List<DynamicNode> cases = new ArrayList<>();
        if (family.endsWith("_trajectory")) {
            cases.add(test(fileName, "trajectory", () -> trajectory(root)));
        } else if (!root.path("cases").isArray() || root.path("cases").isEmpty()) {
            cases.add(test(fileName, "cases", () -> fail("family '" + family + "' has no cases")));
        } else {
            int index = 0;
            for (JsonNode c : root.get("cases")) {
                String name = c.path("name").asText("case" + index);
                index++;
                if (family.equals("activations")) {
                    cases.add(activationCase(fileName, root, c, name));
                } else {
                    cases.add(test(fileName, name, () -> runCase(family, root, c)));
                }
            }
        }
        return DynamicContainer.dynamicContainer(fileName, cases);
    }

    private static DynamicTest test(String file, String name, Executable body) {
        return DynamicTest.dynamicTest(file + " / " + name, body);
    }

    private void runCase(String family, JsonNode root, JsonNode c) throws Exception {
        Tolerance tol = Tolerance.of(root);
        switch (family) {
            case "losses" -> loss(c, tol);
            case "linear" -> linear(c, tol);
            case "batchnorm1d" -> batchNorm(c, tol);
            case "layernorm" -> layerNorm(c, tol);
            case "adamw" -> adamw(c, tol);
            case "lr_schedule" -> schedule(c, tol);
            case "clip_grad_norm" -> clip(c, tol);
            case "early_stopping" -> earlyStopping(c, tol);
            case "init" -> init(c, tol);
            default -> fail("unknown conformance family '" + family + "'");
        }
    }

    // ---------------------------------------------------------------- activations

    private DynamicNode activationCase(String file, JsonNode root, JsonNode c, String name) {
        List<DynamicNode> tests = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = c.path("results").fields();
        if (!it.hasNext()) {
            tests.add(test(file, name, () -> fail("no results")));
        }
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String fn = e.getKey();
            tests.add(test(file, name + " / " + fn, () -> activation(fn, c, e.getValue(), Tolerance.of(root))));
        }
        return DynamicContainer.dynamicContainer(name, tests);
    }

    private void activation(String fn, JsonNode c, JsonNode expected, Tolerance tol) {
        INDArray x = array(c.get("x"));
        INDArray r = array(c.get("R"));
        int rows = (int) x.rows();
        int cols = (int) x.columns();
        if (fn.equals("softmax")) {
            INDArray y = Nd4j.create(F64, rows, cols);
            INDArray dx = Nd4j.create(F64, rows, cols);
            Softmax.forward(NumericBuffer.of(x), NumericBuffer.of(y), rows, cols);
            Softmax.backward(NumericBuffer.of(y), NumericBuffer.of(r), NumericBuffer.of(dx), rows, cols);
            tol.check("softmax y", expected.get("y"), y);
            tol.check("softmax grad_x", expected.get("grad_x"), dx);
            return;
        }
        if (fn.equals("gelu_sigmoid")) {
            // Informational: our exact GELU must NOT be the sigmoid approximation x*sigmoid(1.702x).
            double[] approx = flat(expected.get("y"));
            double[] xs = flat(c.get("x"));
            double maxDiff = 0;
            for (int i = 0; i < xs.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(Activation.GELU.apply(xs[i], 0) - approx[i]));
            }
            assertTrue(maxDiff > 0 || xs.length == 0, "GELU should differ from its sigmoid approximation");
            return;
        }
        Activation activation = switch (fn) {
            case "relu" -> Activation.RELU;
            case "leaky_relu" -> Activation.LEAKY_RELU;
            case "gelu" -> Activation.GELU;
            case "gelu_tanh" -> Activation.GELU_TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            default -> throw new AssertionError("unknown activation function '" + fn + "'");
        };
        ActivationLayer layer = new ActivationLayer(activation, 0.01, F64);
        tol.check(fn + " y", expected.get("y"), layer.forward(x, true));
        tol.check(fn + " grad_x", expected.get("grad_x"), layer.backward(r));
    }

    // ---------------------------------------------------------------- losses

    private void loss(JsonNode c, Tolerance tol) {
        String kind = c.path("loss").asText();
        Loss loss = switch (kind) {
            case "cross_entropy" -> LossKind.CROSS_ENTROPY.create();
            case "bce_with_logits" -> LossKind.BCE_WITH_LOGITS.create();
            case "mse" -> LossKind.MSE.create();
            case "l1" -> LossKind.L1.create();
            case "focal" -> new FocalLoss(c.path("gamma").asDouble(2.0));
            case "huber" -> new HuberLoss(c.path("delta").asDouble(1.0));
            case "contrastive" -> new ContrastiveLoss(c.path("margin").asDouble(1.0));
            default -> throw new AssertionError("unknown loss '" + kind + "'");
        };
        String inputName = c.path("grad_wrt").asText();
        JsonNode input = c.get(inputName);
        JsonNode target = c.has("target") ? c.get("target") : c.get("labels");
        if (input == null || target == null) {
            fail("case needs '" + inputName + "' and 'target' or 'labels'");
        }
        INDArray out = array(input);
        INDArray t = array(target);
        INDArray grad = Nd4j.create(F64, out.shape());
        double value = loss.compute(out, t, grad);
        tol.check(kind + " value", c.get("value").asDouble(), value);
        tol.check(kind + " grad", c.get("grad"), grad);
        assertEquals(value, loss.compute(out, t, null), 0.0, "value without gradient");
    }

    // ---------------------------------------------------------------- layers

    private void linear(JsonNode c, Tolerance tol) {
        INDArray x = array(c.get("x"));
        INDArray w = array(c.get("weight"));
        int out = (int) w.rows();
        int in = (int) w.columns();
        Parameters.Builder b = Parameters.builder();
        Linear.declare(b, "fc", in, out);
        Parameters p = b.build(F64);
        p.values("fc.weight").setAll(flat(c.get("weight")));
        p.values("fc.bias").setAll(flat(c.get("bias")));
        Linear layer = new Linear(p, "fc", in, out, true);
        tol.check("y", c.get("y"), layer.forward(x, true));
        INDArray dx = layer.backward(array(c.get("R")));
        tol.check("grad_weight", c.get("grad_weight"), p.gradients("fc.weight"));
        tol.check("grad_bias", c.get("grad_bias"), p.gradients("fc.bias"));
        tol.check("grad_x", c.get("grad_x"), dx);
    }

    private void batchNorm(JsonNode c, Tolerance tol) {
        double[] weight = flat(c.get("weight"));
        int features = weight.length;
        assertEquals(BatchNorm1d.EPS, c.path("eps").asDouble(BatchNorm1d.EPS), 0.0, "eps");
        assertEquals(BatchNorm1d.MOMENTUM, c.path("momentum").asDouble(BatchNorm1d.MOMENTUM), 0.0, "momentum");
        Parameters.Builder b = Parameters.builder();
        BatchNorm1d.declare(b, "bn", features);
        Parameters p = b.build(F64);
        p.values("bn.weight").setAll(weight);
        p.values("bn.bias").setAll(flat(c.get("bias")));
        BatchNorm1d bn = new BatchNorm1d(p, "bn", features);
        bn.runningMean().setAll(flat(c.get("initial_running_mean")));
        bn.runningVar().setAll(flat(c.get("initial_running_var")));
        int s = 0;
        for (JsonNode step : c.get("train_steps")) {
            String at = "train step " + s++ + " ";
            tol.check(at + "y", step.get("y"), bn.forward(array(step.get("x")), true));
            tol.check(at + "batch_mean", flat(step.get("batch_mean")), bn.lastBatchMean());
            tol.check(at + "batch_var_biased", flat(step.get("batch_var_biased")), bn.lastBatchVariance());
            tol.check(at + "running_mean_after", step.get("running_mean_after"), bn.runningMean());
            tol.check(at + "running_var_after", step.get("running_var_after"), bn.runningVar());
            INDArray dx = bn.backward(array(step.get("R")));
            tol.check(at + "grad_x", step.get("grad_x"), dx);
            tol.check(at + "grad_weight", step.get("grad_weight"), p.gradients("bn.weight"));
            tol.check(at + "grad_bias", step.get("grad_bias"), p.gradients("bn.bias"));
        }
        JsonNode eval = c.get("eval");
        tol.check("eval y", eval.get("y"), bn.forward(array(eval.get("x")), false));
    }

    private void layerNorm(JsonNode c, Tolerance tol) {
        double[] weight = flat(c.get("weight"));
        int features = weight.length;
        assertEquals(LayerNorm.EPS, c.path("eps").asDouble(LayerNorm.EPS), 0.0, "eps");
        Parameters.Builder b = Parameters.builder();
        LayerNorm.declare(b, "ln", features);
        Parameters p = b.build(F64);
        p.values("ln.weight").setAll(weight);
        p.values("ln.bias").setAll(flat(c.get("bias")));
        LayerNorm ln = new LayerNorm(p, "ln", features);
        tol.check("y", c.get("y"), ln.forward(array(c.get("x")), true));
        INDArray dx = ln.backward(array(c.get("R")));
        tol.check("grad_x", c.get("grad_x"), dx);
        tol.check("grad_weight", c.get("grad_weight"), p.gradients("ln.weight"));
        tol.check("grad_bias", c.get("grad_bias"), p.gradients("ln.bias"));
    }

    // ---------------------------------------------------------------- optim

    private void adamw(JsonNode c, Tolerance tol) {
        JsonNode betas = c.get("betas");
        JsonNode steps = c.get("steps");
        AdamWConfig config = new AdamWConfig(steps.get(0).get("lr").asDouble(), betas.get(0).asDouble(),
                betas.get(1).asDouble(), c.get("eps").asDouble(), c.get("weight_decay").asDouble(), true);
        INDArray param = array(c.get("param_initial"));
        INDArray grad = Nd4j.create(F64, param.shape());
        NumericBuffer pb = NumericBuffer.of(param);
        NumericBuffer gb = NumericBuffer.of(grad);
        AdamW adamw = new AdamW(config, pb.length());
        int s = 0;
        for (JsonNode step : steps) {
            String at = "step " + ++s + " ";
            gb.setAll(flat(step.get("grad")));
            adamw.step(pb, gb, step.get("lr").asDouble(), 0);
            tol.check(at + "param_after", step.get("param_after"), pb);
            tol.check(at + "exp_avg_after", flat(step.get("exp_avg_after")), adamw.firstMoment());
            tol.check(at + "exp_avg_sq_after", flat(step.get("exp_avg_sq_after")), adamw.secondMoment());
        }
    }

    private void schedule(JsonNode c, Tolerance tol) {
        double base = c.get("base_lr").asDouble();
        ScheduleConfig config = new ScheduleConfig(c.get("warmup_steps").asInt(), c.get("T").asLong(),
                c.get("eta_min").asDouble(), false);
        LearningRateSchedule schedule = config.create(base);
        double[] expected = flat(c.get("lr"));
        assertEquals(c.get("num_steps").asInt(), expected.length, "num_steps");
        for (int s = 0; s < expected.length; s++) {
            tol.check("lr(" + s + ")", expected[s], schedule.learningRate(s));
        }
    }

    private void clip(JsonNode c, Tolerance tol) {
        double maxNorm = c.get("max_norm").asDouble();
        assertEquals(2, c.path("norm_type").asInt(2), "only the L2 norm is implemented");
        List<NumericBuffer> grads = new ArrayList<>();
        for (JsonNode g : c.get("grads")) {
            NumericBuffer b = NumericBuffer.of(Nd4j.create(F64, Math.max(1, flat(g).length)));
            double[] values = flat(g);
            grads.add(values.length == 0 ? b.window(0, 0) : b);
            if (values.length > 0) {
                b.setAll(values);
            }
        }
        double total = GradientClipping.clipGlobalNorm(grads, maxNorm);
        tol.check("total_norm", c.get("total_norm").asDouble(), total);
        tol.check("clip_coef", c.get("clip_coef").asDouble(), Math.min(maxNorm / (total + 1e-6), 1.0));
        int i = 0;
        for (JsonNode expected : c.get("clipped_grads")) {
            tol.check("clipped_grads[" + i + "]", flat(expected), grads.get(i).toDoubleArray());
            i++;
        }
        assertEquals(grads.size(), i, "number of clipped tensors");
    }

    // ---------------------------------------------------------------- learner

    private void earlyStopping(JsonNode c, Tolerance tol) {
        EarlyStopping es = new EarlyStopping(new EarlyStoppingConfig(c.get("patience").asInt(),
                c.path("min_delta").asDouble(0.0), EarlyStoppingConfig.Mode.MIN));
        List<Integer> counters = new ArrayList<>();
        Integer stopEpoch = null;
        int epoch = 0;
        for (JsonNode loss : c.get("val_losses")) {
            es.update(loss.asDouble(), epoch);
            counters.add(es.counter());
            if (es.stopped()) {
                stopEpoch = epoch;
                break;
            }
            epoch++;
        }
        JsonNode expectedStop = c.get("stop_epoch");
        assertEquals(expectedStop == null || expectedStop.isNull() ? null : expectedStop.asInt(), stopEpoch, "stop_epoch");
        assertEquals(c.get("epochs_run").asLong(), es.epochs(), "epochs_run");
        assertEquals(c.get("best_epoch").asLong(), es.bestEpoch(), "best_epoch");
        tol.check("best_val_loss", c.get("best_val_loss").asDouble(), es.best());
        List<Integer> expectedCounters = new ArrayList<>();
        c.get("counter_after_each_epoch").forEach(n -> expectedCounters.add(n.asInt()));
        assertEquals(expectedCounters, counters, "counter_after_each_epoch");
    }

    private void init(JsonNode c, Tolerance tol) {
        SplittableRandom random = new SplittableRandom(c.path("name").asText().hashCode());
        if (c.has("xavier_uniform_bound")) {
            int fanIn = c.get("fan_in").asInt();
            int fanOut = c.get("fan_out").asInt();
            double bound = Initializers.xavierBound(fanIn, fanOut);
            tol.check("xavier_uniform_bound", c.get("xavier_uniform_bound").asDouble(), bound);
            tol.check("expected_variance", c.get("expected_variance").asDouble(), bound * bound / 3.0);
            JsonNode shape = c.get("shape");
            assertEquals(fanIn, shape.get(1).asInt(), "fan_in is shape[1] of a [out, in] weight");
            assertEquals(fanOut, shape.get(0).asInt(), "fan_out is shape[0] of a [out, in] weight");
            Parameters.Builder b = Parameters.builder();
            Linear.declare(b, "fc", fanIn, fanOut);
            Parameters p = b.build(F64);
            NumericBuffer w = p.values("fc.weight");
            Initializers.xavierUniform(w, fanIn, fanOut, random);
            double[] v = w.toDoubleArray();
            for (double x : v) {
                assertTrue(Math.abs(x) <= bound, "|w| <= bound");
            }
            double var = c.get("expected_variance").asDouble();
            double seVar = Math.sqrt(4.0 / 45.0 * Math.pow(bound, 4) / v.length);
            checkMoments(v, var, seVar);
        } else if ("normal".equals(c.path("distribution").asText())) {
            double std = c.get("std").asDouble();
            tol.check("embedding std", std, CategoricalEmbeddings.INIT_STD);
            tol.check("embedding mean", c.path("mean").asDouble(0.0), 0.0);
            int rows = 1000;
            int dim = 64;
            Parameters.Builder b = Parameters.builder();
            List<CategoricalField> field = List.of(new CategoricalField("f", rows - 1, dim));   // + the unseen row
            CategoricalEmbeddings.declare(b, field);
            Parameters p = b.build(F64);
            new CategoricalEmbeddings(p, 0, field).resetParameters(random);
            double var = c.get("expected_variance").asDouble();
            double[] v = p.values(field.get(0).parameterPrefix() + ".weight").toDoubleArray();
            checkMoments(v, var, var * Math.sqrt(2.0 / (v.length - 1)));
        } else {
            fail("unknown init case layout: " + c.fieldNames().next());
        }
    }

    private static void checkMoments(double[] v, double expectedVar, double seVar) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sampleVar = ss / (v.length - 1);
        assertTrue(Math.abs(mean) <= 5 * Math.sqrt(expectedVar / v.length), "mean " + mean + " ~ 0");
        assertTrue(Math.abs(sampleVar - expectedVar) <= 5 * seVar,
                "variance " + sampleVar + " within 5 standard errors of " + expectedVar);
    }

    // ---------------------------------------------------------------- trajectories

    private void trajectory(JsonNode root) {
        Tolerance tol = Tolerance.of(root);
        JsonNode cfg = root.get("config");
        List<Integer> sizes = new ArrayList<>();
        cfg.get("sizes").forEach(n -> sizes.add(n.asInt()));
        Normalization normalization = Normalization.NONE;
        for (JsonNode op : root.get("architecture")) {
            switch (op.get("op").asText()) {
                case "linear", "relu" -> { }
                case "layernorm" -> normalization = Normalization.LAYER_NORM;
                case "batchnorm1d" -> normalization = Normalization.BATCH_NORM;
                default -> fail("unknown architecture op '" + op.get("op").asText() + "'");
            }
        }
        if (!cfg.get("loss").asText().startsWith("cross_entropy")) {
            fail("unknown trajectory loss '" + cfg.get("loss").asText() + "'");
        }
        if (!cfg.get("scheduler").asText().equals("cosine")) {
            fail("unknown scheduler '" + cfg.get("scheduler").asText() + "'");
        }
        MlpConfig model = new MlpConfig(sizes.get(0), sizes.subList(1, sizes.size() - 1), sizes.get(sizes.size() - 1),
                Activation.RELU, 0.01, 0.0, normalization);
        JsonNode betas = cfg.get("betas");
        AdamWConfig adamw = new AdamWConfig(cfg.get("lr").asDouble(), betas.get(0).asDouble(), betas.get(1).asDouble(),
                cfg.get("eps").asDouble(), cfg.get("weight_decay").asDouble(), true);
        ScheduleConfig schedule = new ScheduleConfig(cfg.get("warmup_steps").asInt(), cfg.get("T_max").asLong(),
                cfg.get("eta_min").asDouble(), false);
        TrainingConfig config = new TrainingConfig(model, LossKind.CROSS_ENTROPY, adamw, schedule,
                cfg.get("max_grad_norm").asDouble(), 1L, F64);
        OnlineLearner learner = new OnlineLearner(config);

        Map<String, double[]> initial = params(root.get("initial_params"));
        assertEquals(learner.parameterValues().keySet(), initial.keySet(), "parameter names");
        learner.loadParameters(initial);

        JsonNode batches = root.get("batches");
        JsonNode log = root.get("log");
        assertEquals(cfg.get("steps").asInt(), batches.size(), "steps");
        for (int s = 0; s < batches.size(); s++) {
            JsonNode batch = batches.get(s);
            JsonNode entry = log.get(s);
            StepResult r = learner.learnBatch(array(batch.get("x")), array(batch.get("y")));
            String at = "step " + entry.get("step").asInt() + " ";
            tol.check(at + "loss", entry.get("loss").asDouble(), r.loss());
            tol.check(at + "grad_norm_before_clip", entry.get("grad_norm_before_clip").asDouble(),
                    r.gradNormBeforeClip());
            tol.check(at + "lr", entry.get("lr").asDouble(), r.learningRate());
            assertEquals(entry.get("clipped").asBoolean(), r.gradNormBeforeClip() + 1e-6 > config.maxGradNorm(),
                    at + "clipped");
            assertEquals(s + 1, r.step(), at + "step");
            if (s == 0) {
                compareParams("params_after_step_1", root.get("params_after_step_1"), learner, tol);
            }
        }
        compareParams("final_params", root.get("final_params"), learner, tol);

        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (JsonNode batch : batches) {
            batch.get("x").forEach(row -> xs.add(flat(row)));
            batch.get("y").forEach(y -> ys.add(y.asDouble()));
        }
        INDArray x = Nd4j.create(F64, xs.size(), sizes.get(0));
        INDArray y = Nd4j.create(F64, ys.size());
        NumericBuffer xb = NumericBuffer.of(x);
        NumericBuffer yb = NumericBuffer.of(y);
        for (int i = 0; i < xs.size(); i++) {
            for (int j = 0; j < sizes.get(0); j++) {
                xb.set(i * sizes.get(0) + j, xs.get(i)[j]);
            }
            yb.set(i, ys.get(i));
        }
        tol.check("final_loss_on_all_batches", root.get("final_loss_on_all_batches").asDouble(),
                learner.evaluateBatch(x, y));
    }

    private static void compareParams(String what, JsonNode expected, OnlineLearner learner, Tolerance tol) {
        Map<String, double[]> got = learner.parameterValues();
        Map<String, double[]> exp = params(expected);
        assertEquals(got.keySet(), exp.keySet(), what + " names");
        exp.forEach((name, values) -> tol.check(what + " " + name, values, got.get(name)));
    }

    // ---------------------------------------------------------------- JSON helpers

    private static Map<String, double[]> params(JsonNode node) {
        Map<String, double[]> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), flat(e.getValue())));
        return out;
    }

    /** Row-major flattening of a nested JSON array (or a single number). */
    static double[] flat(JsonNode node) {
        List<Double> out = new ArrayList<>();
        collect(node, out);
        double[] a = new double[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void collect(JsonNode node, List<Double> out) {
        if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        } else if (node.isNumber()) {
            out.add(node.asDouble());
        } else {
            throw new AssertionError("expected a number, got " + node);
        }
    }

    private static long[] shape(JsonNode node) {
        List<Long> dims = new ArrayList<>();
        JsonNode n = node;
        while (n.isArray()) {
            dims.add((long) n.size());
            if (n.isEmpty()) {
                break;
            }
            n = n.get(0);
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** A float64 array with the JSON nesting as its shape (a vector stays rank 1). */
    static INDArray array(JsonNode node) {
        INDArray a = Nd4j.create(F64, shape(node));
        NumericBuffer.of(a).setAll(flat(node));
        return a;
    }
}
