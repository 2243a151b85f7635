package jgrub.config.grammar;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs recursive work (parsing, evaluating) on a thread with a large stack. Nesting is bounded explicitly (see
 * {@link ScriptParser#MAX_NESTING}); this stack is sized so that the bound, not the JVM, is what stops deep input.
 *
 * <p>The threads are pooled: starting one per call cost about a quarter of a millisecond, more than parsing a small
 * script takes. Calls made on a deep-stack thread run there directly; an idle thread ends after {@link #IDLE_SECONDS}.
 */
public final class DeepStack {

    /** Stack of the worker thread: comfortably more than {@link ScriptParser#MAX_NESTING} levels need. */
    static final long STACK_BYTES = 256L << 20;

    static final long IDLE_SECONDS = 30;

    private static final ThreadLocal<Boolean> DEEP = ThreadLocal.withInitial(() -> false);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private static final ExecutorService WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), work -> {
                Thread thread = new Thread(null, () -> {
                    DEEP.set(true);
                    work.run();
                }, "jgrub-deep-stack-" + THREADS.incrementAndGet(), STACK_BYTES);
                thread.setDaemon(true);
                return thread;
            });

    private DeepStack() {
    }

    /** Calls {@code work} on a deep-stack thread (or directly when already on one) and returns its result. */
    public static <T> T call(Callable<T> work) throws Exception {
        if (DEEP.get()) {
            return work.call();
        }
        Future<T> result = WORKERS.submit(work);
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof Exception failure) {
                throw failure;
            }
            if (t instanceof Error error) {
                throw error;
            }
            throw e;
        }
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
