package jgrub.machine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;

/**
 * Serves jgrub's doorbell: guest code writes its request to a mailbox, then one byte, the request code, to the
 * {@code isa-debugcon} port {@link GuestLayout#DOORBELL_PORT}, which QEMU passes to this socket; the guest spins until
 * the request is answered. The first request is the option ROM's {@link Mailbox#FIRMWARE_READY} in the
 * {@link Mailbox} page: the firmware's report is read, the protocol plans, {@link PlanWriter} writes the plan and the
 * ROM is released into the image. After that handoff, rings go to the handlers the protocol registered through its
 * {@link Guest} (EFI service calls). One ring at a time, on a helper thread; what comes of it goes to the run loop.
 */
final class DoorbellServer {

    private static final int MONITOR_WAIT_SECONDS = 10;

    private final RunFiles files;
    private final GuestMemory memory;
    private final Mailbox mailbox;
    private final Console console;
    private final QemuProcess qemu;
    private final Consumer<RunEvent> events;
    /** What to boot: given when the run starts, or later while the firmware boots (see {@link Machine#start}). */
    private final CompletableFuture<BootProtocol> protocol = new CompletableFuture<>();
    private final Map<Integer, Guest.Doorbell> doorbells = new ConcurrentHashMap<>();
    private volatile boolean handedOff;

    DoorbellServer(RunFiles files, Console console, QemuProcess qemu, Consumer<RunEvent> events) {
        this.files = files;
        this.memory = files.memory();
        this.mailbox = new Mailbox(memory);
        this.console = console;
        this.qemu = qemu;
        this.events = events;
    }

    /** Answers rings from the guest once QEMU connects to {@code server}, on a helper thread. */
    void start(ServerSocketChannel server, HelperThreads threads) {
        threads.start("jgrub-doorbell", () -> {
            try (SocketChannel channel = server.accept(); InputStream in = new SocketInput(channel)) {
                int code;
                while ((code = in.read()) >= 0) {
                    serve(code);
                }
            }
        });
    }

    /** Names what the waiting option ROM boots; once per run. */
    void boot(BootProtocol what) {
        if (!protocol.complete(what)) {
            throw new IllegalStateException("this run already boots something");
        }
    }

    /** The run is closed: a ROM still waiting gets nothing to boot. */
    void cancel() {
        protocol.cancel(false);
    }

    /** What a boot protocol may use of the running guest: its RAM, the console, the doorbell. */
    private final Guest guest = new Guest() {
        @Override
        public GuestRam memory() {
            return memory;
        }

        @Override
        public void print(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try {
                console.accept(bytes, bytes.length);
            } catch (IOException e) {
                // The user's terminal or the log went away; the run goes on.
            }
        }

        @Override
        public void onDoorbell(int code, Guest.Doorbell handler) {
            if (code == Mailbox.FIRMWARE_READY || code < 0 || code > 0xff) {
                throw new IllegalArgumentException("doorbell code " + code + " is not free");
            }
            doorbells.put(code, handler);
        }
    };

    /** Runs on the doorbell thread for each byte the guest rings with; ignores rings that carry no valid request. */
    private void serve(int code) {
        Guest.Doorbell handler = doorbells.get(code);
        if (handler != null && handedOff) {
            try {
                handler.ring().ifPresent(ending -> events.accept(new RunEvent.GuestEnded(ending)));
            } catch (BootException e) {
                events.accept(new RunEvent.Refused(e));
            } catch (RuntimeException e) {
                events.accept(new RunEvent.Failed(new MachineException("internal error while serving the guest: "
                        + e, e)));
            }
            return;
        }
        try {
            if (code != Mailbox.FIRMWARE_READY || handedOff || !mailbox.signed()
                    || mailbox.status() != Mailbox.PENDING || mailbox.request() != code) {
                return;
            }
            files.unlinkRamFile();
            Optional<Ramfb> display = Ramfb.find(memory, FirmwareProbe.memoryMap(memory, mailbox));
            Firmware firmware = FirmwareProbe.read(memory, mailbox, display);
            events.accept(new RunEvent.FirmwareReported(System.nanoTime()));
            try {
                BootPlan plan = protocol.get().plan(firmware, guest);
                long[] reply = Arrays.copyOf(PlanWriter.write(plan, firmware, memory), Mailbox.REPLIES);
                if (display.isPresent()) {
                    reply[Mailbox.REPLY_FW_CFG_DMA] = display.get().prepareModeSet(memory);
                }
                // The guest may power off at once; QEMU reports that only on a negotiated monitor.
                qemu.awaitMonitor(MONITOR_WAIT_SECONDS);
                handedOff = true;
                mailbox.complete(reply);
                events.accept(new RunEvent.HandedOff(System.nanoTime()));
            } catch (BootException e) {
                mailbox.stop();
                events.accept(new RunEvent.Refused(e));
            }
        } catch (GuestMemoryException | IOException e) {
            events.accept(new RunEvent.Failed(new MachineException("cannot serve the option ROM's request: "
                    + e.getMessage(), e)));
        } catch (TimeoutException e) {
            events.accept(new RunEvent.Failed(new MachineException("QEMU's monitor did not answer within "
                    + MONITOR_WAIT_SECONDS + " s")));
        } catch (InterruptedException | ExecutionException | CancellationException e) {
            // The run was closed before anything was given to boot.
        } catch (MachineException e) {
            events.accept(new RunEvent.Failed(e));
        } catch (RuntimeException e) {
            events.accept(new RunEvent.Failed(new MachineException("internal error while planning the boot: " + e,
                    e)));
        }
    }
}
