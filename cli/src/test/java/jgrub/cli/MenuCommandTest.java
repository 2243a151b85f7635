package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jgrub.fat.write.EspBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrub menu} with {@code --disk}: the config comes from the image. */
class MenuCommandTest {

    @TempDir
    Path dir;

    private Path disk(String configPath) throws IOException {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/grub.cfg"), """
                set timeout=4
                menuentry 'Xen' { multiboot2 /xen.gz; module2 /vmlinuz; }
                """);
        Files.writeString(dir.resolve("src/xen.gz"), "x");
        Path image = dir.resolve("disk.img");
        new EspBuilder(16 << 20).add(dir.resolve("src/grub.cfg"), configPath).add(dir.resolve("src/xen.gz"), "/")
                .write(image, false);
        return image;
    }

    @Test
    void menu_readsGrubCfgFromTheEsp() throws IOException {
        MainTest.Run run = MainTest.Run.of("menu", "--disk", disk("/EFI/BOOT/grub.cfg").toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("timeout: 4 s\ndefault: unset -> 0\nfallback: none\n*  0      \"Xen\"\n", run.out());
    }

    /** A refused file system is named as the cause, not hidden behind "no grub.cfg found". */
    @Test
    void aDamagedEsp_isNamedWhenNoConfigIsFound() throws IOException {
        Path image = disk("/EFI/BOOT/grub.cfg");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            file.seek(2048L * 512 + 11); // the ESP's boot sector: BytesPerSector, which GRUB's fat.c checks too
            file.write(new byte[2]);
        }
        MainTest.Run run = MainTest.Run.of("menu", "--disk", image.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("no grub.cfg found (looked for") && run.err().contains(
                "; not read: (hd0,gpt1): FAT boot sector: corrupt BytesPerSector 0x0"), run.err());
    }

    @Test
    void noConfigOnTheDisk_saysWhereItLooked() throws IOException {
        MainTest.Run run = MainTest.Run.of("menu", "--disk", disk("/elsewhere.cfg").toString());
        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("jgrub: ") && run.err().contains("no grub.cfg found (looked for"
                + " /EFI/BOOT/grub.cfg, /EFI/*/grub.cfg, /boot/grub/grub.cfg, /grub/grub.cfg"), run.err());
    }

    @Test
    void interactive_offATerminal_isRefused() throws IOException {
        MainTest.Run run = MainTest.Run.of("menu", "--interactive", "--disk", disk("/EFI/BOOT/grub.cfg").toString());
        assertEquals(1, run.code());
        assertEquals("jgrub: --interactive needs a terminal on stdin and stdout\n", run.err());
    }
}
