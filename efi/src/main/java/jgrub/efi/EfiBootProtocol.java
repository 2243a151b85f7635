package jgrub.efi;

import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.fs.Disk;
import jgrub.part.Partition;

/**
 * A boot protocol that runs in jgrub's EFI environment (chainloading, Multiboot 2 on EFI): planning starts the
 * environment in the running guest with the user's disk, then the protocol places its image in it.
 */
public abstract class EfiBootProtocol implements BootProtocol {

    private final Disk disk;
    private final Partition esp;
    private final EfiBoot.Options options;

    protected EfiBootProtocol(Disk disk, Partition esp, EfiBoot.Options options) {
        this.disk = disk;
        this.esp = esp;
        this.options = options;
    }

    @Override
    public final BootPlan plan(Firmware firmware) throws BootException {
        throw new BootException(name() + ": needs jgrub's EFI environment in the running guest");
    }

    @Override
    public final BootPlan plan(Firmware firmware, Guest guest) throws BootException {
        EfiBoot boot = EfiBoot.start(firmware, guest, disk, esp, options);
        try {
            BootPlan plan = plan(boot, firmware, guest);
            // Every EFI image starts with the timer interrupt running and interrupts enabled (UEFI 2.10 section
            // 2.3.4), the Multiboot 2 EFI entry too: the handoff routine sets that up, then enters.
            if (plan.entry() instanceof EntryState.Long64 entry) {
                plan = new BootPlan(plan.protocol(), plan.segments(),
                        entry.through(boot.efi().handoff(entry.rip())), plan.environment());
            }
            return plan.withEnvironment(boot.efi().regions());
        } catch (EfiException e) {
            throw new BootException(name() + ": " + e.getMessage(), e);
        }
    }

    /** What the command is called in messages ({@code chainloader}, {@code multiboot2}). */
    protected abstract String name();

    /** Places the image in the started environment and says how to enter it. */
    protected abstract BootPlan plan(EfiBoot boot, Firmware firmware, Guest guest)
            throws BootException, EfiException;
}
