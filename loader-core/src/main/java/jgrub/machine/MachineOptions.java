package jgrub.machine;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * How to run the machine.
 *
 * @param qemu          the emulator: a path, or a program name looked up on the PATH
 * @param accel         {@code tcg} (the default: see DESIGN.md on the paravirtualised KVM here) or {@code kvm}
 * @param memoryBytes   guest RAM, a whole number of MiB
 * @param cpus          virtual CPUs
 * @param until         ends the run with success when a console line matches
 * @param timeout       ends the run with failure when it elapses
 * @param extraQemuArgs appended to QEMU's command line as they are
 * @param console       where the guest's console is streamed as it comes (null: nowhere)
 * @param consoleLog    a file that receives the whole console too
 * @param startedAt     the {@link System#nanoTime} that {@code timeout} and the times in messages count from (the
 *                      start of jgrub, so that the timeout covers reading the config and the images); empty: the
 *                      start of QEMU
 * @param disk          the disk the guest's own OS sees, if any
 * @param userNetwork   whether the guest has a network card on QEMU's user-mode network
 * @param display       whether the machine has a display (QEMU's ramfb: a framebuffer in guest RAM, which jgrub's
 *                      EFI offers as the Graphics Output Protocol)
 * @param screenshot    where to save the display as PNG when the run ends (needs {@code display})
 *
 * <p>Keystrokes for the guest's console are given to the started machine ({@link Machine.Started#attachKeyboard}),
 * since a person's terminal is known to be free only after the menu.
 */
public record MachineOptions(String qemu, Accel accel, long memoryBytes, int cpus, Optional<Pattern> until,
        Optional<Duration> timeout, List<String> extraQemuArgs, OutputStream console, Optional<Path> consoleLog,
        OptionalLong startedAt, Optional<GuestDisk> disk, boolean userNetwork, boolean display,
        Optional<Path> screenshot) {

    public static final String DEFAULT_QEMU = "qemu-system-x86_64";
    public static final long DEFAULT_MEMORY = 2048L << 20;
    private static final long MIB = 1 << 20;

    public enum Accel {
        TCG, KVM;

        String qemuName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public MachineOptions {
        extraQemuArgs = List.copyOf(extraQemuArgs);
        if (memoryBytes < 16 * MIB || memoryBytes % MIB != 0) {
            throw new IllegalArgumentException("guest memory must be a whole number of MiB, at least 16 MiB: "
                    + memoryBytes + " bytes");
        }
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("CPUs must be 1 to 255: " + cpus);
        }
        if (screenshot.isPresent() && !display) {
            throw new IllegalArgumentException("a screenshot needs a display");
        }
        if (timeout.isPresent() && (timeout.get().isNegative() || timeout.get().isZero())) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout.get());
        }
    }

    /**
     * QEMU from the PATH under TCG, 2 GiB, one CPU, no --until, no timeout, console to stdout, no log, no disk,
     * network card or display for the guest.
     */
    public static MachineOptions defaults() {
        return new MachineOptions(DEFAULT_QEMU, Accel.TCG, DEFAULT_MEMORY, 1, Optional.empty(), Optional.empty(),
                List.of(), System.out, Optional.empty(), OptionalLong.empty(), Optional.empty(), false, false, Optional.empty());
    }

    public MachineOptions withQemu(String value) {
        return new MachineOptions(value, accel, memoryBytes, cpus, until, timeout, extraQemuArgs,
                console, consoleLog, startedAt, disk, userNetwork, display, screenshot);
    }

    public MachineOptions withAccel(Accel value) {
        return new MachineOptions(qemu, value, memoryBytes, cpus, until, timeout, extraQemuArgs,
                console, consoleLog, startedAt, disk, userNetwork, display, screenshot);
    }

    public MachineOptions withMemory(long bytes) {
        return new MachineOptions(qemu, accel, bytes, cpus, until, timeout, extraQemuArgs,
                console, consoleLog, startedAt, disk, userNetwork, display, screenshot);
    }

    public MachineOptions withCpus(int value) {
        return new MachineOptions(qemu, accel, memoryBytes, value, until, timeout, extraQemuArgs,
                console, consoleLog, startedAt, disk, userNetwork, display, screenshot);
    }

    public MachineOptions withUntil(Pattern value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, Optional.ofNullable(value), timeout, extraQemuArgs,
                console, consoleLog, startedAt, disk, userNetwork, display, screenshot);
    }

    public MachineOptions withTimeout(Duration value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, Optional.ofNullable(value), extraQemuArgs,
                console, consoleLog, startedAt, disk, userNetwork, display, screenshot);
    }

    public MachineOptions withExtraQemuArgs(List<String> value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, timeout, value,
                console, consoleLog, startedAt, disk, userNetwork, display, screenshot);
    }

    public MachineOptions withConsole(OutputStream value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, timeout, extraQemuArgs,
                value, consoleLog, startedAt, disk, userNetwork, display, screenshot);
    }

    public MachineOptions withConsoleLog(Path value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, timeout, extraQemuArgs, console,
                Optional.ofNullable(value), startedAt, disk, userNetwork, display, screenshot);
    }

    /** Counts {@code timeout} and the times in messages from {@code nanos} (a {@link System#nanoTime} value). */
    public MachineOptions withStartedAt(long nanos) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, timeout, extraQemuArgs, console, consoleLog,
                OptionalLong.of(nanos), disk, userNetwork, display, screenshot);
    }

    public MachineOptions withDisk(GuestDisk value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, timeout, extraQemuArgs, console, consoleLog,
                startedAt, Optional.ofNullable(value), userNetwork, display, screenshot);
    }

    public MachineOptions withUserNetwork(boolean value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, timeout, extraQemuArgs, console, consoleLog,
                startedAt, disk, value, display, screenshot);
    }

    public MachineOptions withDisplay(boolean value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, timeout, extraQemuArgs, console, consoleLog,
                startedAt, disk, userNetwork, value, value ? screenshot : Optional.empty());
    }

    /** Saves the display as PNG at the end of the run; gives the machine a display. */
    public MachineOptions withScreenshot(Path value) {
        return new MachineOptions(qemu, accel, memoryBytes, cpus, until, timeout, extraQemuArgs, console, consoleLog,
                startedAt, disk, userNetwork, display || value != null, Optional.ofNullable(value));
    }
}
