package jgrub.fs;

import java.time.LocalDateTime;
import jgrub.ext.ExtEntry;
import jgrub.fat.FatEntry;

/** A file or directory as its file system describes it. */
public sealed interface FileEntry permits FatEntry, ExtEntry {

    /** Attribute bits, FAT's DIR_Attr values, which EFI_FILE_INFO uses too (UEFI specification 13.5.16). */
    int READ_ONLY = 0x01;
    int HIDDEN = 0x02;
    int SYSTEM = 0x04;
    int DIRECTORY = 0x10;
    int ARCHIVE = 0x20;

    /** The name as GRUB lists it. */
    String name();

    /** The absolute path: {@code /EFI/BOOT/BOOTX64.EFI}, {@code /} for the root. */
    String path();

    boolean isDirectory();

    /** Bytes in the file, 0 for a directory. */
    long size();

    /** Last write time, or null when the file system holds none or an invalid one. */
    LocalDateTime modified();

    /** {@link #READ_ONLY}, {@link #HIDDEN}, {@link #SYSTEM}, {@link #DIRECTORY}, {@link #ARCHIVE}. */
    int attributes();

    /** Five letters {@code drhsa}, a dash for each attribute not set. */
    default String attributeLetters() {
        int attributes = attributes();
        return new StringBuilder()
                .append(isDirectory() ? 'd' : '-')
                .append((attributes & READ_ONLY) != 0 ? 'r' : '-')
                .append((attributes & HIDDEN) != 0 ? 'h' : '-')
                .append((attributes & SYSTEM) != 0 ? 's' : '-')
                .append((attributes & ARCHIVE) != 0 ? 'a' : '-')
                .toString();
    }
}
