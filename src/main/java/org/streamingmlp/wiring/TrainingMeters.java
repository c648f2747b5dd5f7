package org.streamingmlp.wiring;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.streamingmlp.trainer.TrainingReport;

/** Micrometer gauges (on /q/metrics) that mirror the fields of the metrics topic's reports. */
final class TrainingMeters {

    /** Counter of accepted records whose categorical field held an unknown value, tagged {@code field}. */
    static final String UNSEEN_CATEGORIES = "mlp.features.unseen.categories";

    private TrainingMeters() {
    }

    static void register(MeterRegistry registry, TrainerLifecycle trainer) {
        gauge(registry, "mlp.training.step", trainer, TrainingReport::step);
        gauge(registry, "mlp.training.examples", trainer, r -> r.training().examplesSeen());
        gauge(registry, "mlp.model.version", trainer, TrainingReport::modelVersion);
        gauge(registry, "mlp.training.loss", trainer, r -> r.training().trainLoss());
        gauge(registry, "mlp.training.accuracy", trainer, r -> r.training().trainAccuracy());
        gauge(registry, "mlp.validation.loss", trainer, r -> r.validation().validationLoss());
        gauge(registry, "mlp.validation.accuracy", trainer, r -> r.validation().validationAccuracy());
        gauge(registry, "mlp.training.learning.rate", trainer, r -> r.training().learningRate());
        gauge(registry, "mlp.training.grad.norm", trainer, r -> r.training().gradNorm());
        gauge(registry, "mlp.training.skipped.updates", trainer, r -> r.training().skippedUpdates());
        gauge(registry, "mlp.training.examples.per.second", trainer, r -> r.training().examplesPerSecond());
        gauge(registry, "mlp.training.examples.ignored.frozen", trainer,
                r -> r.training().examplesIgnoredWhileFrozen());
        gauge(registry, "mlp.training.mean.absolute.error", trainer, r -> r.training().trainMeanAbsoluteError());
        gauge(registry, "mlp.validation.gap", trainer, TrainingReport::generalizationGap);
        gauge(registry, "mlp.early.stopping.frozen", trainer, r -> r.earlyStopping().stopped() ? 1 : 0);
        gauge(registry, "mlp.early.stopping.counter", trainer, r -> r.earlyStopping().counter());
        gauge(registry, "mlp.early.stopping.best", trainer, r -> r.earlyStopping().best());
        gauge(registry, "mlp.drift.events", trainer, r -> r.drift().driftEvents());
        Gauge.builder("mlp.training.queue.size", trainer, TrainerLifecycle::queuedExamples).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, TrainerLifecycle trainer,
                              ToDoubleFunction<TrainingReport> field) {
        Gauge.builder(name, trainer, t -> t.status().map(field::applyAsDouble).orElse(Double.NaN)).register(registry);
    }
}
