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
        try (Prepared prepared = prepare()) {
            return prepared.boot(protocol);
        }
    }

    /**
     * Makes everything the run needs except the QEMU process (guest RAM, option ROM, sockets), so that a caller can
     * do it while it reads and checks what to boot, and start QEMU only once that is known to be bootable.
     *
     * @throws MachineException QEMU cannot be found, or the RAM file or sockets cannot be made
     */
    public Prepared prepare() throws MachineException {
        Session session = new Session(options);
        try {
            session.prepare();
        } catch (MachineException | RuntimeException e) {
            session.close();
            throw e;
        }
        return new Prepared(session);
    }

    /**
     * Starts QEMU now and lets the firmware boot while the caller reads and checks what to boot; the option ROM waits
     * at the doorbell until {@link Started#boot} names it. Closing without booting ends QEMU before any image reached
     * the guest.
     */
    public Started start() throws MachineException {
        Prepared prepared = prepare();
        try {
            return prepared.start();
        } catch (MachineException | RuntimeException e) {
            prepared.close();
            throw e;
        }
    }

    /** A machine made ready but not started: no QEMU process yet. */
    public static final class Prepared implements AutoCloseable {

        private final Session session;

        private Prepared(Session session) {
            this.session = session;
        }

        /** Starts QEMU; SeaBIOS boots and the option ROM waits for {@link Started#boot}. */
        public Started start() throws MachineException {
            session.launch();
            return new Started(session);
        }

        /** Starts QEMU and boots {@code protocol}; see {@link Machine#boot}. */
        public RunResult boot(BootProtocol protocol) throws BootException, MachineException {
            return start().boot(protocol);
        }

        /** Removes everything the run made, and ends QEMU if it was started. */
        @Override
        public void close() {
            session.close();
        }
    }

    /** A machine whose firmware is booting and whose option ROM waits for something to boot. */
    public static final class Started implements AutoCloseable {

        private final Session session;

        private Started(Session session) {
            this.session = session;
        }

        /**
         * Keys typed at the guest's console from now on (a person's terminal, free once the menu is done); their end
         * ends the run.
         */
        public void attachKeyboard(java.io.InputStream keys) {
            session.attachKeyboard(keys);
        }

        /** Boots {@code protocol} (once) and runs until the run ends; see {@link Machine#boot}. */
        public RunResult boot(BootProtocol protocol) throws BootException, MachineException {
            return session.boot(protocol);
        }

        /** Ends QEMU and removes everything the run made. */
        @Override
        public void close() {
            session.close();
        }
    }
}
