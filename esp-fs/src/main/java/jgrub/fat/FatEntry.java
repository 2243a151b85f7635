package jgrub.fat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import jgrub.fs.FileEntry;

/**
 * One file or directory as its directory entry describes it.
 *
 * @param name the long name if a valid one precedes the entry, else the 8.3 name with the NT lower-case flags
 * @param shortName the 8.3 name as stored, {@code BASE.EXT} (upper case unless the NT flags say otherwise)
 * @param attributes DIR_Attr: {@link #READ_ONLY}, {@link #HIDDEN}, {@link #SYSTEM}, {@link #DIRECTORY},
 *     {@link #ARCHIVE}
 * @param size DIR_FileSize (0 for directories)
 * @param firstCluster the first data cluster; 0 for an empty file, and for the FAT12/16 root directory
 * @param modified last write time, or null when the stored date is invalid
 * @param created creation time, or null when not recorded
 * @param accessed last access date, or null when not recorded
 * @param directory the absolute path of the directory holding this entry, ending in '/' (long names)
 * @param entryOffset absolute image offset of the 32-byte 8.3 entry; -1 for the root directory
 */
public record FatEntry(String name, String shortName, int attributes, long size, long firstCluster,
        LocalDateTime modified, LocalDateTime created, LocalDate accessed, String directory, long entryOffset)
        implements FileEntry {

    /** DIR_Attr of the volume label entry (the other bits are {@link FileEntry}'s). */
    public static final int VOLUME_ID = 0x08;

    /** The absolute path: {@code /EFI/BOOT/BOOTX64.EFI}, {@code /} for the root. */
    @Override
    public String path() {
        return isRoot() ? "/" : directory + name;
    }

    @Override
    public boolean isDirectory() {
        return (attributes & DIRECTORY) != 0;
    }

    public boolean isRoot() {
        return entryOffset < 0;
    }
}
