package org.streamingmlp.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.ActivationLayer;
import org.streamingmlp.nn.CrossEntropyLoss;
import org.streamingmlp.nn.Dropout;
import org.streamingmlp.nn.Layer;
import org.streamingmlp.nn.Linear;
import org.streamingmlp.nn.NumericBuffer;
import org.streamingmlp.nn.Parameters;
import org.streamingmlp.optim.AdamW;
import org.streamingmlp.optim.AdamWConfig;
import org.streamingmlp.optim.GradientClipping;

/**
 * Where the time of one training step goes: 784-256-256-10, ReLU, dropout 0.2, cross-entropy, global-norm clipping,
 * AdamW, float32, on random inputs; per layer forward/backward and per phase, median microseconds over many steps.
 * The last line is the process's CPU time per step (all threads: this one, AdamW's helper, JIT and GC; mean over the
 * second half), which, unlike wall time, does not grow when other processes hold the cores.
 * <pre>
 *   java -cp ... org.streamingmlp.bench.StepProfile [batch=64] [steps=2000]
 * </pre>
 */
public final class StepProfile {
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        DataType dt = DataType.FLOAT;
        int[] sizes = {784, 256, 256, 10};
        Parameters.Builder b = Parameters.builder();
        for (int k = 1; k < sizes.length; k++) {
            Linear.declare(b, "fc" + k, sizes[k - 1], sizes[k]);
        }
        Parameters p = b.build(dt);
        SplittableRandom r = new SplittableRandom(1);
        NumericBuffer v = p.values();
        for (int i = 0; i < v.length(); i++) {
            v.set(i, (r.nextDouble() - 0.5) * 0.1);
        }
        List<Layer> layers = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int k = 1; k < sizes.length; k++) {
            layers.add(new Linear(p, "fc" + k, sizes[k - 1], sizes[k], k > 1));
            names.add("fc" + k);
            if (k < sizes.length - 1) {
                layers.add(new ActivationLayer(Activation.RELU, 0.01, dt));
                names.add("relu" + k);
                layers.add(new Dropout(0.2, r.split(), dt));
                names.add("drop" + k);
            }
        }
        INDArray x = Nd4j.rand(dt, batch, 784);
        INDArray t = Nd4j.create(dt, batch, 1);
        for (int i = 0; i < batch; i++) {
            t.putScalar(i, 0, i % 10);
        }
        INDArray g = Nd4j.create(dt, batch, 10);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        // as OnlineLearner (Mlp.helperParameterRanges): the helper updates the weight rows whose gradients it computed
        List<Integer> helperRanges = new ArrayList<>();
        for (int k = 1; k < sizes.length; k++) {
            Parameters.Slot w = p.slot("fc" + k + ".weight");
            int from = Linear.helperRowsFrom(sizes[k]) * sizes[k - 1];
            if (from < w.length()) {
                helperRanges.add(w.offset() + from);
                helperRanges.add(w.offset() + w.length());
            }
        }
        AdamW adam = new AdamW(AdamWConfig.defaults(), p.size(), dt, Boolean.getBoolean("profile.halves") ? null
                : helperRanges.stream().mapToInt(Integer::intValue).toArray());
        int nl = layers.size();
        long[][] fwd = new long[nl][steps];
        long[][] bwd = new long[nl][steps];
        long[] lossT = new long[steps];
        long[] normT = new long[steps];
        long[] adamT = new long[steps];
        long[] total = new long[steps];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuHalf = 0;
        for (int s = 0; s < steps; s++) {
            if (s == steps / 2) {
                cpuHalf = os.getProcessCpuTime();
            }
            long t0 = System.nanoTime();
            INDArray h = x;
            for (int i = 0; i < nl; i++) {
                long a = System.nanoTime();
                h = layers.get(i).forward(h, true);
                fwd[i][s] = System.nanoTime() - a;
            }
            long a = System.nanoTime();
            loss.compute(h, t, g);
            lossT[s] = System.nanoTime() - a;
            INDArray gg = g;
            for (int i = nl - 1; i >= 0 && gg != null; i--) {
                a = System.nanoTime();
                gg = layers.get(i).backward(gg);
                bwd[i][s] = System.nanoTime() - a;
            }
            // as Mlp.backward: each Linear summed its gradient's squares in its backward (timed there)
            a = System.nanoTime();
            double squares = 0;
            for (Layer layer : layers) {
                if (layer instanceof Linear linear) {
                    squares += linear.weightGradientSquares() + linear.biasGradientSquares();
                }
            }
            double norm = Math.sqrt(squares);
            normT[s] = System.nanoTime() - a;
            a = System.nanoTime();
            adam.step(p.values(), p.gradients(), 1e-4, p.weightLength(), GradientClipping.coefficient(norm, 1.0));
            adamT[s] = System.nanoTime() - a;
            total[s] = System.nanoTime() - t0;
        }
        double cpuPerStep = (os.getProcessCpuTime() - cpuHalf) / 1e3 / (steps - steps / 2);
        System.out.printf("batch %d, %d steps, median microseconds (second half)%n", batch, steps);
        for (int i = 0; i < nl; i++) {
            System.out.printf("  %-6s forward %7.1f  backward %7.1f%n", names.get(i), med(fwd[i]), med(bwd[i]));
        }
        System.out.printf("  loss %.1f, global norm %.1f, adamw %.1f%n", med(lossT), med(normT), med(adamT));
        System.out.printf("  total step %.1f us -> %.0f examples/s%n", med(total), batch / med(total) * 1e6);
        System.out.printf("  process cpu per step %.1f us%n", cpuPerStep);
    }

    static double med(long[] a) {
        long[] c = Arrays.copyOfRange(a, a.length / 2, a.length);
        Arrays.sort(c);
        return c[c.length / 2] / 1e3;
    }
}
