package jgrub.multiboot;

import static jgrub.multiboot.TestImages.mb1;
import static jgrub.multiboot.TestImages.mb2;
import static jgrub.multiboot.TestImages.tag;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;
import jgrub.boot.Platform;
import jgrub.compress.Compression;
import jgrub.multiboot.TestImages.Seg;
import jgrub.multiboot.inspect.Inspector;
import jgrub.multiboot.mb1.Multiboot1;
import jgrub.multiboot.mb2.Multiboot2;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of valid images, bounded in count so the suite stays fast: whatever the bytes, loading, planning
 * and inspecting end normally or with a {@link BootException}, never with another exception or error. A failure
 * names the seed and iteration, so it can be replayed.
 */
class HeaderFuzzTest {

    private static final long SEED = 0x6a677275624cL;

    static List<byte[]> seeds() {
        TestImages.Elf mb2Elf32 = new TestImages.Elf();
        mb2Elf32.header = mb2(tag(1, 0, 4, 6), tag(6, 0), tag(10, 1, 0x100000, 0xffffffffL, 0x1000, 2),
                tag(4, 1, 2), tag(5, 1, 0, 0, 0), tag(7, 1), tag(9, 1, 0x100000));
        TestImages.Elf mb2Elf64 = new TestImages.Elf();
        mb2Elf64.elf64 = true;
        mb2Elf64.header = mb2(tag(3, 0, 0x100000), tag(2, 0, 0x100100, 0x100000, 0, 0x102000));
        mb2Elf64.segments = List.of(new Seg(0x100000, 0x800, 0x1000), new Seg(0x200000, 0x100, 0x100));
        TestImages.Elf mb1Elf = new TestImages.Elf();
        mb1Elf.header = mb1(0x10007, 0x100100, 0x100000, 0x100800, 0x101000, 0x100000, 1, 80, 25, 0);
        mb1Elf.sections = List.of(new long[] {2, 0, 0x20});
        return List.of(mb2Elf32.build(), mb2Elf64.build(), mb1Elf.build());
    }

    @Test
    void mutatedSmallImages_raiseOnlyBootExceptions() {
        List<byte[]> seeds = seeds();
        Random random = new Random(SEED);
        for (int i = 0; i < Integer.getInteger("jgrub.fuzz.iterations", 6000); i++) {
            byte[] image = mutate(seeds.get(i % seeds.size()), random, 0x180);
            exercise(image, "seed " + SEED + " iteration " + i);
        }
    }

    @Test
    void mutatedXenHeaders_raiseOnlyBootExceptions() throws IOException, BootException {
        byte[] xen = Compression.unpack("xen.gz", Files.readAllBytes(Prerequisites.payload("xen.gz")),
                Compression.DEFAULT_LIMIT);
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 150; i++) {
            // Mutations in the ELF header, program headers and both Multiboot headers (the first 0x120 bytes).
            exercise(mutate(xen, random, 0x120), "xen seed " + (SEED + 1) + " iteration " + i);
        }
    }

    private static byte[] mutate(byte[] seed, Random random, int region) {
        byte[] image = seed.clone();
        int edits = 1 + random.nextInt(6);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(Math.min(region, image.length));
            switch (random.nextInt(4)) {
                case 0 -> image[at] = (byte) random.nextInt(256);
                case 1 -> image[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> image[at] = (byte) (random.nextBoolean() ? 0xff : 0);
                default -> {
                    // an interesting 32-bit value in a 4-aligned field
                    int[] values = {0, -1, 0x7fffffff, 0x80000000, 0x1000, 0xffff, 0x100000};
                    TestImages.putInt(image, Math.min(at & ~3, image.length - 4), values[random.nextInt(values.length)]);
                }
            }
        }
        if (random.nextInt(10) == 0) {
            image = Arrays.copyOf(image, random.nextInt(image.length + 1));
        }
        return image;
    }

    private static void exercise(byte[] image, String where) {
        try {
            plan(Multiboot2.load("f", image, List.of("a"), List.of(), Platform.PC));
        } catch (BootException expected) {
            // refused with a message: fine
        } catch (RuntimeException | Error e) {
            fail(where + " (Multiboot 2): " + e, e);
        }
        try {
            Multiboot2.load("f", image, List.of(), List.of(), Platform.EFI);
        } catch (BootException expected) {
            // refused with a message: fine
        } catch (RuntimeException | Error e) {
            fail(where + " (Multiboot 2 EFI): " + e, e);
        }
        try {
            plan(Multiboot1.load("f", image, List.of(), List.of()));
        } catch (BootException expected) {
            // refused with a message: fine
        } catch (RuntimeException | Error e) {
            fail(where + " (Multiboot 1): " + e, e);
        }
        try {
            Inspector.describe("f", image);
        } catch (BootException expected) {
            // refused with a message: fine
        } catch (RuntimeException | Error e) {
            fail(where + " (inspect): " + e, e);
        }
    }

    private static void plan(BootProtocol protocol) throws BootException {
        protocol.plan(FirmwareMaps.seabios());
    }
}
