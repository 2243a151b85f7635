package jgrub.linux;

import static jgrub.linux.KernelFormatException.hex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.chainload.EfiChainloader;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiBootProtocol;
import jgrub.efi.EfiException;
import jgrub.efi.EfiSystem;
import jgrub.fs.Disk;
import jgrub.part.Partition;
import jgrub.pe.PeFormatException;

/**
 * GRUB 2.12's {@code linux} and {@code initrd} on EFI (grub-core/loader/efi/linux.c): the kernel's own EFI stub runs.
 * The bzImage is a PE32+ image; it is checked, placed and started in jgrub's EFI environment as {@code chainloader}
 * starts an image, with GRUB's command line {@code BOOT_IMAGE=PATH ARGS...} as its LoadOptions (UCS-2). The initrd
 * files, concatenated as GRUB concatenates them ({@link Initrd}), are served through EFI_LOAD_FILE2_PROTOCOL on a
 * handle whose device path is the LINUX_EFI_INITRD_MEDIA vendor node, where the stub looks for its initrd first (Linux
 * drivers/firmware/efi/libstub/efi-stub-helper.c); the stub allocates the memory and places it.
 *
 * <p>Checked before anything runs, in GRUB's order: the "MZ" of a kernel built with CONFIG_EFI_STUB, the setup header
 * as {@code linux} on pc checks it (so a file that is not a bzImage is refused the same way on both platforms),
 * init_size, the command line against cmdline_size, the PE32+ image as {@code chainloader} checks it; at
 * {@code initrd}, that the stub takes a LoadFile2 initrd (PE MajorImageVersion 1 or later, as GRUB decides it).
 */
public final class LinuxEfiKernel {

    /** "MZ": a bzImage built with CONFIG_EFI_STUB starts with the DOS header of its PE image. */
    static final int MZ = 0x5a4d;
    /** e_lfanew: where the PE signature is; the optional header starts 24 bytes after it. */
    static final int E_LFANEW = 0x3c;
    static final int PE_OPTIONAL_HEADER = 24;
    /** MajorImageVersion in the PE32+ optional header. */
    static final int MAJOR_IMAGE_VERSION = 44;
    /**
     * Linux's EFI stub says it takes the initrd through LoadFile2 with MajorImageVersion 1 or later
     * (LINUX_EFISTUB_MAJOR_VERSION, Linux 5.8); GRUB 2.12 serves it that way only then.
     */
    static final int LOAD_FILE2_STUB_VERSION = 1;

    private final String path;
    private final SetupHeader header;
    private final EfiChainloader image;
    /** Where MajorImageVersion is in the file, for the message that refuses an initrd. */
    private final long versionOffset;
    private final String commandLine;
    private final Optional<Initrd> initrd;

    private LinuxEfiKernel(String path, SetupHeader header, EfiChainloader image, long versionOffset,
            String commandLine, Optional<Initrd> initrd) {
        this.path = path;
        this.header = header;
        this.image = image;
        this.versionOffset = versionOffset;
        this.commandLine = commandLine;
        this.initrd = initrd;
    }

    /**
     * Reads a kernel as {@code linux PATH ARGS...} does on EFI: {@code path} as written in the command (it becomes
     * {@code BOOT_IMAGE=}), the file's bytes, the words after the path.
     */
    public static LinuxEfiKernel load(String path, byte[] file, List<String> arguments) throws KernelFormatException {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length >= 2 && Short.toUnsignedInt(b.getShort(0)) != MZ) {
            throw new KernelFormatException(path + ": " + hex(Short.toUnsignedInt(b.getShort(0))) + " at offset 0x0 "
                    + "is not \"MZ\": plain image kernel not supported - rebuild with CONFIG_(U)EFI_STUB enabled "
                    + "(unsupported)");
        }
        SetupHeader header = SetupHeader.parse(path, file);
        long protectedSize = file.length - header.protectedModeOffset();
        if (header.version() >= 0x020a && header.initSize() < protectedSize) {
            throw KernelFormatException.corrupt(path, "init_size", header.initSize(), SetupHeader.INIT_SIZE,
                    "is smaller than the protected-mode kernel (" + hex(protectedSize) + " bytes)");
        }
        String line = LinuxKernel.commandLine(path, arguments, header.maximalCommandLine());
        EfiChainloader image;
        try {
            image = EfiChainloader.withLoadOptions(file, path, line);
        } catch (PeFormatException e) {
            throw new KernelFormatException("the kernel's EFI stub: " + e.getMessage());
        }
        // PeImage has checked that e_lfanew and the optional header lie inside the file.
        long versionOffset = Integer.toUnsignedLong(b.getInt(E_LFANEW)) + PE_OPTIONAL_HEADER + MAJOR_IMAGE_VERSION;
        return new LinuxEfiKernel(path, header, image, versionOffset, line, Optional.empty());
    }

    /**
     * {@code initrd FILE...} after this kernel: the kernel with these files as its initrd (replacing any before),
     * refused when the stub cannot take an initrd through LoadFile2.
     */
    public LinuxEfiKernel withInitrd(Initrd files) throws KernelFormatException {
        int version = image.image().majorImageVersion();
        if (version < LOAD_FILE2_STUB_VERSION) {
            throw new KernelFormatException(path + ": PE optional header MajorImageVersion " + hex(version)
                    + " at offset " + hex(versionOffset) + ": the kernel's EFI stub predates the LoadFile2 initrd "
                    + "(Linux 5.8), the only way jgrub gives an initrd on EFI (unsupported)");
        }
        return new LinuxEfiKernel(path, header, image, versionOffset, commandLine, Optional.of(files));
    }

    public SetupHeader header() {
        return header;
    }

    /** The command line the stub gets as its LoadOptions: {@code BOOT_IMAGE=PATH ARGS...}. */
    public String commandLine() {
        return commandLine;
    }

    public Optional<Initrd> initrd() {
        return initrd;
    }

    /** The boot protocol {@code boot} runs: the environment on {@code disk}, the stub's DeviceHandle {@code from}. */
    public BootProtocol protocol(Disk disk, Partition from, EfiBoot.Options options) {
        return new EfiBootProtocol(disk, from, options) {
            @Override
            protected String name() {
                return "linux " + path;
            }

            @Override
            protected BootPlan plan(EfiBoot boot, Firmware firmware, Guest guest) throws BootException, EfiException {
                if (initrd.isPresent()) {
                    boot.efi().installLoadFile2(EfiSystem.LINUX_INITRD_MEDIA, LinuxKernel.initrdName(initrd.get()),
                            initrd.get().contents());
                }
                try {
                    BootPlan started = image.start(boot.efi(), boot.espHandle());
                    return new BootPlan("Linux EFI stub", started.segments(), started.entry());
                } catch (PeFormatException e) {
                    throw new BootException(e.getMessage(), e);
                }
            }
        };
    }
}
