package org.streamingmlp.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import org.streamingmlp.learner.EarlyStoppingConfig;
import org.streamingmlp.nn.Activation;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.nn.Normalization;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.optim.ScheduleConfig;

/**
 * Every setting of the service under the {@code mlp.} prefix, with its default.
 * Types are checked by Quarkus at startup; ranges are checked when {@link LearnerSettings} builds the core's
 * configuration records, and a bad value fails startup with a message naming the key.
 * The README lists the same keys: change both together.
 */
@ConfigMapping(prefix = "mlp")
public interface ServiceConfig {

    /**
     * What this process does: {@code all-in-one} trains and answers; {@code trainer} trains and publishes snapshots
     * to the model topic; {@code predictor} answers from the snapshots it reads there. {@link RoleChannels} turns the
     * role into the channels that run.
     */
    @WithDefault("all-in-one")
    Role role();

    /**
     * This process's name among its peers: suffix of the exactly-once transactional id, so every predictor has its
     * own. Unset: the host name (a pod's name on Kubernetes).
     */
    Optional<String> instanceId();

    /** Snapshots on the model topic: how the trainer hands its model to the predictors. */
    Distribution distribution();

    Model model();

    /** Named input fields; without any, records carry features as a plain array. */
    Features features();

    Training training();

    Optimizer optimizer();

    EarlyStopping earlyStopping();

    Drift drift();

    Checkpoints checkpoint();

    Predictions predictions();

    Schedule schedule();

    Records records();

    Metrics metrics();

    /** Topic names; the messaging channels in application.properties read them. */
    Topics topics();

    /** Consumer groups of the trainer (training and validation topics) and the predictors (request topic). */
    Groups groups();

    /** Who may call the HTTP endpoints (the state-changing ones always need role admin). */
    Security security();

    interface Topics {
        @WithDefault("mlp.train")
        String train();

        @WithDefault("mlp.validation")
        String validation();

        @WithDefault("mlp.predict")
        String predict();

        @WithDefault("mlp.predictions")
        String predictions();

        @WithDefault("mlp.metrics")
        String metrics();

        @WithDefault("mlp.dlq")
        String dlq();

        /** Compacted; the trainer publishes snapshots there, predictors read it from the beginning. */
        @WithDefault("mlp.model")
        String model();

        /**
         * Create every topic the service reads or writes at startup if it is missing (an existing topic is never
         * changed), so that a client can subscribe to the outputs before the first record is written.
         */
        @WithDefault("true")
        boolean create();

        /** Partitions of the topics it creates; unset: the broker's {@code num.partitions}. */
        Optional<Integer> partitions();

        /** Replication factor of the topics it creates; unset: the broker's {@code default.replication.factor}. */
        Optional<Short> replicationFactor();
    }

    interface Groups {
        @WithDefault("streaming-mlp-trainer")
        String trainer();

        @WithDefault("streaming-mlp-predictor")
        String predictor();
    }

    interface Distribution {
        /** The trainer publishes its newest snapshot this often, if the model changed since the last one. */
        @WithDefault("2s")
        Duration publishInterval();

        /** Snapshots are cut into records of at most this many bytes (under the broker's message.max.bytes). */
        @WithDefault("524288")
        int chunkBytes();
    }

    interface Model {
        /** The model's name: the key of its snapshots on the model topic. */
        @WithDefault("streaming-mlp")
        String name();

        /** Number of numeric features in every record. */
        @WithDefault("4")
        int inputSize();

        /**
         * Widths of the hidden Linear-activation-Dropout blocks. 96,96 (64,64 before): with beta1 0.8 and clipping
         * at 5, +0.5 points of prequential accuracy on LED and +1.7 on RBF, the same or better on the other evaluated
         * streams (README, "Why these defaults"); the primer's recipe is 64,64.
         */
        @WithDefault("96,96")
        List<Integer> hiddenSizes();

        /** Number of classes (classification), targets (regression) or embedding width (contrastive). */
        @WithDefault("3")
        int outputSize();

        @WithDefault("relu")
        Activation activation();

        /** Negative slope of LEAKY_RELU. */
        @WithDefault("0.01")
        double leakySlope();

        /**
         * Dropout probability after each hidden activation. 0 by default: a stream rarely shows an example twice, so
         * there is little to overfit, and dropout slowed learning on every evaluated stream (README "How well it
         * learns"); the primer's recipe uses 0.2.
         */
        @WithDefault("0")
        double dropout();

        @WithDefault("none")
        Normalization normalization();

        /** Names of the classes, in class-index order (classification only); labels may then be names. */
        Optional<List<String>> classNames();
    }

    /**
     * The feature schema: when any field is named, JSON records carry {@code "features"} as an object of named
     * fields. Numeric fields keep the listed order; categorical fields are embedded, in alphabetical name order.
     */
    interface Features {
        /** Numeric field names, in the order of the model's inputs; their count must equal mlp.model.input-size. */
        Optional<List<String>> numeric();

