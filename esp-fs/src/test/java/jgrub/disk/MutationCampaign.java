package jgrub.disk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A seeded mutation campaign over a file system image: each iteration patches a few bytes inside chosen regions and
 * runs the exercise; only the module's checked exceptions (and java.nio.file's for paths) may come out, each one
 * line, and the whole campaign within its time.
 */
public final class MutationCampaign {

    private MutationCampaign() {
    }

    /** A region of the image worth mutating. */
    public record Region(String name, long start, long length) {
    }

    /** What a consumer does with a (mutated) device. */
    @FunctionalInterface
    public interface Exercise {
        void run(MemoryDevice device) throws IOException;
    }

    /** The byte written over {@code original}. */
    @FunctionalInterface
    public interface Value {
        int pick(Random random, byte original);
    }

    /** Zero, all ones, a flipped bit, one more or less, or random. */
    public static int value(Random random, byte original) {
        return switch (random.nextInt(5)) {
            case 0 -> 0x00;
            case 1 -> 0xFF;
            case 2 -> original ^ (1 << random.nextInt(8));
            case 3 -> original + (random.nextBoolean() ? 1 : -1);
            default -> random.nextInt(256);
        } & 0xFF;
    }

    public static void run(byte[] image, List<Region> regions, long seed, int iterations, int maxMutations,
            Duration timeout, Value value, Exercise exercise) {
        Random random = new Random(seed);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(timeout, () -> {
            for (int i = 0; i < iterations; i++) {
                MemoryDevice device = new MemoryDevice(image);
                StringBuilder what = new StringBuilder();
                int mutations = 1 + random.nextInt(maxMutations);
                for (int m = 0; m < mutations; m++) {
                    Region r = regions.get(random.nextInt(regions.size()));
                    long at = r.start() + random.nextInt((int) r.length());
                    int v = value.pick(random, image[(int) at]);
                    device.patch(at, v);
                    what.append(String.format(" %s@0x%X=0x%02X", r.name(), at, v));
                }
                try {
                    exercise.run(device);
                    outcomes[0]++;
                } catch (DiskFormatException | FileSystemException expected) {
                    assertFalse(expected.getMessage().contains("\n"), what + " -> " + expected.getMessage());
                    outcomes[1]++;
                } catch (Throwable unexpected) {
                    fail("seed " + seed + " iteration " + i + ":" + what + " -> " + unexpected, unexpected);
                }
            }
        });
        // Both outcomes must occur, or the mutations are too tame or too brutal to test anything.
        assertTrue(outcomes[0] > iterations / 20 && outcomes[1] > iterations / 20,
                "read fine " + outcomes[0] + ", refused " + outcomes[1]);
    }
}
