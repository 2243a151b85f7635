package jgrub.boot;

/**
 * A boot protocol with its image and modules already read and validated (Multiboot 1, Multiboot 2, PE32+ chainload).
 * The machine calls {@link #plan} once the firmware has reported its memory map; the result is written to guest
 * memory and entered. Everything that can be checked without the firmware is checked before, when the loader is made,
 * so that malformed images are refused before an emulator starts.
 */
public interface BootProtocol {

    BootPlan plan(Firmware firmware) throws BootException;

    /**
     * Plans with access to the running guest. Protocols that build firmware structures in guest memory or serve calls
     * after the handoff (EFI) override this; the others plan from the firmware report alone.
     */
    default BootPlan plan(Firmware firmware, Guest guest) throws BootException {
        return plan(firmware);
    }
}
