package jgrub.machine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a run ended.
 *
 * @param ending       what ended it
 * @param success      whether that is what the user asked for: a line matched {@code --until}, or the guest powered
 *                     off and no {@code --until} was given
 * @param message      one line for the user
 * @param lastLines    the last console lines
 * @param timeline     when QEMU started, the firmware reached jgrub's ROM, jgrub handed off and the run ended
 */
public record RunResult(Ending ending, boolean success, String message, List<String> lastLines, Timeline timeline) {

    public RunResult {
        lastLines = List.copyOf(lastLines);
    }

    /** From the start of QEMU to the end of the run. */
    public Duration elapsed() {
        return Duration.ofNanos(timeline.ended() - timeline.qemuStarted());
    }

    /** From the start of QEMU to the moment jgrub released the CPU into the image. */
    public Optional<Duration> handoff() {
        return timeline.handedOff().stream().mapToObj(t -> Duration.ofNanos(t - timeline.qemuStarted())).findFirst();
    }

    /**
     * The moments of a run, as {@link System#nanoTime} values of this JVM, so that a caller can put them beside its
     * own (reading the config, loading the images).
     */
    public record Timeline(long qemuStarted, OptionalLong firmwareReported, OptionalLong handedOff, long ended) {
    }

    public enum Ending {
        /** A console line matched {@code --until}. */
        MATCHED,
        /** The guest powered the machine off (ACPI S5, or an exit device). */
        POWERED_OFF,
        /** The guest reset the machine (keyboard controller, port 0xCF9, ACPI reset). */
        RESET,
        /** The CPU hit a fault while handling a double fault, and reset. */
        TRIPLE_FAULT,
        /** The guest reported a panic through a panic device. */
        PANIC,
        /** The guest ended the run through jgrub's firmware (an EFI image returned, ResetSystem). */
        GUEST_ENDED,
        /** The person at the console ended the run (its keystroke input ended: Ctrl-a x). */
        USER_ENDED,
        /** {@code --timeout} elapsed. */
        TIMED_OUT,
        /** QEMU ended on its own: it crashed, was killed, or a guest exit device asked it to. */
        QEMU_EXITED
    }
}
