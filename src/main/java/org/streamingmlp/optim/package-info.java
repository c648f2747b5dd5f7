/**
 * Optimisation: {@link org.streamingmlp.optim.AdamW}, global-norm
 * {@link org.streamingmlp.optim.GradientClipping}, and learning-rate schedules as pure functions of the step
 * ({@link org.streamingmlp.optim.WarmupCosineSchedule}, {@link org.streamingmlp.optim.CosineWarmRestartsSchedule}).
 * Configuration records validate themselves; optimizer state is separate and exportable for checkpoints.
 */
package org.streamingmlp.optim;
