package jgrub.multiboot.mb2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.boot.BootPlan;
import jgrub.boot.EntryState;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Platform;
import jgrub.boot.Segment;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiStubs;
import jgrub.fat.write.EspBuilder;
import jgrub.fs.Disk;
import jgrub.machine.GuestMemoryException;
import jgrub.machine.GuestRam;
import jgrub.multiboot.Module;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Debian's xen.gz planned for the EFI platform in a guest held in heap memory, as the machine would run it. */
class Multiboot2EfiTest {

    static final int RAM = 256 << 20;

    /** The running guest: heap RAM, doorbell handlers recorded, console text kept. */
    static final class HeapGuest implements Guest {
        final ByteBuffer ram = ByteBuffer.allocate(RAM).order(ByteOrder.LITTLE_ENDIAN);
        final List<Integer> doorbells = new ArrayList<>();
        final GuestRam memory = new GuestRam() {
            public boolean isRam(long address, long length) {
                return address >= 0 && length >= 0 && address <= RAM - length;
            }

            public ByteBuffer slice(long address, long length) throws GuestMemoryException {
                if (!isRam(address, length)) {
                    throw new GuestMemoryException("not RAM");
                }
                return ram.slice((int) address, (int) length).order(ByteOrder.LITTLE_ENDIAN);
            }
        };

        public GuestRam memory() {
            return memory;
        }

        public void print(String text) {
        }

        public void onDoorbell(int code, Doorbell handler) {
            doorbells.add(code);
        }
    }

    @Test
    void xenOnEfi_entersAtTag9InLongMode_withTheSystemTable_andEverythingPlacedIsInUse(@TempDir Path dir)
            throws Exception {
        byte[] xen = Files.readAllBytes(Prerequisites.payload("xen.gz"));
        Path diskFile = dir.resolve("esp.img");
        Path cfg = Files.writeString(dir.resolve("grub.cfg"), "multiboot2 /xen.gz\n");
        new EspBuilder(16L << 20).add(cfg, "/boot/grub/grub.cfg").write(diskFile, false);
        Firmware firmware = new Firmware(List.of(
                new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
                new MemoryRegion(0x9fc00, 0x400, MemoryType.RESERVED),
                new MemoryRegion(0xf0000, 0x10000, MemoryType.RESERVED),
                new MemoryRegion(0x100000, RAM - 0x100000 - 0x20000, MemoryType.USABLE),
                new MemoryRegion(RAM - 0x20000, 0x20000, MemoryType.RESERVED)), Optional.empty(),
                List.of(new MemoryRegion(0, 0x10000, MemoryType.RESERVED)));
        Multiboot2 kernel = Multiboot2.load("/xen.gz", xen, List.of("placeholder", "console=com1"),
                Platform.EFI)
                .withModule(Module.of("/vmlinuz", new byte[5 << 20], false, List.of("placeholder", "console=hvc0")));
        HeapGuest guest = new HeapGuest();
        try (Disk disk = Disk.open(diskFile)) {
            BootPlan plan = new Multiboot2Efi(kernel, "/xen.gz", disk, disk.partition(null), EfiBoot.Options.defaults())
                    .plan(firmware, guest);
            EntryState.Long64 entry = assertInstanceOf(EntryState.Long64.class, plan.entry());
            assertEquals(Multiboot2.BOOTLOADER_MAGIC, entry.rax());
            assertEquals(0, entry.rsp() % 16);
            assertEquals(List.of(EfiStubs.DOORBELL_EFI_CALL), guest.doorbells, "EFI calls are served after entry");

            Segment info = plan.segments().stream().filter(s -> s.name().contains("information")).findFirst()
                    .orElseThrow();
            assertEquals(info.address(), entry.rbx());
            ByteBuffer bytes = ByteBuffer.allocate((int) info.contents().size());
            info.contents().writeTo(bytes);
            InfoReader tags = new InfoReader(bytes.array());
            assertTrue(tags.types().containsAll(List.of(12, 18, 20)), tags.types().toString());
            assertFalse(tags.types().contains(6) || tags.types().contains(17) || tags.types().contains(4),
                    "no memory maps while boot services run: " + tags.types());
            long systemTable = tags.first(12).u64(8);
            assertEquals(0x5453595320494249L, guest.ram.getLong((int) systemTable), "tag 12 points at the system table");

            long loadBase = tags.first(21).u32(8);
            assertEquals(0, loadBase % 0x200000, "Xen's relocatable tag asks for 2 MiB alignment");
            assertEquals(loadBase + (0x3dd531 - 0x200000), entry.rip(), "the tag-9 entry, relocated with the image");
            for (Segment s : plan.segments()) {
                assertTrue(s.end() <= RAM - 0x20000 && s.address() >= 0x100000, s.name());
            }
        }
    }
}
