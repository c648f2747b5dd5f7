package org.streamingmlp.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.streamingmlp.broker.LocalBrokerLauncher.Decision;

/** The launcher's start/skip/fail decision, without Quarkus. */
class LocalBrokerLauncherDecisionTest {

    @Test
    void disabledNeverStarts() {
        assertEquals(Decision.DISABLED, LocalBrokerLauncher.decide(false, "localhost", 9092, Optional.empty(), true));
        assertEquals(Decision.DISABLED, LocalBrokerLauncher.decide(false, "localhost", 9092, Optional.empty(), false));
    }

    @Test
    void startsWithoutOrWithLocalBootstrap() {
        assertEquals(Decision.START, LocalBrokerLauncher.decide(true, "localhost", 9092, Optional.empty(), true));
        assertEquals(Decision.START,
                LocalBrokerLauncher.decide(true, "localhost", 9092, Optional.of("localhost:9092"), true));
        assertEquals(Decision.START,
                LocalBrokerLauncher.decide(true, "localhost", 9092, Optional.of("127.0.0.1:9092"), true));
        assertEquals(Decision.START,
                LocalBrokerLauncher.decide(true, "my-host", 19092, Optional.of("PLAINTEXT://my-host:19092"), true));
    }

    @Test
    void externalBootstrapWins() {
        assertEquals(Decision.EXTERNAL_BROKER,
                LocalBrokerLauncher.decide(true, "localhost", 9092, Optional.of("kafka:9092"), true));
        assertEquals(Decision.EXTERNAL_BROKER,
                LocalBrokerLauncher.decide(true, "localhost", 9092, Optional.of("localhost:29092"), true));
        assertEquals(Decision.EXTERNAL_BROKER,
                LocalBrokerLauncher.decide(true, "localhost", 9092, Optional.of("localhost:9092,kafka-2:9092"), false));
    }

    @Test
    void missingServerClassesFailsOnlyWhenWanted() {
        assertEquals(Decision.MISSING_SERVER_CLASSES,
                LocalBrokerLauncher.decide(true, "localhost", 9092, Optional.empty(), false));
    }

    @Test
    void localAddressParsing() {
        assertTrue(LocalBrokerLauncher.isLocal(" localhost:9092 , 127.0.0.1:9092", "localhost", 9092));
        assertTrue(LocalBrokerLauncher.isLocal("[::1]:9092", "localhost", 9092));
        assertFalse(LocalBrokerLauncher.isLocal("localhost", "localhost", 9092));
        assertFalse(LocalBrokerLauncher.isLocal("", "localhost", 9092));
        assertFalse(LocalBrokerLauncher.isLocal("10.0.0.5:9092", "localhost", 9092));
    }

    @Test
    void serverClassesArePresentInTests() {
        assertTrue(LocalBrokerLauncher.serverClassesAvailable());
    }
}
