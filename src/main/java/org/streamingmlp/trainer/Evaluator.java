package org.streamingmlp.trainer;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.streamingmlp.learner.EarlyStopping;
import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.learner.OnlineLearner;
import org.streamingmlp.learner.ValidationMonitor;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.LabeledExample;

/**
 * Evaluation and what follows from it: measures the model on the validation window every {@code everySteps}
 * batches (and whenever the stream pauses), and lets the {@link ValidationMonitor} turn evaluations into early
 * stopping (restore the best model, freeze) and, while frozen, drift detection (resume with a learning-rate warm
 * restart). Owned by the trainer thread.
 */
public final class Evaluator {

    private static final Logger LOG = Logger.getLogger(Evaluator.class);

    /**
     * When the model is evaluated.
     *
     * @param everySteps  evaluate on the validation window after this many batches
     * @param minExamples the window must hold this many examples to be evaluated
     */
    public record Schedule(int everySteps, int minExamples) {
    }

    private final VersionedModel model;
    private final ValidationWindow window;
    private final ValidationMonitor monitor;
    private final Schedule schedule;

    private ValidationFigures figures = ValidationFigures.NONE;
    private long batchesSinceEvaluation;
    private long evaluatedAtStep = -1;
    private long evaluatedAtReceived = -1;
    /** Step of the last evaluation early stopping counted. */
    private long monitoredAtStep = -1;
    private ModelSnapshot best;
    private long ignoredValidationExamples;

    public Evaluator(VersionedModel model, ValidationWindow window, ValidationMonitor monitor, Schedule schedule) {
        this.model = model;
        this.window = window;
        this.monitor = monitor;
        this.schedule = schedule;
    }

    /** Counts a batch; evaluates when one is due. */
    Optional<TrainingEvent> afterBatch() {
        return ++batchesSinceEvaluation >= schedule.everySteps() ? evaluate() : Optional.empty();
    }

    /** True when the model or the window changed since the last evaluation: a pause is worth measuring. */
    boolean hasNewEvidence() {
        return model.learner().step() != evaluatedAtStep || window.received() != evaluatedAtReceived;
    }

    /** Measures the current model; returns the early-stopping or drift event this caused, if any. */
    Optional<TrainingEvent> evaluate() {
        OnlineLearner learner = model.learner();
        batchesSinceEvaluation = 0;
        evaluatedAtStep = learner.step();
        evaluatedAtReceived = window.received();
        List<LabeledExample> examples = window.copy();
        if (examples.size() < schedule.minExamples()) {
            // too few examples to judge the model: no figure, no early-stopping evidence
            figures = new ValidationFigures(figures.validationLoss(), figures.validationAccuracy(), examples.size());
            return Optional.empty();
        }
        float[][] x = Batches.features(examples);
        int[][] categories = Batches.categories(examples);
        double loss = robustLoss(learner, examples, x, categories);
        // Scored by the model of this very step: the published one may lag by up to snapshot-every-steps.
        double accuracy = learner.config().loss().classifies()
                ? Score.of(learner.predict(x, categories), examples, true) : Double.NaN;
        figures = new ValidationFigures(loss, accuracy, examples.size());
        if (!monitor.frozen() && monitoredAtStep >= 0 && learner.step() - monitoredAtStep < schedule.everySteps()) {
            // Fewer than validate-every-steps steps since the last counted evaluation (an evaluation in a pause of
            // the stream): the figures are fresh, but early stopping counts evaluations at least everySteps apart.
            // Otherwise a slow stream, which pauses after every small batch, would count an evaluation per batch and
            // stop training within seconds; and a validation stream that starts before the training stream would
            // stop training at step 0.
            return Optional.empty();
        }
        monitoredAtStep = learner.step();
        return switch (monitor.onEvaluation(loss, accuracy, learner.step())) {
            case IMPROVED -> {
                best = publishedAsBest();
                yield Optional.empty();
            }
            case STOPPED -> Optional.of(stopEarly());
            case DRIFT -> Optional.of(resumeAfterDrift());
            case NONE -> Optional.empty();
        };
    }

    /**
     * The window's mean loss; when it is not finite, the mean over the examples whose own loss is finite, the others
     * ignored and counted ({@link #ignoredValidationExamples()}): one extreme example must not make every evaluation
     * "no improvement" and the drift statistic NaN. NaN when no example has a finite loss, or for the contrastive
     * loss, whose examples only have a loss in pairs.
     */
    private double robustLoss(OnlineLearner learner, List<LabeledExample> examples, float[][] x, int[][] categories) {
        double loss = learner.evaluateLoss(x, categories, Batches.targets(examples));
        if (Double.isFinite(loss) || learner.config().loss() == LossKind.CONTRASTIVE) {
            return loss;
        }
        double sum = 0;
        int finite = 0;
        for (int i = 0; i < examples.size(); i++) {
            List<LabeledExample> one = examples.subList(i, i + 1);
            double l = learner.evaluateLoss(new float[][] {x[i]}, categories == null ? null
                    : new int[][] {categories[i]}, Batches.targets(one));
            if (Double.isFinite(l)) {
                sum += l;
                finite++;
            } else {
                ignoredValidationExamples++;
            }
        }
        LOG.warnf("Validation loss at step %d is not finite: %d of %d examples have a non-finite loss and are left "
                + "out of this evaluation", learner.step(), examples.size() - finite, examples.size());
        return finite == 0 ? Double.NaN : sum / finite;
    }

    /** Validation examples left out of an evaluation because their loss was not finite (counted per evaluation). */
    long ignoredValidationExamples() {
        return ignoredValidationExamples;
    }

    boolean frozen() {
        return monitor.frozen();
    }

    ValidationFigures figures() {
        return figures;
    }

    ValidationMonitor monitor() {
        return monitor;
    }

    /**
     * The best model so far, as a published snapshot: predictions may have been answered by exactly these
     * parameters, under the version that the early-stopping event later names.
     */
    private ModelSnapshot publishedAsBest() {
        return model.publishedUpToDate();
    }

    private TrainingEvent stopEarly() {
        EarlyStopping stopping = monitor.earlyStopping();
        if (best != null) {   // null only if no evaluation of the round was ever an improvement
            model.learner().restore(best);   // parameters, running statistics and feature standardisation
        }
        model.publishNew();
        LOG.infof("Early stopping at step %d: no improvement for %d evaluations; restored the model of step %d "
                + "(best validation %s %.5f) as version %d; training is frozen until drift", model.learner().step(),
                stopping.counter(), stopping.bestStep(), monitor.monitored().name().toLowerCase(), stopping.best(),
                model.version());
        return event("early-stopping", stopping, Double.NaN);
    }

    private TrainingEvent resumeAfterDrift() {
        model.learner().restartSchedule();
        // The window mixes the old concept with the new: the new round judges the model on new examples only.
        window.clear();
        LOG.infof("Drift: validation loss %.5f rose above the frozen model's level (Page-Hinkley %.4f); training "
                + "resumes at step %d with a warm restart (round %d)", figures.validationLoss(),
                monitor.driftDetector().statistic(), model.learner().step(), monitor.round());
        return event("drift", monitor.finishedRound(), monitor.driftDetector().statistic());
    }

    private TrainingEvent event(String type, EarlyStopping stopping, double driftStatistic) {
        return new TrainingEvent(type, System.currentTimeMillis(), model.learner().step(), model.version(),
                monitor.round(), stopping.best(), stopping.bestStep(), best == null ? -1 : best.version(),
                figures.validationLoss(), driftStatistic);
    }
}
