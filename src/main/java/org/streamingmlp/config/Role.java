package org.streamingmlp.config;

/** What one process of the service does; {@code mlp.role}. */
public enum Role {
    /** Trains and answers, in one process (a laptop, a small deployment). */
    ALL_IN_ONE(true, true),
    /** Trains, checkpoints and publishes snapshots to the model topic; answers no Kafka requests. */
    TRAINER(true, false),
    /** Answers requests from the newest snapshot on the model topic; never trains. */
    PREDICTOR(false, true);

    private final boolean trains;
    private final boolean answersRequests;

    Role(boolean trains, boolean answersRequests) {
        this.trains = trains;
        this.answersRequests = answersRequests;
    }

    public boolean trains() {
        return trains;
    }

    /** Consumes the prediction-request topic. */
    public boolean answersRequests() {
        return answersRequests;
    }

    /** Reads its model from the model topic instead of training one. */
    public boolean readsModelTopic() {
        return !trains;
    }

    /** The value as written in configuration: {@code all-in-one}, {@code trainer}, {@code predictor}. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
