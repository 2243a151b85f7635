package jgrub.chainload;

import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Segment;
import jgrub.efi.EfiDevicePath;
import jgrub.efi.EfiException;
import jgrub.efi.EfiImageLoader;
import jgrub.efi.EfiMemoryMap;
import jgrub.efi.EfiMemoryType;
import jgrub.efi.EfiPlacement;
import jgrub.efi.EfiSystem;
import jgrub.pe.PeFormatException;
import jgrub.pe.PeImage;

/**
 * GRUB's {@code chainloader} for PE32+ EFI applications such as xen.efi: the image is checked in full when the command
 * runs (so a broken file is refused before an emulator starts), then placed by the EFI environment's allocator,
 * relocated, given a Loaded Image handle and entered in 64-bit mode as UEFI starts an image (UEFI 2.10 section 2.3.4:
 * RCX = ImageHandle, RDX = SystemTable, a return address on the stack).
 *
 * <p>Load options: GRUB passes the arguments after the path without the image name, and xen.efi, like every
 * application that parses LoadOptions as a command line, drops the first word as argv[0], so with GRUB the first
 * option is lost. jgrub puts the image's file name first, as the UEFI Shell does, so every argument the user wrote
 * arrives. Without arguments there are no load options at all, as with GRUB, and xen.efi reads its xen.cfg.
 *
 * <p>The image may load and start further images itself (LoadImage, StartImage): the environment gets the same PE32+
 * loader, {@link PeGuestImage}.
 */
public final class EfiChainloader {

    /** Pages of stack the image starts on: 128 KiB, as EDK2 gives an application. */
    static final long STACK_PAGES = 32;
    private final PeImage image;
    private final byte[] file;
    private final String path;
    private final String loadOptions;

    private EfiChainloader(PeImage image, byte[] file, String path, String loadOptions) {
        this.image = image;
        this.file = file;
        this.path = path;
        this.loadOptions = loadOptions;
    }

    /** Checks the image; {@code path} is where it is on the ESP ({@code /EFI/xen/xen.efi}). */
    public static EfiChainloader of(byte[] file, String path, List<String> arguments) throws PeFormatException {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return new EfiChainloader(PeImage.parse(file, path), file, path,
                arguments.isEmpty() ? null : name + " " + String.join(" ", arguments));
    }

    /**
     * Checks the image, which gets {@code loadOptions} as they are (null for none): how GRUB's {@code linux} on EFI
     * hands the kernel's EFI stub its command line.
     */
    public static EfiChainloader withLoadOptions(byte[] file, String path, String loadOptions)
            throws PeFormatException {
        return new EfiChainloader(PeImage.parse(file, path), file, path, loadOptions);
    }

    public PeImage image() {
        return image;
    }

    /** The LoadOptions string, null for none: for {@code chainloader}, the file name and the arguments. */
    public String loadOptions() {
        return loadOptions;
    }

    /** The FilePath of the Loaded Image protocol: one media file-path node, with backslashes as EFI paths have. */
    public EfiDevicePath filePath() {
        return EfiDevicePath.file(path);
    }

    /**
     * Places and relocates the image with the EFI environment's allocator, registers it there, and returns the plan:
     * the image as a segment (the machine writes it, as it writes every loader's segments) and how to enter it. The
     * image lands aligned to its section alignment (xen.efi: 2 MiB), as high as fits below 4 GiB.
     */
    public BootPlan start(EfiSystem efi, long deviceHandle) throws BootException, EfiException, PeFormatException {
        PeGuestImage checked = new PeGuestImage(image, file);
        long size = (checked.size() + EfiMemoryMap.PAGE - 1) & -EfiMemoryMap.PAGE;
        String name = "image " + path;
        long address = new EfiPlacement(efi.memoryMap(), EfiMemoryType.LOADER_CODE)
                .allocate(name, 0, checked.limit() - size, size, checked.alignment(), true);
        EfiImageLoader.Laid laid = checked.layAt(address);
        long handle = efi.createImage(address, image.sizeOfImage(), deviceHandle, filePath(), loadOptions());
        efi.imageLoader(PeGuestImage.LOADER);
        long stack = efi.imageStack(STACK_PAGES);
        return new BootPlan("EFI chainload", List.of(Segment.of(name, address, laid.memory())),
                new EntryState.Long64(laid.entryPoint(), 0, 0, handle, efi.systemTable(), stack));
    }
}
