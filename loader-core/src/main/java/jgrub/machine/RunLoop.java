package jgrub.machine;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import jgrub.boot.BootException;
import jgrub.machine.RunResult.Ending;

/**
 * Waits for a run to end, on the thread that boots: takes the helpers' {@link RunEvent}s one at a time, holds the
 * firmware to its deadline and the run to {@code --timeout}, and words how the run ended as a {@link RunResult}, with
 * QEMU ended and the console read to its last line.
 */
final class RunLoop {

    /** SeaBIOS reaches the ROM in well under a second under TCG; this much silence means it never will. */
    private static final Duration FIRMWARE_WAIT = Duration.ofSeconds(30);

    private final MachineOptions options;
    private final BlockingQueue<RunEvent> events;
    private final QemuProcess qemu;
    private final Console console;
    private final ConsolePipe consolePipe;
    /** When QEMU started. */
    private final long started;
    /** What the timeout and the times in messages count from: jgrub's start when the caller gave it. */
    private final long origin;
    private OptionalLong firmwareReportedAt = OptionalLong.empty();
    private OptionalLong handedOffAt = OptionalLong.empty();

    RunLoop(MachineOptions options, BlockingQueue<RunEvent> events, QemuProcess qemu, Console console,
            ConsolePipe consolePipe) {
        this.options = options;
        this.events = events;
        this.qemu = qemu;
        this.console = console;
        this.consolePipe = consolePipe;
        this.started = qemu.startedAt();
        this.origin = options.startedAt().orElse(started);
    }

    RunResult run() throws BootException, MachineException {
        long firmwareDeadline = started + FIRMWARE_WAIT.toNanos();
        long deadline = options.timeout().map(t -> origin + t.toNanos()).orElse(Long.MAX_VALUE);
        boolean firmwareReported = false;
        while (true) {
            long until = firmwareReported ? deadline : Math.min(deadline, firmwareDeadline);
            long wait = until - System.nanoTime();
            RunEvent event;
            try {
                // Past the deadline (the config and the images took the whole timeout), what already came still counts.
                event = wait <= 0 ? events.poll() : events.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MachineException("interrupted");
            }
            if (event == null) {
                if (!firmwareReported && firmwareDeadline < deadline) {
                    String cpu = qemu.cpuState();
                    throw new MachineException("SeaBIOS did not start jgrub's option ROM within "
                            + seconds(FIRMWARE_WAIT.toNanos()) + " s" + cpu + qemu.lastStderr(": QEMU said: "));
                }
                String cpu = qemu.cpuState();
                return end(Ending.TIMED_OUT, false, "timed out after " + seconds(System.nanoTime() - origin) + " s"
                        + options.until().map(p -> " without a console line matching /" + p + "/").orElse("") + cpu);
            }
            if (event instanceof RunEvent.Matched m) {
                return end(Ending.MATCHED, true, matchedMessage(m.match()));
            } else if (event instanceof RunEvent.FirmwareReported f) {
                firmwareReported = true;
                firmwareReportedAt = OptionalLong.of(f.nanos());
            } else if (event instanceof RunEvent.HandedOff h) {
                handedOffAt = OptionalLong.of(h.nanos());
            } else if (event instanceof RunEvent.Refused r) {
                qemu.stop();
                throw r.cause();
            } else if (event instanceof RunEvent.Failed f) {
                qemu.stop();
                throw f.cause();
            } else if (event instanceof RunEvent.InputEnded) {
                return end(Ending.USER_ENDED, options.until().isEmpty(), "ended from the console after "
                        + seconds(System.nanoTime() - origin) + " s");
            } else if (event instanceof RunEvent.GuestEnded g) {
                return end(Ending.GUEST_ENDED, g.ending().success(), g.ending().message());
            } else if (event instanceof RunEvent.Shutdown s) {
                return shutdown(s.reason());
            } else if (event instanceof RunEvent.Exited x) {
                if (!firmwareReported) {
                    consolePipe.drain(qemu::isAlive);
                    throw new MachineException("QEMU exited with status " + x.status() + " before the firmware "
                            + "started" + qemu.lastStderr(": ") + (qemu.saidNothing() ? " (it printed nothing)" : ""));
                }
                return end(Ending.QEMU_EXITED, false, "QEMU exited with status " + x.status() + " after "
                        + seconds(System.nanoTime() - origin) + " s" + qemu.lastStderr(": "));
            }
        }
    }

    private RunResult shutdown(String reason) {
        String after = " after " + seconds(System.nanoTime() - origin) + " s";
        switch (reason) {
            case "guest-shutdown":
                return end(Ending.POWERED_OFF, options.until().isEmpty(), "guest powered off" + after
                        + options.until().map(p -> " without a console line matching /" + p + "/").orElse(""));
            case "guest-reset":
                String cpu = qemu.cpuState();
                if (qemu.tripleFault()) {
                    return end(Ending.TRIPLE_FAULT, false, "guest triple fault" + after + cpu);
                }
                return end(Ending.RESET, false, "guest reset the machine" + after + cpu);
            case "guest-panic":
                return end(Ending.PANIC, false, "guest panicked" + after + qemu.cpuState());
            default:
                return end(Ending.QEMU_EXITED, false, "QEMU stopped the guest (" + reason + ")" + after
                        + qemu.lastStderr(": "));
        }
    }

    private RunResult end(Ending ending, boolean success, String message) {
        long ended = System.nanoTime();
        if (options.screenshot().isPresent()) {
            try {
                Screenshot.save(qemu, options.screenshot().get());
            } catch (IOException | RuntimeException e) {
                message += "; no screenshot: " + e.getMessage();
            }
        }
        qemu.stop();
        consolePipe.drain(qemu::isAlive);
        Optional<Console.Match> matched = console.matched();
        if (matched.isPresent() && ending != Ending.MATCHED) {
            ending = Ending.MATCHED;
            success = true;
            message = matchedMessage(matched.get());
        }
        return new RunResult(ending, success, message, console.lastLines(),
                new RunResult.Timeline(started, firmwareReportedAt, handedOffAt, ended));
    }

    /** "matched 'login:' at 12.3 s: debian login:", the time counted as the timeout counts. */
    private String matchedMessage(Console.Match match) {
        return "matched '" + options.until().map(Pattern::pattern).orElse("") + "' at "
                + seconds(match.nanos() - origin) + " s: " + match.line().strip();
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
    }
}
