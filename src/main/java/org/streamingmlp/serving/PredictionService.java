package org.streamingmlp.serving;

import java.util.ArrayList;
import java.util.List;

import org.streamingmlp.learner.ModelSnapshot;
import org.streamingmlp.nn.LossKind;
import org.streamingmlp.record.ClassNames;
import org.streamingmlp.record.PredictionRequest;

/**
 * The one answer path, shared by the Kafka edge and {@code POST /predict}: answers decoded requests with the newest
 * snapshot, all of one call in one forward pass by the same snapshot. Any thread may call it; it never waits for
 * training.
 */
public final class PredictionService {

    private final SnapshotRegistry snapshots;
    private final boolean classifies;
    private final ClassNames classNames;
    private final RecentAnswers recent = new RecentAnswers(20);

    /** @param classNames names of the classes, or null when answers carry indices only */
    public PredictionService(SnapshotRegistry snapshots, LossKind loss, ClassNames classNames) {
        this.snapshots = snapshots;
        this.classifies = loss.classifies();
        this.classNames = classNames;
    }

    /**
     * One answer per request, in order.
     *
     * @throws NoModelYetException before the trainer has published its first snapshot
     */
    public List<Answer> answer(List<PredictionRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        ModelSnapshot snapshot = snapshots.current().orElseThrow(NoModelYetException::new);
        float[][] features = new float[requests.size()][];
        int[][] categories = new int[requests.size()][];
        for (int i = 0; i < features.length; i++) {
            features[i] = requests.get(i).features();
            categories[i] = requests.get(i).categories();
        }
        float[][] outputs = snapshot.predict(features, categories);
        List<Answer> answers = new ArrayList<>(outputs.length);
        for (int i = 0; i < outputs.length; i++) {
            answers.add(answer(requests.get(i).id(), outputs[i], snapshot.version()));
        }
        recent.add(answers);
        return answers;
    }

    private Answer answer(String id, float[] output, long version) {
        if (classifies) {
            int predicted = ModelSnapshot.argmax(output);
            return new Answer(id, predicted, classNames == null ? null : classNames.name(predicted), output, version);
        }
        return new Answer(id, output.length == 1 ? (Object) output[0] : output, null, null, version);
    }

    /** The last answers given, over Kafka and HTTP alike. */
    public RecentAnswers recentAnswers() {
        return recent;
    }

    /** No snapshot has been published yet: the service is not ready. */
    public static final class NoModelYetException extends RuntimeException {
        public NoModelYetException() {
            super("no model snapshot has been published yet");
        }
    }
}
