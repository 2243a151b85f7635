package jgrub.fat;

import static jgrub.fat.FatLayout.ATTR_LONG_NAME;
import static jgrub.fat.FatLayout.ATTR_LONG_NAME_MASK;
import static jgrub.fat.FatLayout.DIR_ATTR;
import static jgrub.fat.FatLayout.DIR_CRT_DATE;
import static jgrub.fat.FatLayout.DIR_CRT_TIME;
import static jgrub.fat.FatLayout.DIR_FILE_SIZE;
import static jgrub.fat.FatLayout.DIR_FST_CLUS_HI;
import static jgrub.fat.FatLayout.DIR_FST_CLUS_LO;
import static jgrub.fat.FatLayout.DIR_LST_ACC_DATE;
import static jgrub.fat.FatLayout.DIR_NAME;
import static jgrub.fat.FatLayout.DIR_NTRES;
import static jgrub.fat.FatLayout.DIR_WRT_DATE;
import static jgrub.fat.FatLayout.DIR_WRT_TIME;
import static jgrub.fat.FatLayout.LAST_LONG_ENTRY;
import static jgrub.fat.FatLayout.LDIR_CHARS;
import static jgrub.fat.FatLayout.LDIR_CHKSUM;
import static jgrub.fat.FatLayout.LDIR_ORD;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads directories: the fixed FAT12/16 root region or a cluster chain, 32-byte entries, long-name runs with their
 * sequence numbers and checksum (FAT specification 6 and 7). A broken long name is dropped and the 8.3 name used.
 */
final class Directories {

    static final int ENTRY = FatLayout.DIR_ENTRY_SIZE;
    /** FAT specification 6.1: a directory holds at most 65536 entries (2 MiB). */
    static final int MAX_ENTRIES = 65536;

    private final FatFileSystem fs;
    private final BootSector boot;

    Directories(FatFileSystem fs) {
        this.fs = fs;
        this.boot = fs.boot();
    }

    /** The raw directory data with the absolute image offset of each part: one region per cluster. */
    record Listing(List<FatEntry> entries, String label) {
    }

    Listing read(FatEntry dir) throws IOException {
        Parser parser = new Parser(dir.path());
        if (dir.isRoot() && boot.type() != FatType.FAT32) {
            long offset = boot.rootDirOffset();
            int bytes = boot.rootEntries() * ENTRY;
            ByteBuffer region = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
            fs.read("root directory", -1, offset, region);
            parser.parse(region.flip(), fs.device().imageOffset(offset));
            return parser.result();
        }
        int clusterSize = boot.clusterSize();
        long maxClusters = Math.max(1, (long) MAX_ENTRIES * ENTRY / clusterSize);
        String chain = "FAT chain of directory " + dir.path();
        Set<Long> seen = new HashSet<>();
        long cluster = dir.firstCluster();
        ByteBuffer buffer = ByteBuffer.allocate(clusterSize).order(ByteOrder.LITTLE_ENDIAN);
        long previous = -1;
        while (true) {
            if (!seen.add(cluster)) {
                throw FatFormatException.corrupt(chain, "entry", cluster, fs.fat().entryImageOffset(previous),
                        "cluster 0x" + hex(previous) + " points back to cluster 0x" + hex(cluster)
                                + ": the chain loops");
            }
            if (seen.size() > maxClusters) {
                throw FatFormatException.corrupt(chain, "entry", cluster, fs.fat().entryImageOffset(previous),
                        "the directory grows past " + MAX_ENTRIES + " entries");
            }
            long offset = fs.clusterOffset(cluster);
            buffer.clear();
            fs.read("directory " + dir.path(), cluster, offset, buffer);
            if (!parser.parse(buffer.flip(), fs.device().imageOffset(offset))) {
                return parser.result();
            }
            long next = fs.fat().get(cluster);
            if (boot.type().isEndOfChain(next)) {
                return parser.result();
            }
            fs.checkLink(chain, cluster, next);
            previous = cluster;
            cluster = next;
        }
    }

    /** The state of a long-name run between 32-byte entries. */
    private final class Parser {
        private final String dirPath;
        private final List<FatEntry> entries = new ArrayList<>();
        private String label;
        private char[] longName;
        private int expected;
        private int checksum;

        Parser(String dirPath) {
            // One shared string for all entries of the directory: FatEntry.path() appends the name on demand.
            this.dirPath = dirPath.endsWith("/") ? dirPath : dirPath + "/";
        }

        Listing result() {
            return new Listing(List.copyOf(entries), label);
        }

