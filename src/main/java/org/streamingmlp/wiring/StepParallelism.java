package org.streamingmlp.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.nn.Gemm;
import org.streamingmlp.nn.HelperThread;

import io.quarkus.runtime.StartupEvent;

/**
 * Applies {@code mlp.training.parallel-step} to the core's process-wide helper settings. Off (the default), products
 * stay on the calling thread and AdamW's helper parks as soon as its half is done, which leaves the second core to
 * the Kafka consumer and the decoding; on, the core's own defaults (products split, the helper polling between
 * them). Both settings are read at every product, so applying them at startup is early enough.
 */
@ApplicationScoped
class StepParallelism {

    void apply(@Observes StartupEvent event, ServiceConfig config) {
        boolean parallel = config.training().parallelStep();
        Gemm.splitAcrossHelper(parallel);
        HelperThread.spinMicros(parallel ? HelperThread.DEFAULT_SPIN_US : 0);
    }
}
