package org.streamingmlp.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Accuracy and Cohen's kappa against values worked out by hand (the arithmetic is in each test's comment). */
class ClassAgreementTest {

    @Test
    void countsSinceTheStartWithAlphaOne() {
        ClassAgreement a = new ClassAgreement(2, 1.0);
        a.add(0, 0);
        a.add(1, 1);
        a.add(0, 1);
        a.add(0, 0);
        // p0 = 3/4; predicted (3, 1), actual (2, 2): pc = 3/4*2/4 + 1/4*2/4 = 1/2; kappa = (3/4 - 1/2) / (1/2)
        assertEquals(0.75, a.accuracy(), 1e-12);
        assertEquals(0.5, a.kappa(), 1e-12);
        assertEquals(4, a.weight(), 1e-12);
    }

    @Test
    void fadesOlderPairsByAlphaPerNewerPair() {
        ClassAgreement a = new ClassAgreement(2, 0.5);
        a.add(0, 0);   // weight 0.25 after the next two
        a.add(1, 1);   // weight 0.5
        a.add(0, 1);   // weight 1
        // n = 7/4, right = 3/4: p0 = 3/7; predicted (5/4, 1/2), actual (1/4, 3/2):
        // pc = (5/4*1/4 + 1/2*3/2) / (7/4)^2 = (17/16) / (49/16) = 17/49; kappa = (21/49 - 17/49) / (32/49) = 1/8
        assertEquals(3.0 / 7, a.accuracy(), 1e-12);
        assertEquals(0.125, a.kappa(), 1e-12);
        assertEquals(1.75, a.weight(), 1e-12);
    }

    @Test
    void aMajorityGuessHasHighAccuracyAndKappaZero() {
        ClassAgreement a = new ClassAgreement(3, 1.0);
        for (int actual : new int[] {0, 0, 0, 1}) {
            a.add(0, actual);
        }
        // p0 = 3/4, pc = 1 * 3/4: kappa = 0
        assertEquals(0.75, a.accuracy(), 1e-12);
        assertEquals(0.0, a.kappa(), 1e-12);
    }

    @Test
    void worseThanChanceIsNegative() {
        ClassAgreement a = new ClassAgreement(2, 1.0);
        a.add(1, 0);
        a.add(0, 1);
        // p0 = 0, pc = 1/2*1/2 + 1/2*1/2 = 1/2: kappa = -1
        assertEquals(-1.0, a.kappa(), 1e-12);
    }

    @Test
    void undefinedBeforeTheFirstPairAndForOneClassAlwaysPredicted() {
        ClassAgreement a = new ClassAgreement(2, 0.999);
        assertTrue(Double.isNaN(a.accuracy()));
        assertTrue(Double.isNaN(a.kappa()));
        a.add(1, 1);
        a.add(1, 1);
        assertEquals(1.0, a.accuracy(), 1e-12);
        assertTrue(Double.isNaN(a.kappa()), "pc = 1: kappa is 0/0");
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ClassAgreement(0, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new ClassAgreement(2, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new ClassAgreement(2, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new ClassAgreement(2, 1.0).add(2, 0));
    }
}
