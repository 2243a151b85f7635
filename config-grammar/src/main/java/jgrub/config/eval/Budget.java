package jgrub.config.eval;

/**
 * How much memory a config may make the evaluator hold, in the units it grows by. GRUB runs in a heap of a few
 * hundred MiB at most and fails a command with "out of memory" (grub-core/kern/mm.c, GRUB_ERR_OUT_OF_MEMORY) when
 * it is full; a config whose values double on every line gets there in a few dozen lines. jgrub stops such a run at
 * these limits instead of filling the JVM's heap, with GRUB's words and the position (see {@link Interpreter}).
 *
 * <p>Every limit is far above what a real config needs: in the config {@code grub-mkconfig} writes for 150 kernels
 * and 2 Xen versions (902 entries), the longest word is a kernel command line of a few hundred characters (Linux
 * takes at most 2048 on x86), the longest command has a few dozen words, and {@code source}/{@code eval} nest at most
 * two deep.
 */
final class Budget {

    /** Characters in one word after expansion, and so in one value: 1 MiB, 512 times Linux's command-line limit. */
    static final int MAX_WORD = 1 << 20;

    /** Words of one command after expansion (a {@code for} list included). */
    static final int MAX_WORDS = 1 << 16;

    /** Characters of all the words of one command after expansion. */
    static final long MAX_COMMAND = 16L << 20;

    /**
     * Characters held by the calls in progress: each function call's and entry's positional parameters (a word
     * counted as {@link #WORD_OVERHEAD} more, for its object), the text each nested {@code eval} and {@code source}
     * runs (counted {@link #TEXT_OVERHEAD} times, for its syntax tree). A whole 150-kernel config sourced is 1 MiB.
     */
    static final long MAX_ACTIVE = 64L << 20;

    /**
     * Characters a run keeps: the values of its variables (in every context) and the words of the menu entries it
     * added. The 150-kernel config keeps about 200 KiB.
     */
    static final long MAX_STORED = 64L << 20;

    /**
     * How many times {@link EvalOptions#maxSteps()} an evaluation may run in all: the config, every submenu body and
     * every entry run from it ({@code check} dry-runs each entry). Each alone stops at maxSteps; without a total, a
     * config of a thousand endless entries took {@code check} 0.7 s an entry. A real config runs a few per cent of
     * one maxSteps in all.
     */
    static final int STEP_ROUNDS = 10;

    /**
     * Characters expansion may copy, in all, per step of {@link EvalOptions#maxSteps()}: the time a run takes, where
     * steps alone do not bound it. A value that grows by a little on every pass of a loop is copied whole on each
     * pass, so a loop well within the step limit could copy for minutes (found by ConfigFuzzTest: thousands of
     * passes over a value growing towards 1 MiB took 35-60 s). With the default 2,000,000 steps this is 512 M
     * characters; that config now stops after 512 M with a notice.
     */
    static final int CHARS_PER_STEP = 256;

    /** What a word costs beyond its characters, in characters: a String and its array in the JVM. */
    static final int WORD_OVERHEAD = 48;

    /**
     * What a character of source text costs while it runs: its syntax tree (8 to 11 bytes a character, measured on
     * a 150-kernel config and on a long {@code eval} line) and, for {@code eval}, the words it was joined from.
     */
    static final int TEXT_OVERHEAD = 24;

    /** Longest message a notice keeps; a command named by a 1 MiB word must not make 10,000 notices of 1 MiB. */
    static final int MAX_NOTICE = 4096;

    private Budget() {
    }

    /** What an evaluation and every run made from it have used together, shared by their interpreters. */
    static final class Meter {
        /** Commands run by all of them. */
        long steps;
        /** {@link #MAX_STORED}'s characters held by the submenu states an evaluation keeps to run entries from. */
        long retained;
        /** Whether the notice for {@link #STEP_ROUNDS} was given (once: each later run stops at its first command). */
        boolean stepsNoted;
        /** Characters copied by expansion in all of them, against {@link #CHARS_PER_STEP}. */
        long expanded;
    }

    /** What positional parameters hold while their call runs, in {@link #MAX_ACTIVE}'s units. */
    static long ofArgs(java.util.List<String> args) {
        long size = 0;
        for (String arg : args) {
            size += arg.length() + WORD_OVERHEAD;
        }
        return size;
    }
}
