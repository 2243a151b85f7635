package jgrub.efi;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import jgrub.boot.BootException;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.fs.Disk;
import jgrub.part.Partition;

/**
 * What both EFI boot paths (chainloading a PE image, Multiboot 2 with the EFI amd64 entry) do first: build jgrub's
 * EFI environment in the running guest from the firmware's report, attach the user's disk and ESP, and serve EFI
 * calls on the doorbell from then on.
 */
public final class EfiBoot {

    private final EfiSystem efi;
    private final long espHandle;

    private EfiBoot(EfiSystem efi, long espHandle) {
        this.efi = efi;
        this.espHandle = espHandle;
    }

    /** Options of the EFI environment: variables (loaded from and saved to a file if given) and call tracing. */
    public record Options(EfiVariableStore variables, Optional<Consumer<String>> trace) {
        public static Options defaults() {
            return new Options(new EfiVariableStore(), Optional.empty());
        }
    }

    public static EfiBoot start(Firmware firmware, Guest guest, Disk disk, Partition esp, Options options)
            throws BootException {
        try {
            Optional<Long> rsdp = firmware.rsdp().map(Firmware.AcpiRsdp::address);
            int revision = firmware.rsdp().map(Firmware.AcpiRsdp::revision).orElse(0);
            EfiSystem efi = EfiSystem.install(PhysicalMemory.of(guest.memory()), firmware.memoryMap(),
                    firmware.loaderReserved(), firmware.framebuffer(), rsdp, revision, options.variables(),
                    guest::print);
            options.trace().ifPresent(efi::trace);
            long espHandle = EspDisk.attach(efi, disk, esp);
            guest.onDoorbell(EfiStubs.DOORBELL_EFI_CALL, () -> {
                try {
                    efi.serveMailbox();
                } catch (EfiException e) {
                    throw new BootException("EFI: the call mailbox at 0x" + Long.toHexString(efi.mailbox())
                            + " is not readable: " + e.getMessage(), e);
                }
                return efi.ending().map(EfiBoot::ending);
            });
            return new EfiBoot(efi, espHandle);
        } catch (EfiException e) {
            throw new BootException("EFI environment: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BootException("EFI environment: the disk: " + e.getMessage(), e);
        }
    }

    private static Guest.Ending ending(EfiSystem.Ending ending) {
        String status = EfiStatus.name(ending.status());
        String detail = ending.detail().isEmpty() ? "" : " (" + ending.detail().strip() + ")";
        // A reset is the guest's own decision to end, as a power-off is; an image that returns or exits ends well
        // only with EFI_SUCCESS (xen.efi returns only when it could not boot).
        boolean success = ending.how().startsWith("ResetSystem") || ending.status() == EfiStatus.SUCCESS;
        return new Guest.Ending(success, ending.how() + " with " + status + detail);
    }

    public EfiSystem efi() {
        return efi;
    }

    /** The handle of the ESP (Simple File System, Block I/O, device path): the DeviceHandle of images from it. */
    public long espHandle() {
        return espHandle;
    }
}
