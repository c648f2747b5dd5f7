package org.streamingmlp.kafka;

import java.util.List;

import io.smallrye.mutiny.Uni;

/** Waits for a batch's outgoing records, so its offsets are committed only after they are stored. */
final class Sends {

    private Sends() {
    }

    static void awaitAll(List<Uni<Void>> sends) {
        if (!sends.isEmpty()) {
            Uni.join().all(sends).andFailFast().await().indefinitely();
        }
    }
}
