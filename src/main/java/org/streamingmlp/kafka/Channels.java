package org.streamingmlp.kafka;

/**
 * Names of the messaging channels, shared by the code and the tests (answers go through {@link AnswerProducer}, not a
 * channel). Each channel's topic is configured in
 * application.properties from an {@code mlp.topics.*} key (defaults: mlp.train, mlp.validation, mlp.predict,
 * mlp.predictions, mlp.metrics, mlp.dlq).
 */
public final class Channels {

    public static final String TRAINING = "training";
    public static final String VALIDATION = "validation";
    public static final String PREDICTION_REQUESTS = "prediction-requests";
    public static final String METRICS = "metrics";
    public static final String DEAD_LETTERS = "dead-letters";
    /** Predictors only: the model topic, read from its beginning. */
    public static final String MODEL_UPDATES = "model-updates";

    private Channels() {
    }
}
