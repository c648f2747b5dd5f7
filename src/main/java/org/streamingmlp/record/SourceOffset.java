package org.streamingmlp.record;

/** Where a consumed record came from; {@link #key()} names its partition as {@code topic-partition}. */
public record SourceOffset(String topic, int partition, long offset) {

    public String key() {
        return topic + "-" + partition;
    }
}
