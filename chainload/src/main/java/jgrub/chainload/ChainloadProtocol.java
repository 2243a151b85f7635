package jgrub.chainload;

import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiBootProtocol;
import jgrub.efi.EfiException;
import jgrub.fs.Disk;
import jgrub.part.Partition;
import jgrub.pe.PeFormatException;

/**
 * {@code chainloader PATH ARGS...} then {@code boot}: jgrub's EFI environment in the guest, the image placed and
 * registered in it, and a 64-bit entry with RCX = ImageHandle and RDX = SystemTable. Its return ends the run.
 */
public final class ChainloadProtocol extends EfiBootProtocol {

    private final EfiChainloader image;

    public ChainloadProtocol(EfiChainloader image, Disk disk, Partition esp, EfiBoot.Options options) {
        super(disk, esp, options);
        this.image = image;
    }

    @Override
    protected String name() {
        return "chainloader " + image.image().name();
    }

    @Override
    protected BootPlan plan(EfiBoot boot, Firmware firmware, Guest guest) throws BootException, EfiException {
        try {
            return image.start(boot.efi(), boot.espHandle());
        } catch (PeFormatException e) {
            throw new BootException(e.getMessage(), e);
        }
    }
}
