package jgrub.chainload;

import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiException;
import jgrub.esp.EspImage;
import jgrub.part.Partition;
import jgrub.pe.PeFormatException;

/**
 * {@code chainloader PATH ARGS...} then {@code boot}: jgrub's EFI environment in the guest, the image placed and
 * registered in it, and a 64-bit entry with RCX = ImageHandle and RDX = SystemTable. Its return ends the run.
 */
public final class ChainloadProtocol implements BootProtocol {

    private final EfiChainloader image;
    private final EspImage disk;
    private final Partition esp;
    private final EfiBoot.Options options;

    public ChainloadProtocol(EfiChainloader image, EspImage disk, Partition esp, EfiBoot.Options options) {
        this.image = image;
        this.disk = disk;
        this.esp = esp;
        this.options = options;
    }

    @Override
    public BootPlan plan(Firmware firmware) throws BootException {
        throw new BootException("chainloader: an EFI image needs jgrub's EFI environment in the running guest");
    }

    @Override
    public BootPlan plan(Firmware firmware, Guest guest) throws BootException {
        EfiBoot boot = EfiBoot.start(firmware, guest, disk, esp, options);
        try {
            return new BootPlan("EFI chainload", List.of(), image.start(boot.efi(), guest.memory(),
                    boot.espHandle()));
        } catch (EfiException e) {
            throw new BootException("chainloader: cannot place " + image.image().name() + ": " + e.getMessage(), e);
        } catch (PeFormatException e) {
            throw new BootException(e.getMessage(), e);
        }
    }
}
