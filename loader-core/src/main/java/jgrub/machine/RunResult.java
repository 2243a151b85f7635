package jgrub.machine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a run ended.
 *
 * @param ending       what ended it
 * @param success      whether that is what the user asked for: a line matched {@code --until}, or the guest powered
 *                     off and no {@code --until} was given
 * @param message      one line for the user
 * @param lastLines    the last console lines
 * @param elapsed      from the start of QEMU to the end of the run
 * @param handoff      from the start of QEMU to the moment jgrub released the CPU into the image
 */
public record RunResult(Ending ending, boolean success, String message, List<String> lastLines, Duration elapsed,
        Optional<Duration> handoff) {

    public RunResult {
        lastLines = List.copyOf(lastLines);
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
