package jgrub.machine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;

/**
 * Writes a loader's plan into guest RAM: checks every segment against the firmware map, jgrub's reserved ranges and
 * the other segments, then copies contents, zeroes the rest of each segment, builds page tables for a 64-bit entry and
 * returns the mailbox reply that tells the option ROM how to enter. Nothing is written unless every check passes.
 */
final class PlanWriter {

    private static final long PAGE = 4096;
    private static final long GIB = 1L << 30;
    private static final long TWO_MIB = 1L << 21;
    /** Page-table entry bits (Intel SDM vol. 3A section 4.5): present, writable, 2 MiB page. */
    private static final long PRESENT = 1;
    private static final long WRITABLE = 2;
    private static final long LARGE = 0x80;

    private PlanWriter() {
    }

    /** Validates the plan and writes it; returns the mailbox reply (entry mode, RIP, RAX..RDX, RSP, CR3). */
    static long[] write(BootPlan plan, Firmware firmware, GuestMemory memory) throws BootException {
        check(plan, firmware, memory);
        try {
            for (Segment segment : plan.segments()) {
                ByteBuffer target = memory.slice(segment.address(), segment.contents().size());
                segment.contents().writeTo(target);
                if (target.hasRemaining()) {
                    throw new BootException(segment.name() + ": its contents wrote " + target.position() + " of "
                            + segment.contents().size() + " bytes");
                }
                memory.zero(segment.address() + segment.contents().size(),
                        segment.memorySize() - segment.contents().size());
            }
            return reply(plan.entry(), memory);
        } catch (GuestMemoryException e) {
            throw new BootException(plan.protocol() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BootException(plan.protocol() + ": cannot read a segment's contents: " + e.getMessage(), e);
        }
    }

    static void check(BootPlan plan, Firmware firmware, GuestMemory memory) throws BootException {
        List<Segment> sorted = new ArrayList<>(plan.segments());
        sorted.sort(Comparator.comparingLong(Segment::address));
        Segment previous = null;
        for (Segment segment : sorted) {
            if (segment.contents().size() > Integer.MAX_VALUE) {
                throw new BootException(describe(segment) + " is larger than 2 GiB: unsupported");
            }
            if (!memory.isRam(segment.address(), segment.memorySize())) {
                throw new BootException(describe(segment) + " is outside guest RAM (" + memory.size() / (1 << 20)
                        + " MiB)");
            }
            if (segment.memorySize() > 0 && !usable(firmware.memoryMap(), segment.address(), segment.end())) {
                throw new BootException(describe(segment) + " is not within usable memory of the firmware map");
            }
            for (MemoryRegion reserved : firmware.loaderReserved()) {
                if (segment.address() < reserved.end() && reserved.base() < segment.end()) {
                    throw new BootException(describe(segment) + " overlaps memory reserved for jgrub and the BIOS "
                            + range(reserved.base(), reserved.end()));
                }
            }
            if (firmware.framebuffer().isPresent() && segment.address() < firmware.framebuffer().get().end()
                    && firmware.framebuffer().get().base() < segment.end()) {
                throw new BootException(describe(segment) + " overlaps the display's framebuffer "
                        + range(firmware.framebuffer().get().base(), firmware.framebuffer().get().end()));
            }
            if (previous != null && segment.address() < previous.end()) {
                throw new BootException(describe(segment) + " overlaps " + describe(previous));
            }
            if (segment.memorySize() > 0) {
                previous = segment;
            }
        }
    }

    /** Whether [start, end) is covered by usable regions of the map (which may be split into adjacent pieces). */
    private static boolean usable(List<MemoryRegion> map, long start, long end) {
        long covered = start;
        boolean progress = true;
        while (covered < end && progress) {
            progress = false;
            for (MemoryRegion region : map) {
                if (region.type() == MemoryType.USABLE && region.base() <= covered && covered < region.end()) {
                    covered = region.end();
                    progress = true;
                }
            }
        }
        if (covered < end) {
            return false;
        }
        for (MemoryRegion region : map) {
            if (region.type() != MemoryType.USABLE && region.base() < end && start < region.end()) {
                return false;
            }
        }
        return true;
    }

    private static long[] reply(EntryState entry, GuestMemory memory) throws BootException, GuestMemoryException {
        if (entry instanceof EntryState.Protected32 p) {
            return new long[] {Mailbox.MODE_PROTECTED32, Integer.toUnsignedLong(p.eip()),
                Integer.toUnsignedLong(p.eax()), Integer.toUnsignedLong(p.ebx()), 0, 0, Integer.toUnsignedLong(p.esp()),
                0, Integer.toUnsignedLong(p.esi())};
        }
        if (entry instanceof EntryState.Real16 r) {
            return new long[] {Mailbox.MODE_REAL16, r.ip(), 0, 0, r.cs(), r.segment(), r.sp(), 0, 0};
        }
        EntryState.Long64 l = (EntryState.Long64) entry;
        long cr3 = identityMap(memory);
        long target = l.handoff() != 0 ? l.handoff() : l.rip();
        return new long[] {Mailbox.MODE_LONG64, target, l.rax(), l.rbx(), l.rcx(), l.rdx(), l.rsp(), cr3, 0};
    }

    /**
     * Identity-maps guest-physical [0, max(4 GiB, top of RAM)) with 2 MiB pages (the first 4 GiB always, for the
     * local APIC, I/O APIC and HPET) and returns the PML4's address.
     */
    static long identityMap(GuestMemory memory) throws BootException, GuestMemoryException {
        long covered = Math.max(4 * GIB, (memory.top() + GIB - 1) & -GIB);
        long directories = covered / GIB;
        long pml4 = GuestLayout.PAGE_TABLES;
        long pdpt = pml4 + PAGE;
        long firstDirectory = pdpt + PAGE;
        if (firstDirectory + directories * PAGE > GuestLayout.LOADER_AREA_END) {
            throw new BootException("a 64-bit entry with " + memory.size() / (1 << 20) + " MiB of guest RAM needs "
                    + directories + " page directories; at most "
                    + (GuestLayout.LOADER_AREA_END - firstDirectory) / PAGE + " fit: unsupported");
        }
        memory.zero(pml4, 2 * PAGE);
        memory.writeU64(pml4, pdpt | PRESENT | WRITABLE);
        ByteBuffer pdpte = memory.slice(pdpt, PAGE);
        ByteBuffer pde = memory.slice(firstDirectory, directories * PAGE);
        for (int d = 0; d < directories; d++) {
            pdpte.putLong(8 * d, (firstDirectory + d * PAGE) | PRESENT | WRITABLE);
            for (int e = 0; e < 512; e++) {
                long address = d * GIB + e * TWO_MIB;
                pde.putLong((int) (d * PAGE + 8 * e), address | PRESENT | WRITABLE | LARGE);
            }
        }
        return pml4;
    }

    private static String describe(Segment segment) {
        return "segment '" + segment.name() + "' " + range(segment.address(), segment.end());
    }

    private static String range(long start, long end) {
        return "[0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ")";
    }
}
