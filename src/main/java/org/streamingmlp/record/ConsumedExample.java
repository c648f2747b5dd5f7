package org.streamingmlp.record;

/** A decoded example on its way to the trainer, with the position of its record (for exactly-once restarts). */
public record ConsumedExample(LabeledExample example, SourceOffset source) {
}
