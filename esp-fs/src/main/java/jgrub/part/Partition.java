package jgrub.part;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * One partition, or for a disk without a table the whole disk ({@link PartitionScheme#NONE}, number 0).
 *
 * @param number GRUB's number: GPT entry index + 1; MBR slot 1-4 for primaries and 5, 6, ... for logicals
 * @param typeGuid GPT partition type GUID, or null for MBR
 * @param uniqueGuid GPT unique partition GUID, or null for MBR
 * @param mbrType MBR type byte (0xEF for an ESP), or -1 for GPT
 * @param name GPT partition name (UTF-16 on disk), empty for MBR
 * @param start first byte in the image
 * @param size length in bytes
 * @param firstLba first logical block, in units of the table's sector size
 * @param esp whether the type marks an EFI System Partition
 */
public record Partition(int number, PartitionScheme scheme, UUID typeGuid, UUID uniqueGuid, int mbrType,
        String name, long start, long size, long firstLba, boolean esp) {

    /**
     * GRUB's device name as {@code $root} holds it and a file name's {@code (...)} encloses it: {@code hd0,gpt1},
     * {@code hd0,msdos5} or {@code hd0}. {@link PartitionTable#select} takes it back.
     */
    public String device() {
        return scheme == PartitionScheme.NONE ? "hd0" : "hd0," + scheme.grubName() + number;
    }

    /** The device as GRUB prints it: {@code (hd0,gpt1)}, {@code (hd0,msdos5)} or {@code (hd0)}. */
    public String grubName() {
        return "(" + device() + ")";
    }

    /** The type as people read it: a known name, else the GUID or hex byte. */
    public String typeName() {
        if (scheme == PartitionScheme.NONE) {
            return "superfloppy";
        }
        if (typeGuid != null) {
            return knownGptType(typeGuid).orElse(Guids.toString(typeGuid));
        }
        return knownMbrType(mbrType).map(n -> n + " (0x" + hex2(mbrType) + ")").orElse("0x" + hex2(mbrType));
    }

    /** The raw type: the type GUID for GPT, {@code 0xEF} style for MBR, empty for none. */
    public String type() {
        if (typeGuid != null) {
            return Guids.toString(typeGuid);
        }
        return mbrType < 0 ? "" : "0x" + hex2(mbrType);
    }

    private static String hex2(int value) {
        return String.format(Locale.ROOT, "%02X", value);
    }

    private static Optional<String> knownGptType(UUID type) {
        return Optional.ofNullable(switch (type.toString()) {
            case "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" -> "EFI System";
            case "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7" -> "Microsoft basic data";
            case "0fc63daf-8483-4772-8e79-3d69d8477de4" -> "Linux filesystem";
            case "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f" -> "Linux swap";
            case "e6d6d379-f507-44c2-a23c-238f2a3df928" -> "Linux LVM";
            case "21686148-6449-6e6f-744e-656564454649" -> "BIOS boot";
            case "bc13c2ff-59e6-4262-a352-b275fd6f7172" -> "Linux extended boot";
            default -> null;
        });
    }

    private static Optional<String> knownMbrType(int type) {
        return Optional.ofNullable(switch (type) {
            case 0x01 -> "FAT12";
            case 0x04, 0x06, 0x0E -> "FAT16";
            case 0x0B, 0x0C -> "FAT32";
            case 0x05, 0x0F, 0x85 -> "Extended";
            case 0x07 -> "NTFS/exFAT";
            case 0x82 -> "Linux swap";
            case 0x83 -> "Linux";
            case 0x8E -> "Linux LVM";
            case 0xEE -> "GPT protective";
            case 0xEF -> "EFI System";
            default -> null;
        });
    }

    /** Whether the type says FAT (MBR 0x01/0x04/0x06/0x0B/0x0C/0x0E, GPT basic data) or ESP. */
    public boolean fatType() {
        if (esp) {
            return true;
        }
        if (typeGuid != null) {
            return typeGuid.equals(Guids.BASIC_DATA);
        }
        return switch (mbrType) {
            case 0x01, 0x04, 0x06, 0x0B, 0x0C, 0x0E -> true;
            default -> false;
        };
    }
}
