package jgrub.config.grammar;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs recursive work (parsing, evaluating) on a thread with a large stack. Nesting is bounded explicitly (see
 * {@link ScriptParser#MAX_NESTING}); this stack is sized so that the bound, not the JVM, is what stops deep input.
 */
public final class DeepStack {

    /** Stack of the worker thread: comfortably more than {@link ScriptParser#MAX_NESTING} levels need. */
    static final long STACK_BYTES = 256L << 20;

    private static final ThreadLocal<Boolean> DEEP = ThreadLocal.withInitial(() -> false);

    private DeepStack() {
    }

    /** Calls {@code work} on a deep-stack thread (or directly when already on one) and returns its result. */
    public static <T> T call(Callable<T> work) throws Exception {
        if (DEEP.get()) {
            return work.call();
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            DEEP.set(true);
            try {
                result.set(work.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "jgrub-deep-stack", STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw e;
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    /** {@link #call} for work that throws no checked exception. */
    public static <T> T get(java.util.function.Supplier<T> work) {
        try {
            return call(work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
