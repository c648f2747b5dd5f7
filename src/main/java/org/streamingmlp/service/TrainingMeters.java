package org.streamingmlp.service;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.streamingmlp.trainer.TrainingReport;

/** Micrometer gauges (on /q/metrics) that mirror the fields of the metrics topic's reports. */
final class TrainingMeters {

    private TrainingMeters() {
    }

    static void register(MeterRegistry registry, LearningService service) {
        gauge(registry, "mlp.training.step", service, TrainingReport::step);
        gauge(registry, "mlp.training.examples", service, TrainingReport::examplesSeen);
        gauge(registry, "mlp.model.version", service, TrainingReport::modelVersion);
        gauge(registry, "mlp.training.loss", service, TrainingReport::trainLoss);
        gauge(registry, "mlp.training.accuracy", service, TrainingReport::trainAccuracy);
        gauge(registry, "mlp.validation.loss", service, TrainingReport::validationLoss);
        gauge(registry, "mlp.validation.accuracy", service, TrainingReport::validationAccuracy);
        gauge(registry, "mlp.training.learning.rate", service, TrainingReport::learningRate);
        gauge(registry, "mlp.training.grad.norm", service, TrainingReport::gradNorm);
        gauge(registry, "mlp.training.skipped.updates", service, TrainingReport::skippedUpdates);
        gauge(registry, "mlp.training.examples.per.second", service, TrainingReport::examplesPerSecond);
        gauge(registry, "mlp.training.examples.ignored.frozen", service, TrainingReport::examplesIgnoredWhileFrozen);
        gauge(registry, "mlp.training.mean.absolute.error", service, TrainingReport::trainMeanAbsoluteError);
        gauge(registry, "mlp.validation.gap", service, TrainingReport::generalizationGap);
        gauge(registry, "mlp.early.stopping.frozen", service, r -> r.phase().name().equals("FROZEN") ? 1 : 0);
        gauge(registry, "mlp.early.stopping.counter", service, TrainingReport::patienceCounter);
        gauge(registry, "mlp.early.stopping.best", service, TrainingReport::bestValidation);
        gauge(registry, "mlp.drift.events", service, TrainingReport::driftEvents);
        Gauge.builder("mlp.training.queue.size", service, LearningService::queuedExamples).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, LearningService service,
                              ToDoubleFunction<TrainingReport> field) {
        Gauge.builder(name, service, s -> s.status() == null ? Double.NaN : field.applyAsDouble(s.status()))
                .register(registry);
    }
}
