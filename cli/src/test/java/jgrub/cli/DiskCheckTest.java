package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrub.fat.write.EspBuilder;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code check} and {@code menu} with {@code --disk}: configs and files read from a real ESP image. */
class DiskCheckTest {

    @TempDir
    Path dir;

    private Path disk(String config) throws IOException {
        Path cfg = Files.writeString(dir.resolve("grub.cfg"), config);
        Path kernel = Files.writeString(dir.resolve("xen.gz"), "not really xen");
        Path linux = Files.write(dir.resolve("vmlinuz"), bzImage());
        Path image = dir.resolve("disk.img");
        new EspBuilder(34L << 20).serial(0x4A475242L).label("JGRUB-ESP").add(cfg, "/EFI/BOOT/grub.cfg")
                .add(kernel, "/boot/xen.gz").add(linux, "/boot/vmlinuz").write(image, false);
        return image;
    }

    /**
     * The least GRUB's linux takes on pc: boot_flag, "HdrS", protocol 2.03, LOADED_HIGH, four setup sectors; no EFI
     * stub, so the tests that need it accepted check on pc.
     */
    private static byte[] bzImage() {
        ByteBuffer b = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0x1fe, (short) 0xaa55).putInt(0x202, 0x53726448).putShort(0x206, (short) 0x0203).put(0x211,
                (byte) 1);
        return b.array();
    }

    @Test
    void configFoundOnTheDisk_filesThatExist_noErrors() throws IOException {
        Path image = disk("menuentry Linux {\n search --no-floppy --fs-uuid --set=root 4A47-5242\n"
                + " linux /boot/vmlinuz\n initrd /boot/xen.gz\n}\n");
        MainTest.Run run = MainTest.Run.of("check", "--platform", "pc", "--disk", image.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertFalse(run.out().contains("disk checks skipped"), run.out());
        assertTrue(run.out().startsWith("(hd0,gpt1)/EFI/BOOT/grub.cfg: 0 error(s)"), run.out());
    }

    @Test
    void missingFileAndUnknownUuid_areErrors() throws IOException {
        Path image = disk("menuentry Xen {\n search --no-floppy --fs-uuid --set=root 4A47-5242\n"
                + " linux /boot/vmlinuz\n initrd /boot/no-such-initrd\n}\n"
                + "menuentry Other {\n search --fs-uuid --set=root 0000-0000\n linux /boot/vmlinuz\n}\n");
        MainTest.Run run = MainTest.Run.of("check", "--platform", "pc", "--disk", image.toString());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains(":4:2: [0 \"Xen\"] file `/boot/no-such-initrd' not found"), run.out());
        assertTrue(run.out().contains(":7:2: [1 \"Other\"] no such device: 0000-0000"), run.out());
    }

    @Test
    void kernelThatIsNoMultiboot2Image_isAnError() throws IOException {
        Path image = disk("menuentry Xen {\n multiboot2 /boot/xen.gz\n}\n");
        MainTest.Run run = MainTest.Run.of("check", "--disk", image.toString());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains(":2:2: [0 \"Xen\"] /boot/xen.gz is not a Multiboot2 kernel jgrub can load"),
                run.out());
    }

    /** A host checks the disk it will boot from: the report on its block device is the report on its image. */
    @Test
    void aLoopDevice_givesTheSameReportAsItsImage() throws Exception {
        Prerequisites.program("losetup");
        Path image = disk("menuentry Xen {\n search --no-floppy --fs-uuid --set=root 4A47-5242\n"
                + " linux /boot/vmlinuz\n initrd /boot/no-such-initrd\n}\n");
        MainTest.Run onImage = MainTest.Run.of("check", "--disk", image.toString());
        Process attach = new ProcessBuilder("losetup", "-f", "--show", "-r", image.toString()).start();
        String device = new String(attach.getInputStream().readAllBytes()).strip();
        if (attach.waitFor() != 0) {
            Prerequisites.missing("a loop device (losetup -f failed)");
        }
        try {
            MainTest.Run onDevice = MainTest.Run.of("check", "--disk", device);
            assertEquals(1, onDevice.code(), onDevice.out() + onDevice.err());
            assertEquals(onImage.out(), onDevice.out());
            assertEquals(onImage.err(), onDevice.err());
        } finally {
            new ProcessBuilder("losetup", "-d", device).start().waitFor();
        }
    }

    @Test
    void aFifo_isRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("disk.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        for (String[] args : new String[][] {{"parts", fifo.toString()}, {"ls", fifo.toString()},
            {"cat", fifo.toString(), "/x"}, {"check", "--disk", fifo.toString()}}) {
            MainTest.Run run = assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> MainTest.Run.of(args));
            assertEquals(1, run.code(), String.join(" ", args));
            assertEquals("jgrub: " + fifo + ": a FIFO, not a disk image (give an image file or a block device)\n",
                    run.err(), String.join(" ", args));
        }
    }

    /**
     * A file linux refuses, in the loader's words: on pc one that is no bzImage; on efi, where linux starts the
     * kernel's EFI stub, a bzImage built without one (GRUB 2.12's words), which pc takes.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "pc  | /boot/xen.gz  | /boot/xen.gz: 0xe bytes, shorter than the Linux setup header (0x268 bytes): premature "
                + "end of file (corrupt)",
        "efi | /boot/vmlinuz | /boot/vmlinuz: 0x0 at offset 0x0 is not \"MZ\": plain image kernel not supported - "
                + "rebuild with CONFIG_(U)EFI_STUB enabled (unsupported)"})
    void linuxKernelTheLoaderRefuses_isAnError(String platform, String kernel, String why) throws IOException {
        Path image = disk("menuentry Linux {\n linux " + kernel + "\n}\n");
        MainTest.Run run = MainTest.Run.of("check", "--platform", platform, "--disk", image.toString());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains(":2:2: [0 \"Linux\"] " + kernel + " is not a Linux kernel jgrub can load: "
                + why), run.out());
    }

    @Test
    void everyInitrdFileIsChecked_andInitrd16BelongsToLinux16() throws IOException {
        Path image = disk("menuentry A {\n linux /boot/vmlinuz\n initrd /boot/xen.gz /boot/nope\n}\n"
                + "menuentry B {\n linux /boot/vmlinuz\n initrd16 /boot/xen.gz\n}\n"
                + "menuentry C {\n linux16 /boot/vmlinuz\n initrd16 /boot/xen.gz\n}\n");
        MainTest.Run run = MainTest.Run.of("check", "--platform", "pc", "--disk", image.toString());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains(":3:2: [0 \"A\"] file `/boot/nope' not found"), run.out());
        assertTrue(run.out().contains("[1 \"B\"] `initrd16' needs `linux16' first but `linux' loaded the kernel; use "
                + "initrd with linux"), run.out());
        assertFalse(run.out().contains("[2 \"C\"]"), run.out());
    }

    @Test
    void menu_readsTheConfigFromTheDisk() throws IOException {
        Path image = disk("set timeout=0\nmenuentry 'On the disk' --id d { linux /boot/vmlinuz; }\n");
        MainTest.Run run = MainTest.Run.of("menu", "--disk", image.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("\"On the disk\"  id=d"), run.out());
        assertTrue(run.out().contains("timeout: 0 s"), run.out());
    }
}
