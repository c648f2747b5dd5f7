package org.streamingmlp.kafka;

import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.streamingmlp.trainer.EarlyStoppingStatus;
import org.streamingmlp.trainer.TrainingEvent;
import org.streamingmlp.trainer.TrainingListener;
import org.streamingmlp.trainer.TrainingReport;

/**
 * One log line per training report (every {@code mlp.metrics.interval}) and per phase event, in words a terminal or
 * a plain log shows as they are:
 * <pre>
 * progress: 24,576 examples (1,010/s) | train loss 0.512 | accuracy: prequential 0.812, validation 0.826 (loss 0.49) | early stopping: training, 2/5 without improvement | model v383 | dead letters 0
 * </pre>
 * While nothing moves (no example, no new version) a line is repeated only once a minute, so an idle service does
 * not fill its log. Called on the trainer thread only. Category {@code org.streamingmlp.progress}: {@code quarkus.log.category."org.streamingmlp.progress".level=WARN}
 * silences it.
 */
@ApplicationScoped
public class ProgressLog implements TrainingListener {

    private static final Logger LOG = Logger.getLogger("org.streamingmlp.progress");

    static final long IDLE_REPEAT_MILLIS = 60_000;

    @Inject
    StreamFigures figures;

    private long lastExamples = -1;
    private long lastVersion = -1;
    private long lastLineAt;

    @Override
    public void report(TrainingReport report) {
        if (LOG.isInfoEnabled() && due(report)) {
            LOG.info(line(report, figures.deadLettersByReason()));
        }
    }

    /** Something moved since the last line, or a minute has passed. */
    boolean due(TrainingReport report) {
        boolean moved = report.training().examplesSeen() != lastExamples || report.modelVersion() != lastVersion;
        if (!moved && report.timestamp() - lastLineAt < IDLE_REPEAT_MILLIS) {
            return false;
        }
        lastExamples = report.training().examplesSeen();
        lastVersion = report.modelVersion();
        lastLineAt = report.timestamp();
        return true;
    }

    @Override
    public void event(TrainingEvent event) {
        if (event.type().equals("early-stopping")) {
            LOG.infof("progress: EARLY STOPPING at step %d: validation stopped improving; best model (step %d, "
                    + "validation %s) restored as v%d; training frozen until drift", event.step(), event.bestStep(),
                    number(event.bestValidation()), event.modelVersion());
        } else {
            LOG.infof("progress: DRIFT at step %d: validation loss rose to %s while frozen; training resumes "
                    + "(round %d, model v%d)", event.step(), number(event.validationLoss()), event.round(),
                    event.modelVersion());
        }
    }

    static String line(TrainingReport r, Map<String, Long> deadLetters) {
        EarlyStoppingStatus stopping = r.earlyStopping();
        String state = stopping.stopped() ? "FROZEN (stopped, round " + stopping.round() + ")"
                : String.format(Locale.ROOT, "training, %d/%d without improvement", stopping.counter(),
                        stopping.patience());
        return String.format(Locale.ROOT,
                "progress: %,d examples (%,.0f/s) | train loss %s | accuracy: prequential %s, validation %s "
                        + "(loss %s) | early stopping: %s | model v%d | dead letters %,d",
                r.training().examplesSeen(), finite(r.training().examplesPerSecond()),
                number(r.training().trainLoss()), number(r.training().prequential().fadingPrequentialAccuracy()),
                number(r.validation().validationAccuracy()), number(r.validation().validationLoss()), state,
                r.modelVersion(), deadLetters.values().stream().mapToLong(Long::longValue).sum());
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
