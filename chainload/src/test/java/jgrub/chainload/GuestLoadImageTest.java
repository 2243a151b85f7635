package jgrub.chainload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import jgrub.boot.EntryState;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.efi.EfiCall;
import jgrub.efi.EfiGuid;
import jgrub.efi.EfiMemoryType;
import jgrub.efi.EfiService;
import jgrub.efi.EfiStatus;
import jgrub.efi.EfiSystem;
import jgrub.efi.EfiVariableStore;
import jgrub.efi.GuestPointers;
import jgrub.pe.TinyPe;
import org.junit.jupiter.api.Test;

/**
 * LoadImage from a chainloaded image goes through the same PE32+ checks, placement and relocation as
 * {@code chainloader}: the environment {@link EfiChainloader#start} builds has {@link PeGuestImage#LOADER}.
 */
class GuestLoadImageTest {

    static final long SCRATCH = 0x500000;

    private final EfiChainloaderTest.Ram ram = new EfiChainloaderTest.Ram();
    private final GuestPointers guest = new GuestPointers(ram, 0);
    private EfiSystem efi;
    private long parent;

    private void start() throws Exception {
        efi = EfiSystem.install(ram, List.of(new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
                new MemoryRegion(0x100000, (256 << 20) - 0x100000, MemoryType.USABLE)),
                List.of(new MemoryRegion(SCRATCH, 0x100000, MemoryType.RESERVED)), Optional.empty(), 0,
                new EfiVariableStore(), text -> { });
        EfiChainloader chain = EfiChainloader.of(TinyPe.build(), "/EFI/BOOT/BOOTX64.EFI", List.of());
        parent = assertInstanceOf(EntryState.Long64.class, chain.start(efi, 0).entry()).rcx();
    }

    /** LoadImage(FALSE, parent, NULL, buffer, size, &handle) with the buffer and stack in the scratch region. */
    private long loadFromBuffer(byte[] file) throws Exception {
        long buffer = SCRATCH + 0x1000;
        long out = SCRATCH + 0x800;
        long stack = SCRATCH;
        guest.write(buffer, file);
        guest.writeU64(stack + 0x28, file.length);
        guest.writeU64(stack + 0x30, out);
        long status = efi.call(new EfiCall(EfiService.LOAD_IMAGE, 0, parent, 0, buffer, stack, guest));
        return status == EfiStatus.SUCCESS ? guest.readU64(out) : status;
    }

    private long loadedImage(long handle) throws Exception {
        long out = SCRATCH + 0x900;
        long guid = SCRATCH + 0x920;
        guest.write(guid, EfiGuid.LOADED_IMAGE.toBytes());
        assertEquals(EfiStatus.SUCCESS, efi.call(new EfiCall(EfiService.HANDLE_PROTOCOL, handle, guid, out, 0,
                SCRATCH, guest)));
        return guest.readU64(out);
    }

    @Test
    void loadImage_placesAndRelocatesAPe32PlusImage_asChainloaderDoes() throws Exception {
        start();
        long handle = loadFromBuffer(TinyPe.build());
        ByteBuffer li = ram.slice(loadedImage(handle), 96).order(ByteOrder.LITTLE_ENDIAN);
        long base = li.getLong(64);
        assertEquals(0x3000, li.getLong(72), "ImageSize is SizeOfImage");
        assertEquals(0, base % 0x1000);
        assertTrue(base + 0x3000 <= 1L << 32);
        assertEquals(base + 0x1000, guest.readU64(base + 0x1008), "the DIR64 relocation is applied");
        assertEquals(0xF4, Byte.toUnsignedInt(guest.read(base + 0x1000, 1)[0]), ".text at its RVA");
        assertTrue(efi.memoryMap().isType(base, base + 0x3000, EfiMemoryType.LOADER_CODE.code()));
        assertEquals(parent, li.getLong(8));
    }

    @Test
    void loadImage_refusesWhatChainloaderRefuses() throws Exception {
        start();
        byte[] garbage = new byte[0x600];
        assertEquals(EfiStatus.LOAD_ERROR, loadFromBuffer(garbage), "not MZ: corrupt");
        byte[] i386 = TinyPe.build();
        ByteBuffer.wrap(i386).order(ByteOrder.LITTLE_ENDIAN).putShort(TinyPe.COFF, (short) 0x14c);
        assertEquals(EfiStatus.UNSUPPORTED, loadFromBuffer(i386), "another machine: unsupported");
    }
}
