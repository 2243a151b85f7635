package jgrub.chainload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Segment;
import jgrub.efi.EfiException;
import jgrub.efi.EfiMemoryType;
import jgrub.efi.EfiStatus;
import jgrub.efi.EfiSystem;
import jgrub.efi.EfiVariableStore;
import jgrub.efi.PhysicalMemory;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;

class EfiChainloaderTest {

    /** 256 MiB of heap guest RAM. */
    static final class Ram implements PhysicalMemory {
        final ByteBuffer bytes = ByteBuffer.allocate(256 << 20).order(ByteOrder.LITTLE_ENDIAN);

        public boolean isRam(long address, long length) {
            return address >= 0 && length >= 0 && address <= bytes.capacity() - length;
        }

        public ByteBuffer slice(long address, int length) throws EfiException {
            if (!isRam(address, length)) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "not RAM");
            }
            return bytes.slice((int) address, length).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    @Test
    void xenEfi_isPlaced2MiBAligned_relocated_andEnteredWithHandleAndSystemTable() throws Exception {
        byte[] file = Files.readAllBytes(Prerequisites.payload("xen.efi"));
        EfiChainloader chain = EfiChainloader.of(file, "/EFI/xen/xen.efi", List.of());
        Ram ram = new Ram();
        EfiSystem efi = EfiSystem.install(ram, List.of(new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
                new MemoryRegion(0x100000, (256 << 20) - 0x100000, MemoryType.USABLE)), List.of(), Optional.empty(),
                0, new EfiVariableStore(), text -> { });
        BootPlan plan = chain.start(efi, 0);
        EntryState.Long64 entry = assertInstanceOf(EntryState.Long64.class, plan.entry());
        long base = entry.rip() - chain.image().entryPointRva();
        Segment image = plan.segments().get(0);
        assertEquals(List.of("image /EFI/xen/xen.efi"), plan.segments().stream().map(Segment::name).toList());
        assertEquals(base, image.address(), "the image is a segment of the plan, which the machine writes");
        assertEquals(chain.image().sizeOfImage(), image.memorySize());
        assertEquals(0, base % 0x200000, "xen.efi demands a 2 MiB boundary");
        assertTrue(base + chain.image().sizeOfImage() <= 256 << 20);
        assertTrue(efi.memoryMap().isType(base, base + chain.image().sizeOfImage(),
                EfiMemoryType.LOADER_CODE.code()));
        assertEquals(efi.systemTable(), entry.rdx());
        assertEquals(8, entry.rsp() % 16, "as after a call: RSP + 8 is 16-byte aligned");
        ByteBuffer bytes = ByteBuffer.allocate((int) image.contents().size());
        image.contents().writeTo(bytes);
        assertEquals('M', bytes.get(0), "headers are loaded too");
        assertEquals(0, ram.bytes.get((int) base), "guest memory stays untouched until the machine writes the plan");
        assertNull(chain.loadOptions(), "no arguments: no load options, xen.efi reads xen.cfg");
    }

    @Test
    void arguments_getTheImageNameAsArgv0() throws Exception {
        byte[] file = Files.readAllBytes(Prerequisites.payload("xen.efi"));
        EfiChainloader chain = EfiChainloader.of(file, "/EFI/xen/xen.efi", List.of("-cfg=test.cfg", "--", "x"));
        assertEquals("xen.efi -cfg=test.cfg -- x", chain.loadOptions());
        assertEquals("\\EFI\\xen\\xen.efi", chain.filePath().text());
    }
}
