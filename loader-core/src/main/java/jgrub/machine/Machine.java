package jgrub.machine;

import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;

/**
 * The emulated PC jgrub boots images on: QEMU ({@code pc} machine, SeaBIOS, TCG by default) with guest RAM in a file
 * jgrub maps, jgrub's option ROM first in the boot order, the first UART as the console and a doorbell through which
 * the ROM reports the firmware's memory map and waits for jgrub to place the image. See {@link GuestLayout} for the
 * memory jgrub uses and {@link Mailbox} for the conversation with guest code.
 *
 * <p>One {@link #boot} is one QEMU process, started from and waited for by the calling thread; it never outlives the
 * call, nor the JVM (a shutdown hook, and {@code setpriv --pdeathsig KILL} when the JVM dies without one).
 */
public final class Machine {

    private final MachineOptions options;

    public Machine(MachineOptions options) {
        this.options = options;
    }

    /**
     * Starts QEMU, lets {@code protocol} plan once the firmware reported, writes the plan into guest RAM, enters it
     * and runs until {@code --until} matches, the guest powers off or resets, QEMU ends, or the timeout elapses.
     *
     * @throws BootException    the protocol refused the plan, or the plan does not fit the machine
     * @throws MachineException QEMU cannot be found or started, or the firmware never reached jgrub's ROM
     */
    public RunResult boot(BootProtocol protocol) throws BootException, MachineException {
        try (Session session = new Session(options, protocol)) {
            return session.run();
        }
    }
}
