package jgrub.machine;

import jgrub.boot.BootException;
import jgrub.boot.Guest;

/** What the helper threads of a run (console, doorbell, monitor, QEMU's exit) tell the {@link RunLoop}. */
sealed interface RunEvent {

    /** The console matched {@code --until}. */
    record Matched(Console.Match match) implements RunEvent {
    }

    /** The option ROM reported the firmware's memory map, at this {@link System#nanoTime}. */
    record FirmwareReported(long nanos) implements RunEvent {
    }

    /** The plan was written and the ROM released into the image. */
    record HandedOff(long nanos) implements RunEvent {
    }

    /** The boot protocol refused: the image, the plan or a guest request. */
    record Refused(BootException cause) implements RunEvent {
    }

    /** jgrub could not serve the guest. */
    record Failed(MachineException cause) implements RunEvent {
    }

    /** QEMU's monitor reported SHUTDOWN with this reason. */
    record Shutdown(String reason) implements RunEvent {
    }

    /** The QEMU process exited with this status. */
    record Exited(int status) implements RunEvent {
    }

    /** The guest ended the run through jgrub's firmware (an EFI image returned, ResetSystem). */
    record GuestEnded(Guest.Ending ending) implements RunEvent {
    }

    /** The person's keystrokes ended (Ctrl-a x). */
    record InputEnded() implements RunEvent {
    }
}
