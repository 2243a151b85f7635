package jgrub.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;

/**
 * The property every fuzz target of the project checks: whatever the input, the code under test ends within a
 * bounded time, and the only thing it may throw is one of the module's own checked exceptions, whose message is one
 * line (what a user sees as {@code jgrub: MESSAGE}). Any other {@link Throwable} (a {@link RuntimeException}, an
 * {@link Error} such as {@link OutOfMemoryError} or {@link StackOverflowError}) or a multi-line message fails the
 * input, and so does a run past the time limit.
 *
 * <p>Used by the {@code @FuzzTest} methods of each module: in a normal build they run their committed corpus
 * ({@code src/test/resources/.../<Class>Inputs/<method>/}) as regression tests; with {@code JAZZER_FUZZ=1} Jazzer
 * mutates inputs for as long as the test's {@code maxDuration} allows.
 */
public final class FuzzProperty {

    /**
     * The bound for any config (30 s): generous for one input, the first one's class loading and JIT included,
     * on a loaded 2-core machine; a hang or a run of minutes is what this catches.
     */
    public static final Duration PER_INPUT = Duration.ofSeconds(30);

    private FuzzProperty() {
    }

    /** What a target does with one input. */
    @FunctionalInterface
    public interface Target {
        void run() throws Exception;
    }

    /**
     * Runs {@code target}; returns normally if it finished or threw one of {@code allowed} with a one-line message.
     */
    public static void check(List<Class<? extends Exception>> allowed, Target target) {
        Throwable thrown = assertTimeoutPreemptively(PER_INPUT, () -> {
            try {
                target.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        }, () -> "the input ran longer than " + PER_INPUT.toSeconds() + " s");
        if (thrown == null) {
            return;
        }
        for (Class<? extends Exception> kind : allowed) {
            if (kind.isInstance(thrown)) {
                requireOneLine(thrown);
                return;
            }
        }
        if (thrown instanceof Error error) {
            throw error;
        }
        fail("not one of the module's own exceptions: " + thrown, thrown);
    }

    /** An expected exception a target caught itself must still be one line, as the user sees it. */
    public static void requireOneLine(Throwable expected) {
        String message = String.valueOf(expected.getMessage());
        if (message.contains("\n") || message.isBlank()) {
            fail("a " + expected.getClass().getSimpleName() + " whose message is not one line: " + message, expected);
        }
    }
}
