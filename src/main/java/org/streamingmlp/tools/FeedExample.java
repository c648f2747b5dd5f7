package org.streamingmlp.tools;

/**
 * One record read from a data file, before it is encoded for a topic.
 *
 * @param id         the record's id (also its Kafka key)
 * @param features   the feature values, in the file's order
 * @param classIndex the class label, or -1 when the record carries {@code targets} or no label
 * @param targets    target values (regression, BCE), or null
 */
record FeedExample(String id, float[] features, int classIndex, float[] targets) {

    boolean labelled() {
        return classIndex >= 0 || targets != null;
    }
}
