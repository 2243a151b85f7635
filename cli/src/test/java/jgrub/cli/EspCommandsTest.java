package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrub mkesp}, {@code parts}, {@code ls} and {@code cat} end to end, through Main as a user runs them. */
class EspCommandsTest {

    @TempDir
    Path dir;

    Path image;
    byte[] efi;

    @BeforeEach
    void mkesp() throws IOException {
        efi = new byte[300_000];
        new Random(3).nextBytes(efi);
        Files.createDirectories(dir.resolve("src/EFI/BOOT"));
        Files.write(dir.resolve("src/EFI/BOOT/BOOTX64.EFI"), efi);
        Files.writeString(dir.resolve("grub.cfg"), "set timeout=0\n");
        image = dir.resolve("esp.img");
        MainTest.Run run = MainTest.Run.of("mkesp", image.toString(), "--size", "16M", "--label", "JGRUB",
                "--serial", "1234-abcd", dir.resolve("src") + "=/", dir.resolve("grub.cfg") + "=/EFI/BOOT/Grub Config.cfg");
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.out() + run.err());
    }

    private MainTest.Run cat(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CatCommand.output = bytes;
        try {
            MainTest.Run run = MainTest.Run.of(args);
            return new MainTest.Run(run.code(), bytes.toString(StandardCharsets.ISO_8859_1), run.err());
        } finally {
            CatCommand.output = null;
        }
    }

    /** A missing file is named by the path looked up, after {@code ..}: /EFI/BOOT/../../zz is /zz. */
    @Test
    void aMissingFile_isNamedAsItWasLookedUp() {
        MainTest.Run run = MainTest.Run.of("ls", image.toString(), "/EFI/BOOT/../../zz");
        assertEquals(1, run.code());
        assertEquals("jgrub: /zz: no such file\n", run.err());
        run = MainTest.Run.of("cat", image.toString(), "/EFI/BOOT/../BOOT/nope.cfg");
        assertEquals("jgrub: /EFI/BOOT/nope.cfg: no such file\n", run.err());
    }

    @Test
    void parts_marksTheEsp() {
        MainTest.Run run = MainTest.Run.of("parts", image.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("GPT, 512-byte sectors, 16.0 MiB image\n"), run.out());
        assertTrue(run.out().matches("(?s).*\\n\\*1 +\\(hd0,gpt1\\) +2048 +30687 +15\\.0 MiB +EFI System +EFI System "
                + "Partition C12A7328-F81F-11D2-BA4B-00A0C93EC93B [0-9A-F-]{36}\\n.*"), run.out());
        assertTrue(run.out().endsWith("* EFI System Partition: (hd0,gpt1)\n"), run.out());
    }

    @Test
    void aBrokenPrimaryGpt_isWarnedAboutByEveryCommandThatReadsTheDisk() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(512 + 16); // the primary header's HeaderCRC32
            file.write(file.read() ^ 0xff);
        }
        String warning = "jgrub: warning: GPT: GPT header: corrupt HeaderCRC32 ";
        for (String[] args : new String[][] {{"parts", image.toString()}, {"ls", image.toString(), "/EFI/BOOT"},
            {"check", "--disk", image.toString(), "(hd0,gpt1)/EFI/BOOT/Grub Config.cfg"}}) {
            MainTest.Run run = MainTest.Run.of(args);
            assertEquals(0, run.code(), run.err());
            assertTrue(run.err().startsWith(warning) && run.err().contains("using the backup header"), run.err());
        }
        MainTest.Run run = cat("cat", image.toString(), "/EFI/BOOT/BOOTX64.EFI");
        assertTrue(run.err().startsWith(warning), run.err());
        assertArrayEquals(efi, run.out().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void ls_listsNamesSizesAndWithLTheAliasAndCluster() {
        MainTest.Run run = MainTest.Run.of("ls", image.toString(), "/efi/boot");
        assertEquals(0, run.code(), run.err());
        assertEquals("----a     300000  BOOTX64.EFI\n----a         14  Grub Config.cfg\n", run.out());
        run = MainTest.Run.of("ls", "-l", image.toString(), "(hd0,gpt1)/EFI/BOOT/grub config.cfg");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().matches("----a +14 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +0x[0-9A-F]+ +GRUBCO~1\\.CFG +Grub "
                + "Config\\.cfg\\n"), run.out());
        run = MainTest.Run.of("ls", image.toString());
        assertEquals("d----          0  EFI/\n", run.out());
    }

    @Test
    void cat_writesTheBytesAndNothingElse() {
        MainTest.Run run = cat("cat", image.toString(), "\\EFI\\BOOT\\bootx64.efi");
        assertEquals(0, run.code(), run.err());
        assertArrayEquals(efi, run.out().getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("", run.err());
        run = cat("cat", "--partition", "(hd0,gpt1)", image.toString(), "/EFI/BOOT/Grub Config.cfg");
        assertEquals("set timeout=0\n", run.out());
    }

    @Test
    void missingFileOrDirectoryOrPartition_isOneLine() {
        assertFailure("jgrub: /EFI/nope: no such file\n", cat("cat", image.toString(), "/EFI/nope"));
        assertFailure("jgrub: /EFI: is a directory\n", cat("cat", image.toString(), "/EFI"));
        assertFailure("jgrub: partition '(hd0,msdos1)': no such partition; the disk's partitions are (hd0,gpt1)\n",
                MainTest.Run.of("ls", "-p", "(hd0,msdos1)", image.toString()));
        assertFailure("jgrub: " + dir.resolve("none.img") + ": no such file\n",
                MainTest.Run.of("parts", dir.resolve("none.img").toString()));
    }

    @Test
    void corruptImage_isOneLineNamingFieldValueAndOffset() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            // No jump and no BytesPerSector: GRUB reads a FAT without the jump, not one without its BPB.
            f.seek(1 << 20);
            f.write(new byte[13]);
        }
        assertFailure("jgrub: FAT boot sector: corrupt jump instruction 0x0 at offset 0x100000 (not 0xEB or 0xE9: "
                + "not a FAT boot sector)\n", cat("cat", image.toString(), "/EFI/BOOT/BOOTX64.EFI"));
    }

    /** GRUB reads a FAT volume that claims more sectors than its partition holds; jgrub too, and says so. */
    @Test
    void volumeLargerThanItsPartition_isReadWithAWarningEverywhere() throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            long bpb = 1 << 20;
            f.seek(bpb + 19);
            int small = Short.toUnsignedInt(Short.reverseBytes(f.readShort()));
            f.seek(bpb + 32);
            long large = Integer.toUnsignedLong(Integer.reverseBytes(f.readInt()));
            // Twice the sectors, in TotSec32 and with TotSec16 cleared so that TotSec32 counts.
            f.seek(bpb + 19);
            f.writeShort(0);
            f.seek(bpb + 32);
            f.writeInt(Integer.reverseBytes((int) (2 * Math.max(small, large))));
        }
        String warning = "jgrub: warning: (hd0,gpt1): FAT file system 1234-ABCD: TotalSectors 0x";
        MainTest.Run parts = MainTest.Run.of("parts", image.toString());
        assertEquals(0, parts.code(), parts.err());
        assertTrue(parts.err().startsWith(warning), parts.err());
        MainTest.Run ls = MainTest.Run.of("ls", image.toString(), "/EFI/BOOT");
        assertEquals(0, ls.code(), ls.err());
        assertTrue(ls.err().startsWith(warning), ls.err());
        MainTest.Run check = MainTest.Run.of("check", "--disk", image.toString(), dir.resolve("grub.cfg").toString());
        assertTrue(check.err().startsWith(warning), check.err());
        MainTest.Run cat = cat("cat", image.toString(), "/EFI/BOOT/BOOTX64.EFI");
        assertEquals(0, cat.code(), cat.err());
        assertArrayEquals(efi, cat.out().getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void mkesp_keepsAnExistingFileUnlessForced() throws IOException {
        byte[] before = Files.readAllBytes(image);
        assertFailure("jgrub: " + image + ": already exists (use --force to overwrite)\n",
                MainTest.Run.of("mkesp", image.toString(), "--size", "8M"));
        assertArrayEquals(before, Files.readAllBytes(image));
        MainTest.Run run = MainTest.Run.of("mkesp", image.toString(), "--size", "8M", "--force",
                "--no-partition-table", "--fat", "12", dir.resolve("grub.cfg").toString());
        assertEquals(0, run.code(), run.err());
        run = MainTest.Run.of("parts", image.toString());
        assertTrue(run.out().startsWith("no partition table (FAT file system at offset 0), 512-byte sectors"),
                run.out());
        assertEquals("----a         14  grub.cfg\n", MainTest.Run.of("ls", image.toString(), "/").out());
    }

    @Test
    void mkesp_badOption_isAUsageError() {
        MainTest.Run run = MainTest.Run.of("mkesp", dir.resolve("x.img").toString(), "--size", "8M", "--fat", "13");
        assertEquals(2, run.code());
        assertTrue(run.err().startsWith("jgrub: --fat: 12, 16 or 32, not 13\n"), run.err());
    }

    private static void assertFailure(String err, MainTest.Run run) {
        assertEquals(1, run.code(), run.err());
        assertEquals(err, run.err());
        assertEquals("", run.out());
    }
}
