package jgrub.fat;

import static jgrub.fat.FatLayout.BPB_BYTS_PER_SEC;
import static jgrub.fat.FatLayout.BPB_EXT_FLAGS;
import static jgrub.fat.FatLayout.BPB_FAT_SZ16;
import static jgrub.fat.FatLayout.BPB_FAT_SZ32;
import static jgrub.fat.FatLayout.BPB_FS_INFO;
import static jgrub.fat.FatLayout.BPB_FS_VER;
import static jgrub.fat.FatLayout.BPB_MEDIA;
import static jgrub.fat.FatLayout.BPB_NUM_FATS;
import static jgrub.fat.FatLayout.BPB_ROOT_CLUS;
import static jgrub.fat.FatLayout.BPB_ROOT_ENT_CNT;
import static jgrub.fat.FatLayout.BPB_RSVD_SEC_CNT;
import static jgrub.fat.FatLayout.BPB_SEC_PER_CLUS;
import static jgrub.fat.FatLayout.BPB_TOT_SEC16;
import static jgrub.fat.FatLayout.BPB_TOT_SEC32;
import static jgrub.fat.FatLayout.BS_JMP_BOOT;
import static jgrub.fat.FatLayout.BS_VOL_ID_16;
import static jgrub.fat.FatLayout.BS_VOL_ID_32;
import static jgrub.fat.FatLayout.BS_VOL_LAB_16;
import static jgrub.fat.FatLayout.BS_VOL_LAB_32;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jgrub.disk.BlockDevice;

/**
 * The BIOS parameter block of a FAT volume (Microsoft FAT specification 1.03, sections 3.1-3.3), validated, with the
 * layout derived from it. The field offsets are in {@link FatLayout}.
 *
 * @param activeFat the FAT to read: 0, or for FAT32 with mirroring disabled the one ExtFlags names (section 3.3)
 * @param rootCluster FAT32 root directory cluster; 0 for FAT12/16, whose root is a fixed region
 * @param volumeId the volume serial number (BS_VolID), which GRUB prints as {@code XXXX-XXXX}
 * @param bpbLabel BS_VolLab, trailing spaces removed
 */
