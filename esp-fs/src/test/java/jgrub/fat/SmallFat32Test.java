package jgrub.fat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jgrub.disk.DiskImage;
import jgrub.fs.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FAT32 volume with fewer clusters than the specification's FAT32 minimum, as {@code mkfs.fat -F 32} makes one on a
 * 32 MiB partition: GRUB, Linux and blkid take it for FAT32 because FATSz16 is 0, and so does jgrub. (mtools and
 * OVMF's FAT driver go by the count: mtools cannot write it, and OVMF does not boot from it.)
 */
class SmallFat32Test {

    @TempDir
    Path dir;

    @Test
    void fat32BelowTheClusterMinimum_opensAsFat32() throws IOException {
        Path image = dir.resolve("small32.img");
        Tools.run(null, "mkfs.fat", "-F", "32", "-s", "1", "-n", "SMALLESP", "-i", "12345678", "-C", image.toString(),
                "32768");
        try (DiskImage device = DiskImage.open(image)) {
            FatFileSystem fs = FatFileSystem.open(device);
            assertEquals(FatType.FAT32, fs.type());
            String blkid = Tools.text("blkid", "-p", "-o", "export", image.toString());
            assertTrue(blkid.contains("\nTYPE=vfat\n") && blkid.contains("\nVERSION=FAT32\n"), blkid);
            assertTrue(blkid.contains("\nUUID=" + fs.uuid() + "\n"), blkid + " vs " + fs.uuid());
            assertEquals("SMALLESP", fs.label().orElseThrow());
            assertEquals(List.of(), fs.list("/"));
            assertEquals("", Tools.text("grub-fstest", image.toString(), "ls", "(loop0)/").strip());
        }
    }
}