        /** Categorical fields by name: {@code mlp.features.categorical.<name>.values} and {@code .dimension}. */
        Map<String, Categorical> categorical();

        interface Categorical {
            /** The known categories; the i-th (from 1) is embedding row i, row 0 stands for any other value. */
            List<String> values();

            /** Width of the field's embedding. */
            @WithDefault("4")
            int dimension();
        }
    }

    interface Training {
        @WithDefault("cross-entropy")
        LossKind loss();

        /** Examples per optimizer step. */
        @WithDefault("32")
        int batchSize();

        /** A partial batch is trained after waiting this long, so a slow stream still learns. */
        @WithDefault("200ms")
        Duration maxBatchWait();

        /** Decoded examples waiting for the trainer; when full, consumption blocks (backpressure). */
        @WithDefault("4096")
        int queueCapacity();

        /**
         * Global L2 norm the gradients are clipped to. 5 (the primer's 1.0 before): a guard against outliers that
         * no longer slows the first steps after a drift, when the gradients are large and right.
         */
        @WithDefault("5.0")
        double maxGradNorm();

        /** Seed of the weight initialisation and dropout. */
        @WithDefault("42")
        long seed();

        /**
         * A snapshot for predictions follows every step that leaves no full batch waiting (the trainer caught up);
         * while it works through a backlog, at most one per this interval (0: after every step).
         */
        @WithDefault("50ms")
        Duration snapshotInterval();

        /** 0, or also a snapshot after every this many steps whatever the backlog. */
        @WithDefault("0")
        int snapshotEverySteps();

        /**
         * Whether large matrix products (of training steps and of batched predictions) are split across a second
         * core (the core's helper thread, which then polls for 200 us between them instead of parking). Off: in the
         * service the second core decodes the Kafka stream, and the split moves work there rather than removing it
         * (2 cores: end to end 25,149-26,125 examples/s off, 21,665-23,014 on, 8-17% less, while the split gains the
         * raw trainer 12-19%). On leaves the core's system properties in charge (docs/learning-core.md).
         */
        @WithDefault("false")
        boolean parallelStep();

        /** The model is evaluated on the validation window after this many optimizer steps. */
        @WithDefault("50")
        int validateEverySteps();

        /** Most recent validation examples kept for evaluation. */
        @WithDefault("1000")
        int validationWindow();

        /**
         * Fewest validation examples worth an evaluation (the window is emptied on drift, since it then mixes
         * the old concept with the new).
         */
        @WithDefault("100")
        int minValidationExamples();

        /**
         * Standardise every feature by its running mean and standard deviation over the training examples seen
         * (part of the model state: snapshots carry the scaling their parameters were trained under). On by default:
         * features of unknown and unequal scales (Agrawal's salary against its age) otherwise stall the MLP.
         */
        @WithDefault("true")
        boolean standardizeFeatures();

        /**
         * At shutdown (SIGTERM), how long the trainer may take to finish its batch and write its last checkpoint.
         * Keep it below the pod's terminationGracePeriodSeconds (30 s in k8s/).
         */
        @WithDefault("20s")
        Duration shutdownGrace();

        /** Liveness fails after this many consecutive updates skipped for a non-finite loss or gradient. */
        @WithDefault("100")
        int maxConsecutiveSkipped();
    }

    /** Early stopping on the validation evaluations: freeze and restore the best model when they stop improving. */
    interface EarlyStopping {
        @WithDefault("true")
        boolean enabled();

        /** Evaluations without improvement that stop training. */
        @WithDefault("5")
        int patience();

        /** An improvement must beat the best by more than this. */
        @WithDefault("0")
        double minDelta();

        /** The validation figure watched: loss (mode min) or accuracy (mode max). */
        @WithDefault("loss")
        ValidationMonitor.Monitored monitor();

        @WithDefault("min")
        EarlyStoppingConfig.Mode mode();
    }

    /** Page-Hinkley drift detection on the validation loss while training is frozen. */
    interface Drift {
        /** Change of the (median-of-three smoothed) validation loss tolerated as noise. */
        @WithDefault("0.01")
        double delta();

        /** Accumulated rise of the validation loss that declares drift (lambda). */
        @WithDefault("0.3")
        double threshold();

        /** Evaluations while frozen before drift can be declared. */
        @WithDefault("3")
        int minEvaluations();
    }

    /** AdamW with decoupled weight decay (Loshchilov and Hutter, 2019), as PyTorch's {@code torch.optim.AdamW}. */
    interface Optimizer {
        /**
         * Peak learning rate (the schedule scales it). 0.003: faster than the primer's 0.001 to follow drift, and
         * the best of 0.001-0.01 over all evaluated streams (0.01 loses on 784 pixel inputs).
         */
        @WithDefault("0.003")
        double learningRate();

