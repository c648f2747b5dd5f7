package org.streamingmlp.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The multilayer perceptron: per hidden layer {@code fcK -> [lnK | bnK] -> activation -> Dropout(p)}, then the
 * output layer {@code fc(L+1)}. Parameters use PyTorch names ({@code fc1.weight [out,in]}, {@code fc1.bias},
 * {@code ln1.weight}, ...), all in one flat {@link Parameters} buffer. Linear weights are Xavier-uniform, biases 0,
 * norm weights 1 and biases 0, drawn from a {@link SplittableRandom} seeded with {@code seed}; dropout masks come
 * from an independent stream split from the same seed.
 *
 * <p>With categorical fields ({@link MlpConfig#categoricalFields()}) the first layer is {@link CategoricalEmbeddings}:
 * the input rows are {@code [numeric values | one index per field]} and {@code fc1} takes the numeric values
 * followed by the fields' embeddings. The tables ({@code emb.<field>.weight}, declared first, as a PyTorch module
 * that defines its embeddings before {@code fc1}) are drawn from {@code N(0, 0.02^2)} by a third independent stream.
 *
 * <p>Owned by one thread: forward remembers what backward needs.
 */
public final class Mlp {
    private final MlpConfig config;
    private final DataType dataType;
    private final Parameters parameters;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, BatchNorm1d> batchNorms = new LinkedHashMap<>();
    private final List<Dropout> dropouts = new ArrayList<>();
    /** Per parameter, in declaration order: the sum of squares of its gradient after {@link #backward}. */
    private final List<DoubleSupplier> gradientSquares = new ArrayList<>();
    private final java.util.Set<String> linearNames = new java.util.HashSet<>();
    private final long seed;

    public Mlp(MlpConfig config, DataType dataType, long seed) {
        this(config, dataType, seed, true);
    }

    /**
     * A model whose parameters are all zero and running statistics at their defaults, for the caller to overwrite
     * (snapshots, weights loaded from elsewhere): no initialisation is run. Dropout masks, if it is trained, come
     * from seed 0.
     */
    public static Mlp uninitialised(MlpConfig config, DataType dataType) {
        return new Mlp(config, dataType, 0L, false);
    }

    private Mlp(MlpConfig config, DataType dataType, long seed, boolean initialise) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("mlp.training.data-type must be FLOAT or DOUBLE, got " + dataType);
        }
        this.config = config;
        this.dataType = dataType;
        this.seed = seed;
        List<Integer> sizes = new ArrayList<>();
        sizes.add(config.linearInputSize());
        sizes.addAll(config.hiddenSizes());
        sizes.add(config.outputSize());
        int linearCount = sizes.size() - 1;

        Parameters.Builder builder = Parameters.builder();
        CategoricalEmbeddings.declare(builder, config.categoricalFields());
        for (int k = 1; k <= linearCount; k++) {
            Linear.declare(builder, "fc" + k, sizes.get(k - 1), sizes.get(k));
        }
        for (int k = 1; k < linearCount; k++) {
            switch (config.normalization()) {
                case LAYER_NORM -> LayerNorm.declare(builder, "ln" + k, sizes.get(k));
                case BATCH_NORM -> BatchNorm1d.declare(builder, "bn" + k, sizes.get(k));
                case NONE -> { }
            }
        }
        this.parameters = builder.build(dataType);

        Map<String, Linear> linears = new LinkedHashMap<>();
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom initRandom = root.split();
        SplittableRandom dropoutRandom = root.split();
        boolean embeds = !config.categoricalFields().isEmpty();
        if (embeds) {
            CategoricalEmbeddings input = new CategoricalEmbeddings(parameters, config.inputSize(),
                    config.categoricalFields());
            SplittableRandom embeddingRandom = root.split();
            if (initialise) {
                input.resetParameters(embeddingRandom);
            }
            layers.add(input);
        }
        for (int k = 1; k <= linearCount; k++) {
            int in = sizes.get(k - 1);
            int out = sizes.get(k);
            if (initialise) {
                Initializers.xavierUniform(parameters.values("fc" + k + ".weight"), in, out, initRandom);
            }
            Linear linear = new Linear(parameters, "fc" + k, in, out, k > 1 || embeds);
            linears.put("fc" + k, linear);
            linearNames.add("fc" + k);
            layers.add(linear);
            if (k == linearCount) {
                break;
            }
            switch (config.normalization()) {
                case LAYER_NORM -> {
                    LayerNorm ln = new LayerNorm(parameters, "ln" + k, out);
                    if (initialise) {
                        ln.resetParameters();
                    }
                    layers.add(ln);
                }
                case BATCH_NORM -> {
                    BatchNorm1d bn = new BatchNorm1d(parameters, "bn" + k, out);
                    if (initialise) {
                        bn.resetParameters();
                    }
                    batchNorms.put("bn" + k, bn);
                    layers.add(bn);
                }
                case NONE -> { }
            }
            layers.add(new ActivationLayer(config.activation(), config.leakySlope(), dataType));
            if (config.dropout() > 0) {
                Dropout dropout = new Dropout(config.dropout(), dropoutRandom, dataType);
                dropouts.add(dropout);
                layers.add(dropout);
            }
        }
        for (String name : parameters.slots().keySet()) {
            gradientSquares.add(squaresOf(name, linears));
        }
    }

    /**
     * Where the sum of squares of one parameter's gradient comes from: a Linear layer's own, summed during its
     * backward pass while the gradient is in the cache; for the other parameters (normalisation, embeddings), a pass
     * over the gradient after backward.
     */
    private DoubleSupplier squaresOf(String name, Map<String, Linear> linears) {
        int dot = name.lastIndexOf('.');
        Linear linear = linears.get(name.substring(0, dot));
        if (linear != null && name.endsWith(".weight")) {
            return linear::weightGradientSquares;
        }
        if (linear != null && name.endsWith(".bias")) {
            return linear::biasGradientSquares;
        }
        NumericBuffer gradient = parameters.gradients(name);
        return () -> SumOfSquares.of(gradient);
    }

    /**
     * The parameter elements (from, to pairs, ascending) whose gradients the {@link HelperThread} computes when the
     * weight-gradient products are split: in each Linear weight, the rows from {@link Linear#helperRowsFrom}. The
     * optimizer hands the same elements to the helper, so each core updates the gradients in its own cache.
     */
    public int[] helperParameterRanges() {
        List<int[]> ranges = new ArrayList<>();
        for (Parameters.Slot slot : parameters.slots().values()) {
            int dot = slot.name().lastIndexOf('.');
            if (!slot.name().endsWith(".weight") || !linearNames.contains(slot.name().substring(0, dot))) {
                continue;
            }
            long[] shape = slot.shape();
            int from = Linear.helperRowsFrom((int) shape[0]) * (int) shape[1];
            if (from < slot.length()) {
                ranges.add(new int[] {slot.offset() + from, slot.offset() + slot.length()});
            }
        }
        ranges.sort(java.util.Comparator.comparingInt(r -> r[0]));
        int[] out = new int[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++) {
            out[2 * i] = ranges.get(i)[0];
            out[2 * i + 1] = ranges.get(i)[1];
        }
        return out;
    }

    public MlpConfig config() {
        return config;
    }

    /**
     * Makes the dropout masks of the next training forward pass a function of {@code step} alone (and the seed):
     * dropout layer {@code k} draws from a stream seeded with a mix of (seed, step, k).
     */
    public void reseedDropout(long step) {
        for (int k = 0; k < dropouts.size(); k++) {
            dropouts.get(k).reseed(seed * 0x9E3779B97F4A7C15L + (step + 1) * 0xBF58476D1CE4E5B9L
                    + (k + 1) * 0x94D049BB133111EBL);
        }
    }

    public DataType dataType() {
        return dataType;
    }

    /** The flat parameter and gradient buffers. */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * Non-trainable state by PyTorch name ({@code bn1.running_mean}, {@code bn1.running_var}); live views.
     */
    public Map<String, NumericBuffer> buffers() {
        if (batchNorms.isEmpty()) {
            return Map.of();
        }
        Map<String, NumericBuffer> out = new LinkedHashMap<>();
        batchNorms.forEach((name, bn) -> {
            out.put(name + ".running_mean", bn.runningMean());
            out.put(name + ".running_var", bn.runningVar());
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * Raw outputs (logits) for {@code x [N, inputColumns]} (numeric features, then category indices); the returned
     * array is reused by the next call.
     */
    public INDArray forward(INDArray x, boolean training) {
        checkInput(x);
        INDArray h = x;
        for (Layer layer : layers) {
            h = layer.forward(h, training);
        }
        return h;
    }

    private void checkInput(INDArray x) {
        if (x.rank() != 2 || x.columns() != config.inputColumns()) {
            throw new IllegalArgumentException("expected [N, " + config.inputColumns() + "] input, got "
                    + java.util.Arrays.toString(x.shape()));
        }
        if (x.dataType() != dataType) {
            throw new IllegalArgumentException("expected " + dataType + " input, got " + x.dataType());
        }
    }

    /**
     * Both forward passes of a prequential step at the cost of little more than one: hands the evaluation-mode
     * logits of {@code x} to {@code evaluated} (valid only during the call; it may overwrite them), then runs the
     * training-mode pass that {@link #backward} follows, and returns its logits. The layers before the first one that behaves differently
     * in training (dropout, batch norm) compute the same values in both modes; they run once, in training mode, and
     * both passes continue from their output. In the default network that is the first Linear layer and its
     * activation, most of the work. The results are bit for bit those of {@code forward(x, false)} followed by
     * {@code forward(x, true)}; evaluation draws no dropout mask.
     */
    public INDArray forwardEvaluatedThenTraining(INDArray x, Consumer<INDArray> evaluated) {
        checkInput(x);
        int shared = 0;
        INDArray prefix = x;
        while (shared < layers.size() && !(layers.get(shared) instanceof Dropout)
                && !(layers.get(shared) instanceof BatchNorm1d)) {
            prefix = layers.get(shared++).forward(prefix, true);
        }
        INDArray e = prefix;
        for (int i = shared; i < layers.size(); i++) {
            e = layers.get(i).forward(e, false);
        }
        // Without dropout and batch norm both passes are one: the consumer may overwrite what it gets, so it gets a copy.
        evaluated.accept(shared == layers.size() ? e.dup() : e);
        INDArray h = prefix;
        for (int i = shared; i < layers.size(); i++) {
            h = layers.get(i).forward(h, true);
        }
        return h;
    }

    /**
     * Back-propagates dLoss/dOutput of the latest forward pass, overwriting every parameter gradient, and returns the
     * sum of the squares of all gradient elements (float64), whose square root is the global gradient norm: each
     * parameter's sum ({@link SumOfSquares}) added in declaration order, so the result is bitwise the same for the
     * same gradients, whichever threads computed them.
     */
    public double backward(INDArray gradOutput) {
        INDArray g = gradOutput;
        for (int i = layers.size() - 1; i >= 0 && g != null; i--) {
            g = layers.get(i).backward(g);
        }
        double sum = 0;
        for (DoubleSupplier squares : gradientSquares) {
            sum += squares.getAsDouble();
        }
        return sum;
    }
}
