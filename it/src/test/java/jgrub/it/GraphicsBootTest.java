package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An EFI program that needs the Graphics Output Protocol, chainloaded on a machine with a display: memtest86+ 6.10
 * (Debian's {@code memtest86+}) finds GOP, takes its framebuffer, exits boot services and starts its first test,
 * which it shows on the framebuffer and, asked with {@code console=ttyS0,115200} in its load options, on the serial
 * console too. {@code --screenshot} saves what the display shows.
 */
class GraphicsBootTest {

    static final Path MEMTEST = Path.of("/boot/memtest86+x64.efi");

    /** An ESP whose grub.cfg chainloads memtest86+ with {@code loadOptions}. */
    private static Path disk(Path dir, String loadOptions) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        if (!Files.isRegularFile(MEMTEST)) {
            Prerequisites.missing("file " + MEMTEST + " (Debian package memtest86+)");
        }
        return chainloading(dir, MEMTEST, loadOptions);
    }

    /** An ESP whose grub.cfg chainloads {@code image} (as /EFI/BOOT/payload.efi) with {@code loadOptions}. */
    private static Path chainloading(Path dir, Path image, String loadOptions) throws Exception {
        Path cfg = dir.resolve("grub.cfg");
        Files.writeString(cfg, "set timeout=0\nmenuentry payload {\n  chainloader /EFI/BOOT/payload.efi "
                + loadOptions + "\n}\n");
        Path disk = dir.resolve("disk.img");
        BootRun made = BootRun.of(List.of("mkesp", disk.toString(), "--size", "32M", cfg + "=/EFI/BOOT/grub.cfg",
                image + "=/EFI/BOOT/payload.efi"));
        assertEquals(0, made.code(), made.tail());
        return disk;
    }

    /** The distinct colours of every fourth pixel of every fourth line. */
    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                colours.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return colours;
    }

    @Test
    void memtest86plus_findsTheGraphicsOutputProtocol_andStartsItsFirstTest(@TempDir Path dir) throws Exception {
        Path disk = disk(dir, "console=ttyS0,115200");
        Path png = dir.resolve("screen.png");

        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--screenshot", png.toString(),
                "--until", "#0 +\\[Address test", "--timeout", "120"));
        run.assertReached("Memtest86+ v6.10");

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1024, image.getWidth(), "the GOP mode's width");
        assertEquals(768, image.getHeight(), "the GOP mode's height");
        assertTrue(colours(image).size() >= 3, "memtest86+ drew on the framebuffer: " + colours(image));
    }

    @Test
    void grubsGfxterm_findsTheGopMode_andDrawsThroughBlt(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        Path grub = TestDisks.grubStandalone(dir, """
                insmod all_video
                insmod gfxterm
                terminal_output gfxterm console
                videoinfo
                echo JGRUB-GFXTERM-ON
                sleep 1
                echo JGRUB-GFXTERM-SHOWN
                sleep 30
                """);
        Path disk = chainloading(dir, grub, "");
        Path png = dir.resolve("screen.png");

        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--screenshot", png.toString(),
                "--trace-efi", "--until", "JGRUB-GFXTERM-SHOWN", "--timeout", "120"));
        run.assertReached("Adapter `EFI GOP driver'");
        assertTrue(run.console().contains("* 0x000 1024 x  768 x 32 (4096)  Direct color, mask: 8/8/8/8  pos: "
                + "16/8/0/24"), "GRUB's videoinfo shows the one mode, BGRX" + run.tail());
        assertTrue(run.err().contains("efi: GopBlt("), "gfxterm draws through Blt" + run.tail());
        assertFalse(run.err().matches("(?s).*efi: GopBlt\\([^\n]*= EFI_(?!SUCCESS).*"),
                "gfxterm's Blt calls all succeed" + run.tail());
        // gfxterm draws into its own buffer and blits it when GRUB refreshes the terminal, as while it sleeps.
        assertTrue(colours(ImageIO.read(png.toFile())).size() >= 2, "gfxterm drew text");
    }

    @Test
    void withoutADisplay_memtest86plus_saysItFoundNoGraphics(@TempDir Path dir) throws Exception {
        Path disk = disk(dir, "");
        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "efi", "--until",
                "set_screen_info\\(\\) failed", "--timeout", "60"));
        run.assertReached("set_screen_info() failed");
    }
}
