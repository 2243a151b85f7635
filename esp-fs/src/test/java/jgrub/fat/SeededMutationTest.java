package jgrub.fat;


import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import jgrub.disk.MemoryDevice;
import jgrub.disk.MutationCampaign;
import jgrub.disk.MutationCampaign.Region;
import jgrub.part.PartitionTable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded mutations of the boot sector, the FAT and the directory clusters of valid mkfs.fat + mtools images. Whatever
 * the bytes, only the module's checked exceptions (and the java.nio.file ones for paths) may come out, and quickly.
 */
class SeededMutationTest {

    private static final int ITERATIONS = 1500;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "FAT{0}")
    @CsvSource({"12, 1440, 20261121", "16, 8192, 1", "32, 34816, 42"})
    void mutatedImages_raiseOnlyTheModulesExceptions(int type, int kib, long seed) throws IOException {
        byte[] image = HostileFatTest.image(dir, "fat" + type + ".img", kib, Integer.toString(type));
        MutationCampaign.run(image, regions(image), seed, ITERATIONS, 4, Duration.ofSeconds(60),
                SeededMutationTest::value, SeededMutationTest::exercise);
    }

    /** Boot sector, the first FAT sectors, the root directory and the clusters of /DIR and /DIR/SUB. */
    private static List<Region> regions(byte[] image) throws IOException {
        FatFileSystem fs = FatFileSystem.open(new MemoryDevice(image));
        BootSector boot = fs.boot();
        List<Region> regions = new ArrayList<>();
        regions.add(new Region("boot", 0, 90));
        regions.add(new Region("fat", boot.fatOffset(), Math.min(2048, boot.fatSectors() * boot.bytesPerSector())));
        if (fs.type() == FatType.FAT32) {
            regions.add(new Region("root", fs.clusterOffset(boot.rootCluster()), fs.clusterSize()));
        } else {
            regions.add(new Region("root", boot.rootDirOffset(), 512));
        }
        regions.add(new Region("dir", fs.clusterOffset(fs.entry("/DIR").firstCluster()), fs.clusterSize()));
        regions.add(new Region("sub", fs.clusterOffset(fs.entry("/DIR/SUB").firstCluster()), fs.clusterSize()));
        return regions;
    }

    private static int value(Random random, byte original) {
        return switch (random.nextInt(6)) {
            case 0 -> 0x00;
            case 1 -> 0xFF;
            case 2 -> original ^ (1 << random.nextInt(8));
            case 3 -> original + (random.nextBoolean() ? 1 : -1);
            case 4 -> new int[] {0xE5, 0x0F, 0x05, 0x2E, 0x10, 0x41, 0x08}[random.nextInt(7)];
            default -> random.nextInt(256);
        } & 0xFF;
    }

    /** Everything a consumer does: open, label, walk, read every file by stream and by position, look up paths. */
    private static void exercise(MemoryDevice device) throws IOException {
        PartitionTable.read(device);
        FatFileSystem fs = FatFileSystem.open(device);
        fs.label();
        fs.uuid();
        fs.walk(fs.root(), (entry, depth) -> {
            if (!entry.isDirectory()) {
                FatFile file = fs.open(entry);
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                long position = 0;
                int n;
                while ((n = file.read(buffer.clear(), position)) > 0) {
                    position += n;
                }
                try (InputStream in = file.newInputStream()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
        });
        for (String path : new String[] {"/A.BIN", "/dir/sub/c.txt", "/Long File Name.txt", "/DIR/../B.TXT"}) {
            if (fs.exists(path) && !fs.isDirectory(path)) {
                fs.open(path).newInputStream().readAllBytes();
            }
        }
    }
}
