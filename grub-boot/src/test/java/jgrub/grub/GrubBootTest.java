package jgrub.grub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import jgrub.boot.BootPlan;
import jgrub.boot.BootProtocol;
import jgrub.boot.Firmware;
import jgrub.boot.Guest;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;
import jgrub.boot.Platform;
import jgrub.chainload.ChainloadProtocol;
import jgrub.config.eval.EntryRun;
import jgrub.disk.BlockDevice;
import jgrub.disk.DiskImage;
import jgrub.efi.EfiBoot;
import jgrub.fat.write.EspBuilder;
import jgrub.fs.Disk;
import jgrub.machine.GuestMemoryException;
import jgrub.machine.GuestRam;
import jgrub.multiboot.mb2.Multiboot2;
import jgrub.multiboot.mb2.Multiboot2Efi;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One whole boot short of the emulator, through the entry point {@code boot} and {@code plan} use, reads the ESP's FAT boot sector once: the config found and evaluated
 * ({@code search}, {@code test -f}, {@code source}), the entry's kernel and modules read by the loader commands, and
 * the plan made as the machine makes it once the firmware has reported, which on EFI attaches the ESP as Simple File
 * System and Block I/O. Before the disk model it was read 3 + N times.
 */
class GrubBootTest {

    static final int RAM = 256 << 20;

    @TempDir
    static Path dir;
    static Path image;

    @BeforeAll
    static void disk() throws IOException {
        Path cfg = Files.writeString(dir.resolve("grub.cfg"), """
                search --no-floppy --fs-uuid --set=root 1234-ABCD
                if [ -f /boot/grub/entries.cfg ]; then source /boot/grub/entries.cfg; fi
                """);
        Path entries = Files.writeString(dir.resolve("entries.cfg"), """
                menuentry 'Xen, Multiboot 2' --id mb2 {
                    multiboot2 /boot/xen.gz placeholder console=com1
                    module2 /boot/initrd.img console=hvc0
                    module2 --nounzip /boot/initrd.img
                }
                menuentry 'Xen, chainloaded' --id chain {
                    chainloader /EFI/xen/xen.efi
                }
                """);
        image = dir.resolve("disk.img");
        new EspBuilder(64L << 20).serial(0x1234ABCDL)
                .add(cfg, "/EFI/BOOT/grub.cfg")
                .add(entries, "/boot/grub/entries.cfg")
                .add(Prerequisites.payload("xen.gz"), "/boot/xen.gz")
                .add(Prerequisites.payload("initrd.img"), "/boot/initrd.img")
                .add(Prerequisites.payload("xen.efi"), "/EFI/xen/xen.efi")
                .write(image, false);
    }

    /** The image, counting the reads that start at one offset. */
    static final class ReadsAt implements BlockDevice {
        final DiskImage disk;
        final long offset;
        int reads;

        ReadsAt(DiskImage disk, long offset) {
            this.disk = disk;
            this.offset = offset;
        }

        @Override
        public synchronized void read(long at, ByteBuffer dst) throws IOException {
            reads += at == offset ? 1 : 0;
            disk.read(at, dst);
        }

        @Override
        public long size() {
            return disk.size();
        }

        @Override
        public long imageOffset(long at) {
            return at;
        }
    }

    /** Guest RAM in the heap, as the machine's shared RAM file would be mapped. */
    static final class HeapGuest implements Guest, GuestRam {
        final ByteBuffer ram = ByteBuffer.allocate(RAM).order(ByteOrder.LITTLE_ENDIAN);

        @Override
        public boolean isRam(long address, long length) {
            return address >= 0 && length >= 0 && address <= RAM - length;
        }

        @Override
        public ByteBuffer slice(long address, long length) throws GuestMemoryException {
            if (!isRam(address, length)) {
                throw new GuestMemoryException("not RAM");
            }
            return ram.slice((int) address, (int) length).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public GuestRam memory() {
            return this;
        }

        @Override
        public void print(String text) {
        }

        @Override
        public void onDoorbell(int code, Doorbell handler) {
        }
    }

    /** The firmware's report, reduced to what planning needs: RAM below 640 KiB and from 1 MiB up. */
    static final Firmware FIRMWARE = new Firmware(List.of(new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
            new MemoryRegion(0x100000, RAM - 0x100000, MemoryType.USABLE)), Optional.empty(), List.of());

    static Stream<Arguments> boots() {
        return Stream.of(Arguments.of(Platform.EFI, "mb2", Multiboot2Efi.class),
                Arguments.of(Platform.EFI, "chain", ChainloadProtocol.class),
                Arguments.of(Platform.PC, "mb2", Multiboot2.class));
    }

    @ParameterizedTest
    @MethodSource("boots")
    void oneBoot_readsTheEspBootSectorOnce(Platform platform, String entry, Class<? extends BootProtocol> protocol)
            throws Exception {
        long espStart;
        try (Disk plain = Disk.open(image)) {
            espStart = plain.partition(null).start();
        }
        ReadsAt counting = new ReadsAt(DiskImage.open(image), espStart);
        try (Disk disk = Disk.of(counting, image.toString())) {
            GrubBoot boot = GrubBoot.of(GrubConfig.onDisk(disk, null, platform));
            LoaderCommands commands = boot.loaderCommands(EfiBoot.Options.defaults());
            EntryRun run = boot.run(entry, commands);
            BootProtocol booted = assertInstanceOf(protocol, commands.bootedBy(run));
            BootPlan plan = booted.plan(FIRMWARE, new HeapGuest());
            assertNotNull(plan.entry(), "a plan with an entry state");
            assertEquals(1, counting.reads, "reads of the ESP's boot sector at 0x" + Long.toHexString(espStart));
        }
    }
}