        /** Parses entries from {@code data}; false once the end-of-directory mark has been seen. */
        boolean parse(ByteBuffer data, long imageOffset) throws FatFormatException {
            byte[] raw = new byte[ENTRY];
            for (int at = 0; at + ENTRY <= data.limit(); at += ENTRY) {
                data.get(at, raw);
                ByteBuffer e = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                int first = Byte.toUnsignedInt(raw[DIR_NAME]);
                if (first == 0x00) {
                    return false;
                }
                if (first == 0xE5) {
                    longName = null;
                    continue;
                }
                int attr = Byte.toUnsignedInt(raw[DIR_ATTR]);
                if ((attr & ATTR_LONG_NAME_MASK) == ATTR_LONG_NAME) {
                    longPart(raw);
                    continue;
                }
                String name = longName != null && expected == 1
                        && checksum == ShortNames.checksum(raw, DIR_NAME) ? longName() : null;
                longName = null;
                if ((attr & FatEntry.VOLUME_ID) != 0) {
                    if ((attr & FatEntry.DIRECTORY) == 0 && label == null) {
                        label = ShortNames.decode(raw, 0, 11).stripTrailing();
                    }
                    continue;
                }
                String shortName = ShortNames.display(raw, DIR_NAME, Byte.toUnsignedInt(raw[DIR_NTRES]));
                if (shortName.equals(".") || shortName.equals("..")) {
                    continue;
                }
                long cluster = (long) Short.toUnsignedInt(e.getShort(DIR_FST_CLUS_HI)) << 16
                        | Short.toUnsignedInt(e.getShort(DIR_FST_CLUS_LO));
                if (boot.type() != FatType.FAT32) {
                    // FAT12/16 have no high word; some systems keep other data there (FAT specification 6.1).
                    cluster &= 0xFFFF;
                }
                long size = Integer.toUnsignedLong(e.getInt(DIR_FILE_SIZE));
                if ((attr & FatEntry.DIRECTORY) != 0) {
                    size = 0;
                }
                String display = name != null ? name : shortName;
                entries.add(new FatEntry(display, shortName, attr & 0x3F, size, cluster,
                        dateTime(e.getShort(DIR_WRT_DATE), e.getShort(DIR_WRT_TIME)),
                        dateTime(e.getShort(DIR_CRT_DATE), e.getShort(DIR_CRT_TIME)),
                        date(e.getShort(DIR_LST_ACC_DATE)), dirPath, imageOffset + at));
            }
            return true;
        }

        private void longPart(byte[] raw) {
            int ord = Byte.toUnsignedInt(raw[LDIR_ORD]);
            int sequence = ord & 0x1F;
            int sum = Byte.toUnsignedInt(raw[LDIR_CHKSUM]);
            if ((ord & LAST_LONG_ENTRY) != 0) {
                // A new run starts (any unfinished one before it is an orphan and is dropped).
                if (sequence == 0 || sequence > 20) {
                    longName = null;
                    return;
                }
                longName = new char[sequence * LDIR_CHARS];
                checksum = sum;
            } else if (longName == null || sequence != expected - 1 || sum != checksum) {
                longName = null;
                return;
            }
            expected = sequence;
            for (int k = 0; k < LDIR_CHARS; k++) {
                int at = FatLayout.ldirCharOffset(k);
                longName[(sequence - 1) * LDIR_CHARS + k] = (char) (Byte.toUnsignedInt(raw[at])
                        | Byte.toUnsignedInt(raw[at + 1]) << 8);
            }
        }

        private String longName() {
            int length = 0;
            while (length < longName.length && longName[length] != 0) {
                length++;
            }
            String name = new String(longName, 0, length);
            return name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\uFFFF') >= 0 ? null : name;
        }
    }

    /** FAT date: bits 15-9 years since 1980, 8-5 month, 4-0 day; time: 15-11 hours, 10-5 minutes, 4-0 seconds/2. */
    static LocalDateTime dateTime(short date, short time) {
        LocalDate day = date(date);
        if (day == null) {
            return null;
        }
        int t = Short.toUnsignedInt(time);
        int hour = t >>> 11;
        int minute = (t >>> 5) & 0x3F;
        int second = (t & 0x1F) * 2;
        if (hour > 23 || minute > 59 || second > 59) {
            return day.atStartOfDay();
        }
        return day.atTime(hour, minute, second);
    }

    static LocalDate date(short date) {
        int d = Short.toUnsignedInt(date);
        if (d == 0) {
            return null;
        }
        try {
            return LocalDate.of(1980 + (d >>> 9), (d >>> 5) & 0x0F, d & 0x1F);
        } catch (DateTimeException e) {
            return null;
        }
    }

    static String hex(long value) {
        return Long.toHexString(value).toUpperCase(java.util.Locale.ROOT);
    }
}
