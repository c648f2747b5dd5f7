package org.streamingmlp.wiring;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.streamingmlp.config.ServiceConfig;
import org.streamingmlp.nn.Gemm;
import org.streamingmlp.nn.HelperThread;

import io.quarkus.runtime.StartupEvent;

/**
 * Applies {@code mlp.training.parallel-step} to the core's process-wide helper settings. Off (the default), products
 * stay on the calling thread (training and prediction alike) and AdamW's helper parks as soon as its half is done,
 * which leaves the second core to the Kafka consumer and the decoding. On, the core keeps what its system properties
 * say ({@code streamingmlp.gemm.helper-threads}, {@code streamingmlp.step-helper.spin-us}; by default products split
 * and the helper polling between them): the key only ever narrows them. Both settings are read at every product, so
 * applying them at startup is early enough.
 */
@ApplicationScoped
class StepParallelism {

    void apply(@Observes StartupEvent event, ServiceConfig config) {
        if (!config.training().parallelStep()) {
            Gemm.splitAcrossHelper(false);
            HelperThread.spinMicros(0);
        }
    }
}
