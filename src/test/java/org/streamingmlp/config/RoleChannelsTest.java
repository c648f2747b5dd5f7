package org.streamingmlp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Each role runs exactly its channels; a predictor's request consumer waits for a model. */
class RoleChannelsTest {

    @Test
    void allInOneTrainsAndAnswersButReadsNoModelTopic() {
        Map<String, String> s = RoleChannels.channelSettings(Role.ALL_IN_ONE);
        assertEquals("true", s.get("mp.messaging.incoming.training.enabled"));
        assertEquals("true", s.get("mp.messaging.incoming.validation.enabled"));
        assertEquals("true", s.get("mp.messaging.incoming.prediction-requests.enabled"));
        assertEquals("false", s.get("mp.messaging.incoming.model-updates.enabled"));
        assertNull(s.get("mp.messaging.incoming.prediction-requests.initially-paused"));
    }

    @Test
    void aTrainerLeavesRequestsToThePredictors() {
        Map<String, String> s = RoleChannels.channelSettings(Role.TRAINER);
        assertEquals("true", s.get("mp.messaging.incoming.training.enabled"));
        assertEquals("false", s.get("mp.messaging.incoming.prediction-requests.enabled"));
        assertEquals("false", s.get("mp.messaging.incoming.model-updates.enabled"));
    }

    @Test
    void aPredictorNeverJoinsTheTrainerGroupsAndStartsPaused() {
        Map<String, String> s = RoleChannels.channelSettings(Role.PREDICTOR);
        assertEquals("false", s.get("mp.messaging.incoming.training.enabled"));
        assertEquals("false", s.get("mp.messaging.incoming.validation.enabled"));
        assertEquals("true", s.get("mp.messaging.incoming.prediction-requests.enabled"));
        assertEquals("true", s.get("mp.messaging.incoming.model-updates.enabled"));
        assertEquals("true", s.get("mp.messaging.incoming.prediction-requests.pausable"));
        assertEquals("true", s.get("mp.messaging.incoming.prediction-requests.initially-paused"));
    }
}
