package org.streamingmlp.it;

import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.TestInfo;

/**
 * The seed of a crash test's random kill points. The system property {@value #PROPERTY} replays a run (Failsafe
 * passes {@code -Dkill.seed=N} from the Maven command line on to the test JVM); without it each test draws a fresh
 * seed. Either way the seed is printed, so a failing run's output says how to replay it:
 * <pre>{@code
 * ./mvnw verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SomeIT#someTest -Dkill.seed=N
 * }</pre>
 * A replay repeats where the kills are aimed, not the timing around them: a service process runs at its own pace.
 */
final class KillSeed {

    static final String PROPERTY = "kill.seed";

    private final long seed;
    private final Random random;

    private KillSeed(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** The seed from {@value #PROPERTY}, else a fresh one; prints it with the test's name. */
    static KillSeed forTest(TestInfo info) {
        String test = info.getTestClass().map(Class::getSimpleName).orElse("?") + "#"
                + info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("?");
        Long given = Long.getLong(PROPERTY);
        KillSeed seed = new KillSeed(given != null ? given : ThreadLocalRandom.current().nextLong());
        System.out.printf("%s: kill points from %s (%s; replay with -D%s)%n", test, seed,
                given != null ? "given" : "fresh", seed);
        return seed;
    }

    /** A uniformly drawn int in {@code [from, to)}. */
    int between(int from, int to) {
        return from + random.nextInt(to - from);
    }

    @Override
    public String toString() {
        return PROPERTY + "=" + seed;
    }
}
