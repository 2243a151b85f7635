package jgrub.boot;

import java.util.Optional;
import jgrub.machine.GuestRam;

/**
 * What a boot protocol may use of the running guest besides the firmware's report: its RAM, to build firmware
 * structures in place (the EFI system table, service stubs, protocol instances), and the doorbell, to serve guest
 * calls after the handoff (EFI services). The machine provides it to {@link BootProtocol#plan(Firmware, Guest)}.
 */
public interface Guest {

    GuestRam memory();

    /** Writes text to jgrub's console, where the guest's serial output goes (EFI text output lands here). */
    void print(String text);

    /**
     * Serves every ring of the doorbell with {@code code} after the handoff. The handler runs on the doorbell thread,
     * one ring at a time; the guest waits for it.
     */
    void onDoorbell(int code, Doorbell handler);

    interface Doorbell {
        /** Serves one ring; returns how the run ends when the ring ends it (an image returned, a reset). */
        Optional<Ending> ring() throws BootException;
    }

    /** The run is over: {@code success} says whether that is what the user wanted. */
    record Ending(boolean success, String message) {
    }
}
