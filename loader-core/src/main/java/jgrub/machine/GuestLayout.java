package jgrub.machine;

import java.util.List;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;

/**
 * Every fixed guest-physical address and I/O port jgrub uses, and why it is there. The option ROM
 * ({@code src/main/rom/jgrub-rom.S}) uses the same numbers; {@code OptionRomTest} checks that they agree.
 *
 * <pre>
 * 0x00000-0x004FF  real-mode interrupt vectors and BIOS data area (firmware's; Xen reads 0x40E and 0x413)
 * 0x01000-0x01FFF  mailbox: requests from guest code to jgrub and jgrub's replies ({@link Mailbox})
 * 0x02000-0x02FFF  the E820 map as INT 15h returned it to the option ROM
 * 0x03000-0x03FFF  the option ROM's working code, copied there from the read-only shadow ROM
 * 0x04000-0x04FFF  QEMU's fw_cfg file directory as the option ROM read it (where jgrub finds the ramfb device)
 * 0x05000-0x05FFF  the option ROM's stack (top at 0x6000)
 * 0x06000-0x0FFFF  identity-mapping page tables for a 64-bit entry (PML4, PDPT, page directories)
 * </pre>
 *
 * Everything jgrub owns lies in [0x1000, 0x10000): below where GRUB puts a Multiboot 1 information structure
 * (at or above 0x10000) and where Xen puts its trampoline (just below the EBDA), and it is handed to loaders as
 * reserved, so no segment is ever planned over it.
 */
public final class GuestLayout {

    private GuestLayout() {
    }

    /** Real-mode interrupt vector table and BIOS data area: [0, 0x500). Firmware data the booted OS still reads. */
    public static final long BIOS_DATA_END = 0x500;
    /** BDA word: segment of the extended BIOS data area (where an ACPI RSDP may be; Xen places its trampoline below). */
    public static final long BDA_EBDA_SEGMENT = 0x40e;
    /** BDA word: KiB of base memory below the EBDA. */
    public static final long BDA_BASE_MEMORY_KIB = 0x413;

    /** The mailbox page shared by guest code and jgrub. */
    public static final long MAILBOX = 0x1000;
    /** Where the option ROM stores the INT 15h E820 entries, {@link #E820_ENTRY_SIZE} bytes each. */
    public static final long E820_BUFFER = 0x2000;
    /** Bytes per stored E820 entry: base, length, type and the ACPI 3.0 extended attributes. */
    public static final int E820_ENTRY_SIZE = 24;
    /** As many entries as fit in the E820 page. */
    public static final int E820_MAX_ENTRIES = 128;
    /** Where the option ROM's code runs from (linked there by {@code jgrub-rom.ld}). */
    public static final long LOW_CODE = 0x3000;
    /** Where the option ROM reads QEMU's fw_cfg file directory (FW_CFG_FILE_DIR), {@link #FW_CFG_DIRECTORY_SIZE} bytes. */
    public static final long FW_CFG_DIRECTORY = 0x4000;
    public static final int FW_CFG_DIRECTORY_SIZE = 0x1000;
    /** Top of the option ROM's stack. */
    public static final long STACK_TOP = 0x6000;
    /** First of the 64-bit entry's page tables: PML4 here, then the PDPT, then one page directory per GiB. */
    public static final long PAGE_TABLES = 0x6000;
    /** End of everything jgrub owns in low memory; page directories may fill up to here. */
    public static final long LOADER_AREA_END = 0x10000;
    /** Start of everything jgrub owns in low memory. */
    public static final long LOADER_AREA_START = MAILBOX;

    /**
     * The doorbell: an {@code isa-debugcon} port whose bytes QEMU sends to jgrub. A debug console rather than a
     * second UART because ringing it is one {@code outb}, it needs no initialisation, and no OS driver probes or
     * claims it. The port is free on QEMU's {@code pc} machine and below the PCI I/O window SeaBIOS assigns BARs from.
     */
    public static final int DOORBELL_PORT = 0x0b10;

    /**
     * QEMU's fw_cfg on the {@code pc} machine (QEMU docs/specs/fw_cfg.rst): the selector port, and the DMA address
     * register, a big-endian 64-bit value whose high half is written first; writing the low half starts the transfer.
     */
    public static final int FW_CFG_PORT_SELECTOR = 0x510;
    public static final int FW_CFG_PORT_DMA_HIGH = 0x514;
    public static final int FW_CFG_PORT_DMA_LOW = 0x518;

    /**
     * The display's framebuffer (QEMU's ramfb, whose pixels live in guest RAM): this many bytes at the top of the
     * highest RAM below 4 GiB, on a 1 MiB boundary, as firmware puts a framebuffer high; the EFI memory map reserves it.
     */
    public static final long FRAMEBUFFER_ALIGNMENT = 1L << 20;

    /** The BIOS read-only area the ACPI specification says to search for the RSDP (ACPI 6.4 section 5.2.5.1). */
    public static final long BIOS_AREA_START = 0xe0000;
    public static final long BIOS_AREA_END = 0x100000;

    /**
     * Guest RAM below 4 GiB ends here at most (QEMU {@code -machine pc,max-ram-below-4g=3G}); the rest of guest RAM
     * starts at {@link #HIGH_RAM_START}. Set explicitly so that the split does not depend on QEMU's defaults.
     */
    public static final long MAX_RAM_BELOW_4G = 3L << 30;
    public static final long HIGH_RAM_START = 4L << 30;

    /** The ranges no loader may place anything over: the BIOS data area and jgrub's own low-memory area. */
    public static List<MemoryRegion> loaderReserved() {
        return List.of(
                new MemoryRegion(0, BIOS_DATA_END, MemoryType.RESERVED),
                new MemoryRegion(LOADER_AREA_START, LOADER_AREA_END - LOADER_AREA_START, MemoryType.RESERVED));
    }
}