        /**
         * Decay of the first moment. 0.8 (the primer's and PyTorch's 0.9 before): the momentum forgets the old
         * concept in about 5 steps instead of 10, so recovery after a drift is faster.
         */
        @WithDefault("0.8")
        double beta1();

        @WithDefault("0.999")
        double beta2();

        @WithDefault("1e-8")
        double eps();

        @WithDefault("0.01")
        double weightDecay();

        /** Decay biases and normalisation parameters too, as {@code AdamW(model.parameters())} does. */
        @WithDefault("true")
        boolean decayBiasesAndNorms();
    }

    /** Linear warmup, then the peak rate held (constant) or cosine annealing to a floor over a cycle of steps. */
    interface Schedule {
        /**
         * {@code constant}: hold the peak after warmup (streams: the model keeps following drift); {@code cosine}:
         * the PyTorch recipe's annealing, shaped by the three keys below (which {@code constant} ignores).
         */
        @WithDefault("constant")
        ScheduleConfig.Kind kind();

        @WithDefault("20")
        int warmupSteps();

        /** Length of one cosine cycle, in optimizer steps. */
        @WithDefault("10000")
        long totalSteps();

        /** Learning rate at the bottom of the cosine. */
        @WithDefault("0.00001")
        double minLearningRate();

        /** Restart the cosine after each cycle (a stream never ends) instead of holding the floor. */
        @WithDefault("true")
        boolean warmRestarts();
    }

    /** Checkpoints of the learner's state; off unless a directory is given. */
    interface Checkpoints {
        /** Directory of the checkpoints; unset: no checkpoints. The newest valid one is restored at startup. */
        Optional<String> dir();

        /** Newest checkpoints kept. */
        @WithDefault("3")
        int keep();

        /** A checkpoint after this many optimizer steps... */
        @WithDefault("1000")
        long everySteps();

        /** ...or after this long, if the model changed. Also on graceful shutdown and on POST /model/checkpoint. */
        @WithDefault("60s")
        Duration interval();

        /**
         * The {@code checkpoints} readiness check is DOWN while the model has steps that no checkpoint holds for
         * longer than this (writes failing: a full disk); unset: no such check.
         */
        Optional<Duration> maxAge();
    }

    /** Delivery of prediction answers. */
    interface Predictions {
        /**
         * Write each batch's answers, dead letters and consumer offsets in one Kafka transaction, so that
         * read_committed readers see exactly one answer per request; off: at-least-once.
         */
        @WithDefault("false")
        boolean exactlyOnce();

        /** Prefix of the transactional producer's id; the id is {@code <prefix>-<mlp.instance-id>}. */
        @WithDefault("streaming-mlp-answers")
        String transactionalId();

        /**
         * {@code POST /predict} answers 413 (reason TOO_MANY_REQUESTS) to an array of more requests: one call is one
         * forward pass, and a huge one would hold the snapshot that the trainer's scoring also needs.
         */
        @WithDefault("1000")
        int maxRequestsPerCall();
    }

    interface Records {
        /** Larger record values are rejected (reason OVERSIZED) before they are parsed. */
        @WithDefault("262144")
        int maxBytes();

        /**
         * A feature whose magnitude is larger is rejected (reason FEATURE_OUT_OF_RANGE): a finite float of 1e30
         * would dominate every gradient, and the standardisation statistics for good.
         */
        @WithDefault("1e6")
        double maxFeatureMagnitude();

        /** A larger example weight is rejected (reason WEIGHT_OUT_OF_RANGE): one example would outweigh its batch. */
        @WithDefault("1000")
        double maxWeight();
    }

    interface Metrics {
        /** How often a report is published on the metrics topic. */
        @WithDefault("5s")
        Duration interval();

        /**
         * Weight an example keeps in the fading prequential figures per newer example: they describe about the
         * last {@code 1 / (1 - factor)} examples (MOA's EvaluatePrequential fading factor).
         */
        @WithDefault("0.999")
        double fadingFactor();
    }

    /**
     * The HTTP switches of the security setup (application.properties, "HTTP security"). State-changing endpoints
     * ({@code POST /model/checkpoint}) always require role {@code admin}; these two choose for the others.
     */
    interface Security {
        /** Who may read {@code GET /model} and {@code /dashboard/**}. */
        enum OperatorEndpoints {
            /** role {@code operator} or {@code admin} */
            PROTECTED,
            /** anyone who reaches the port */
            OPEN
        }

        /** Who may call {@code POST /predict}. */
        enum Predictions {
            /** anyone who reaches the port */
            OPEN,
            /** any authenticated caller, whatever its roles */
            AUTHENTICATED
        }

        /** {@code protected} (role operator or admin) or {@code open}; dev mode sets {@code open}. */
        @WithDefault("protected")
        OperatorEndpoints operatorEndpoints();

        /** {@code open} or {@code authenticated}. */
        @WithDefault("open")
        Predictions predictions();
    }
}