record BootSector(int bytesPerSector, int sectorsPerCluster, int reservedSectors, int numFats, int rootEntries,
        long totalSectors, long fatSectors, int media, FatType type, long clusterCount, int activeFat,
        long rootCluster, int fsInfoSector, long volumeId, String bpbLabel) {

    /** FAT32 entries have 28 bits; 0x0FFFFFF7 is "bad", so the last usable cluster is 0x0FFFFFF6. */
    static final long MAX_FAT32_CLUSTERS = 0x0FFFFFF5L;

    static final String STRUCTURE = "FAT boot sector";

    static BootSector read(BlockDevice device) throws IOException {
        if (device.size() < 512) {
            throw FatFormatException.corrupt(STRUCTURE, "partition size", device.size(), device.imageOffset(0),
                    "smaller than one 512-byte sector");
        }
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        device.read(0, b);
        return parse(b.flip(), device);
    }

    static BootSector parse(ByteBuffer b, BlockDevice device) throws IOException {
        int jump = Byte.toUnsignedInt(b.get(BS_JMP_BOOT));
        boolean jumpOk = jump == 0xEB || jump == 0xE9;
        BootSector boot;
        try {
            boot = fields(b, device);
        } catch (FatFormatException e) {
            // Without the jump, a sector whose BPB is wrong as well is most likely no FAT boot sector at all.
            throw jumpOk ? e : notFat(device, jump, "");
        }
        if (!jumpOk) {
            // GRUB never looks at the jump; what it checks is that the first FAT entry repeats the media byte (bit 3
            // aside, as some BIOSes write 0xF0). jgrub asks for that only when the jump is not there to go by.
            long all = (1L << Math.min(boot.type().bits(), 28)) - 1;
            if ((boot.firstFatEntry(device) | 0x8) != ((all & ~0xFFL) | boot.media() | 0x8)) {
                throw notFat(device, jump, ", and the first FAT entry does not repeat the media byte");
            }
        }
        return boot;
    }

    private static FatFormatException notFat(BlockDevice device, int jump, String why) {
        return corrupt(device, "jump instruction", jump, BS_JMP_BOOT, "not 0xEB or 0xE9" + why
                + ": not a FAT boot sector");
    }

    private static BootSector fields(ByteBuffer b, BlockDevice device) throws FatFormatException {
        // GRUB's fat.c accepts any power of two from 512 to 32768 (logical_sector_bits < 16); mkfs.fat makes them.
        int bps = Short.toUnsignedInt(b.getShort(BPB_BYTS_PER_SEC));
        if (bps < 512 || bps > 32768 || Integer.bitCount(bps) != 1) {
            throw corrupt(device, "BytesPerSector", bps, BPB_BYTS_PER_SEC, "not a power of two from 512 to 32768");
        }
        int spc = Byte.toUnsignedInt(b.get(BPB_SEC_PER_CLUS));
        if (spc == 0 || Integer.bitCount(spc) != 1) {
            throw corrupt(device, "SectorsPerCluster", spc, BPB_SEC_PER_CLUS, "not a power of two from 1 to 128");
        }
        int reserved = Short.toUnsignedInt(b.getShort(BPB_RSVD_SEC_CNT));
        if (reserved == 0) {
            throw corrupt(device, "ReservedSectorCount", reserved, BPB_RSVD_SEC_CNT, "must be at least 1");
        }
        int numFats = Byte.toUnsignedInt(b.get(BPB_NUM_FATS));
        if (numFats == 0) {
            throw corrupt(device, "NumFATs", numFats, BPB_NUM_FATS, "must be at least 1");
        }
        int rootEntries = Short.toUnsignedInt(b.getShort(BPB_ROOT_ENT_CNT));
        long total = Short.toUnsignedInt(b.getShort(BPB_TOT_SEC16));
        int totalField = BPB_TOT_SEC16;
        if (total == 0) {
            total = Integer.toUnsignedLong(b.getInt(BPB_TOT_SEC32));
            totalField = BPB_TOT_SEC32;
        }
        if (total == 0) {
            throw corrupt(device, "TotalSectors", total, BPB_TOT_SEC32, "zero in both TotSec16 and TotSec32");
        }
        int media = Byte.toUnsignedInt(b.get(BPB_MEDIA));
        long fatSize = Short.toUnsignedInt(b.getShort(BPB_FAT_SZ16));
        boolean fat32Layout = fatSize == 0;
        int fatField = BPB_FAT_SZ16;
        if (fat32Layout) {
            fatSize = Integer.toUnsignedLong(b.getInt(BPB_FAT_SZ32));
            fatField = BPB_FAT_SZ32;
        }
        if (fatSize == 0) {
            throw corrupt(device, "FATSize", fatSize, BPB_FAT_SZ32, "zero in both FATSz16 and FATSz32");
        }
        long rootDirSectors = (rootEntries * (long) FatLayout.DIR_ENTRY_SIZE + bps - 1) / bps;
        long metadata = reserved + numFats * fatSize + rootDirSectors;
        if (metadata >= total) {
            throw corrupt(device, "FATSize", fatSize, fatField, "reserved sectors, FATs and root directory take 0x"
                    + Long.toHexString(metadata).toUpperCase(java.util.Locale.ROOT) + " of 0x"
                    + Long.toHexString(total).toUpperCase(java.util.Locale.ROOT) + " sectors: no room for data");
        }
        long clusters = (total - metadata) / spc;
        if (clusters == 0) {
            throw corrupt(device, "SectorsPerCluster", spc, BPB_SEC_PER_CLUS, "leaves no whole data cluster");
        }
        // FAT32 is the layout with FATSz16 = 0, as GRUB (fs/fat.c) and Linux decide, not the cluster count of the
        // specification (section 3.5): mkfs.fat -F 32 makes FAT32 volumes of fewer than 65525 clusters on partitions
        // under about 32 MiB, which both read. FAT12 and FAT16 are told apart by the count.
        FatType type = fat32Layout ? FatType.FAT32 : clusters < 4085 ? FatType.FAT12 : FatType.FAT16;
        if (type == FatType.FAT32) {
            if (rootEntries != 0) {
                throw corrupt(device, "RootEntryCount", rootEntries, BPB_ROOT_ENT_CNT, "must be 0 on FAT32");
            }
            if (clusters > MAX_FAT32_CLUSTERS) {
                throw unsupported(device, "TotalSectors", total, totalField, "more clusters than FAT32 can address");
            }
        } else if (rootEntries == 0) {
            throw corrupt(device, "RootEntryCount", rootEntries, BPB_ROOT_ENT_CNT, "0x"
                    + Long.toHexString(clusters).toUpperCase(java.util.Locale.ROOT) + " clusters make " + type
                    + ", whose root directory needs entries");
        }
        int activeFat = 0;
        long rootCluster = 0;
        int fsInfo = 0;
        long volumeId;
        String label;
        if (type == FatType.FAT32) {
            int extFlags = Short.toUnsignedInt(b.getShort(BPB_EXT_FLAGS));
            if ((extFlags & 0x80) != 0) {
                activeFat = extFlags & 0x0F;
                if (activeFat >= numFats) {
                    throw corrupt(device, "ExtFlags", extFlags, BPB_EXT_FLAGS, "active FAT " + activeFat
                            + " but only " + numFats + " FATs");
                }
            }
            int version = Short.toUnsignedInt(b.getShort(BPB_FS_VER));
            if (version != 0) {
                throw unsupported(device, "FSVer", version, BPB_FS_VER, "only version 0:0 is defined");
            }
            rootCluster = Integer.toUnsignedLong(b.getInt(BPB_ROOT_CLUS));
            if (rootCluster < 2 || rootCluster > clusters + 1) {
                throw corrupt(device, "RootCluster", rootCluster, BPB_ROOT_CLUS, "not a data cluster 0x2..0x"
                        + Long.toHexString(clusters + 1).toUpperCase(java.util.Locale.ROOT));
            }
            fsInfo = Short.toUnsignedInt(b.getShort(BPB_FS_INFO));
            volumeId = Integer.toUnsignedLong(b.getInt(BS_VOL_ID_32));
            label = text(b, BS_VOL_LAB_32);
        } else {
            volumeId = Integer.toUnsignedLong(b.getInt(BS_VOL_ID_16));
            label = text(b, BS_VOL_LAB_16);
        }
        return new BootSector(bps, spc, reserved, numFats, rootEntries, total, fatSize, media, type, clusters,
                activeFat, rootCluster, fsInfo, volumeId, label);
    }

    /** Cluster 0's entry of the active FAT, or -1 when the partition ends before it. */
    private long firstFatEntry(BlockDevice device) throws IOException {
        long offset = fatOffset();
        if (offset > device.size() - 4) {
            return -1;
        }
        ByteBuffer entry = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        device.read(offset, entry);
        return type.get(entry.flip(), 0);
    }

    private static String text(ByteBuffer b, int offset) {
        byte[] bytes = new byte[FatLayout.NAME_LENGTH];
        b.get(offset, bytes);
        return ShortNames.decode(bytes, 0, bytes.length).stripTrailing();
    }

    private static FatFormatException corrupt(BlockDevice device, String field, long value, int offset,
            String detail) {
        return FatFormatException.corrupt(STRUCTURE, field, value, device.imageOffset(offset), detail);
    }

    private static FatFormatException unsupported(BlockDevice device, String field, long value, int offset,
            String detail) {
        return FatFormatException.unsupported(STRUCTURE, field, value, device.imageOffset(offset), detail);
    }

    int clusterSize() {
        return bytesPerSector * sectorsPerCluster;
    }

    long rootDirSectors() {
        return (rootEntries * (long) FatLayout.DIR_ENTRY_SIZE + bytesPerSector - 1) / bytesPerSector;
    }

    /** Byte offset of the FAT in use. */
    long fatOffset() {
        return ((long) reservedSectors + (long) activeFat * fatSectors) * bytesPerSector;
    }

    /** Byte offset of the fixed FAT12/16 root directory. */
    long rootDirOffset() {
        return ((long) reservedSectors + numFats * fatSectors) * bytesPerSector;
    }

    /** Byte offset of cluster 2. */
    long dataOffset() {
        return rootDirOffset() + rootDirSectors() * bytesPerSector;
    }

    long maxCluster() {
        return clusterCount + 1;
    }

    /** Bytes the volume claims: TotalSectors sectors, which may be more than its partition holds. */
    long volumeBytes() {
        return totalSectors * bytesPerSector;
    }

    /** Entries the FAT has room for, clusters 0 and 1 included; may be fewer than the volume's clusters. */
    long fatEntries() {
        return fatSectors * bytesPerSector * 8 / type.bits();
    }
}
