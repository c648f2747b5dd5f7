package org.streamingmlp.eval;

import java.util.ArrayList;
import java.util.List;

import org.streamingmlp.learner.ClassAgreement;

/**
 * One contender's prequential figures on one stream: accuracy and kappa since the start and over a fading window
 * (the service's own {@link ClassAgreement}), sampled every {@code every} examples for the tables and plots.
 */
final class Curve {

    /** The figures after {@code examples} examples. */
    record Point(long examples, double accuracy, double kappa, double fadingAccuracy, double fadingKappa) {
    }

    private final ClassAgreement sinceStart;
    private final ClassAgreement fading;
    private final long every;
    private final List<Point> points = new ArrayList<>();
    private long examples;
    private long nanos;

    Curve(int classes, double fadingFactor, long every) {
        this.sinceStart = new ClassAgreement(classes, 1.0);
        this.fading = new ClassAgreement(classes, fadingFactor);
        this.every = every;
    }

    void add(int predicted, int actual) {
        sinceStart.add(predicted, actual);
        fading.add(predicted, actual);
        examples++;
        if (examples % every == 0) {
            points.add(now());
        }
    }

    void took(long nanos) {
        this.nanos += nanos;
    }

    Point now() {
        return new Point(examples, sinceStart.accuracy(), sinceStart.kappa(), fading.accuracy(), fading.kappa());
    }

    List<Point> points() {
        return points;
    }

    double seconds() {
        return nanos / 1e9;
    }
}
