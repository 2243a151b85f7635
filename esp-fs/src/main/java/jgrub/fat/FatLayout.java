package jgrub.fat;

/**
 * Byte offsets and fixed values of FAT's on-disk structures, as the Microsoft FAT specification 1.03 names them: the
 * boot sector with its BIOS parameter block (section 3), FSINFO (section 5), 8.3 directory entries (section 6) and
 * long-name entries (section 7). The reader ({@link BootSector}, {@link Directories}, {@code jgrub.part.FatProbe})
 * and the writer ({@link jgrub.fat.write.EspBuilder}) both use these, so the two cannot disagree on a field.
 * Offsets are from the start of the structure; all fields are little-endian.
 */
public final class FatLayout {

    private FatLayout() {
    }

    // Boot sector and BPB, common to FAT12/16/32 (section 3.1).

    /** Jump to the boot code: {@code EB xx 90} or {@code E9 xx xx}. */
    public static final int BS_JMP_BOOT = 0;
    public static final int BS_OEM_NAME = 3;
    public static final int BPB_BYTS_PER_SEC = 11;
    public static final int BPB_SEC_PER_CLUS = 13;
    public static final int BPB_RSVD_SEC_CNT = 14;
    public static final int BPB_NUM_FATS = 16;
    public static final int BPB_ROOT_ENT_CNT = 17;
    public static final int BPB_TOT_SEC16 = 19;
    public static final int BPB_MEDIA = 21;
    public static final int BPB_FAT_SZ16 = 22;
    public static final int BPB_SEC_PER_TRK = 24;
    public static final int BPB_NUM_HEADS = 26;
    public static final int BPB_HIDD_SEC = 28;
    public static final int BPB_TOT_SEC32 = 32;

    // FAT12/16 from offset 36 (section 3.2).

    public static final int BS_DRV_NUM_16 = 36;
    public static final int BS_BOOT_SIG_16 = 38;
    public static final int BS_VOL_ID_16 = 39;
    public static final int BS_VOL_LAB_16 = 43;
    public static final int BS_FIL_SYS_TYPE_16 = 54;
    /** The first byte after the FAT12/16 BPB, where boot code starts. */
    public static final int BS_BOOT_CODE_16 = 62;

    // FAT32 from offset 36 (section 3.3).

    public static final int BPB_FAT_SZ32 = 36;
    public static final int BPB_EXT_FLAGS = 40;
    public static final int BPB_FS_VER = 42;
    public static final int BPB_ROOT_CLUS = 44;
    public static final int BPB_FS_INFO = 48;
    public static final int BPB_BK_BOOT_SEC = 50;
    public static final int BS_DRV_NUM_32 = 64;
    public static final int BS_BOOT_SIG_32 = 66;
    public static final int BS_VOL_ID_32 = 67;
    public static final int BS_VOL_LAB_32 = 71;
    public static final int BS_FIL_SYS_TYPE_32 = 82;
    /** The first byte after the FAT32 BPB, where boot code starts. */
    public static final int BS_BOOT_CODE_32 = 90;

    /** The word 0xAA55 at offset 510 of a boot sector (section 3.1) and of the MBR. */
    public static final int BS_SIGNATURE = 510;
    public static final int BOOT_SIGNATURE = 0xAA55;
    /** BS_BootSig when volume id, label and file system type follow. */
    public static final int EXTENDED_BOOT_SIGNATURE = 0x29;
    /** BS_VolLab and a directory entry's DIR_Name are 11 bytes. */
    public static final int NAME_LENGTH = 11;

    // FSINFO sector (section 5).

    public static final int FSI_LEAD_SIG = 0;
    public static final int FSI_STRUC_SIG = 484;
    public static final int FSI_FREE_COUNT = 488;
    public static final int FSI_NXT_FREE = 492;
    public static final int FSI_TRAIL_SIG = 508;
    public static final int FSI_LEAD_SIG_VALUE = 0x41615252;
    public static final int FSI_STRUC_SIG_VALUE = 0x61417272;
    public static final int FSI_TRAIL_SIG_VALUE = 0xAA550000;

    // 32-byte directory entry (section 6).

    public static final int DIR_ENTRY_SIZE = 32;
    public static final int DIR_NAME = 0;
    public static final int DIR_ATTR = 11;
    public static final int DIR_NTRES = 12;
    public static final int DIR_CRT_TIME = 14;
    public static final int DIR_CRT_DATE = 16;
    public static final int DIR_LST_ACC_DATE = 18;
    public static final int DIR_FST_CLUS_HI = 20;
    public static final int DIR_WRT_TIME = 22;
    public static final int DIR_WRT_DATE = 24;
    public static final int DIR_FST_CLUS_LO = 26;
    public static final int DIR_FILE_SIZE = 28;

    // Long-name entry (section 7.1).

    public static final int LDIR_ORD = 0;
    public static final int LDIR_ATTR = 11;
    public static final int LDIR_TYPE = 12;
    public static final int LDIR_CHKSUM = 13;
    public static final int LDIR_FST_CLUS_LO = 26;
    /** LDIR_Attr of a long-name entry: read-only, hidden, system and volume id together. */
    public static final int ATTR_LONG_NAME = 0x0F;
    public static final int ATTR_LONG_NAME_MASK = 0x3F;
    /** The bit of LDIR_Ord that marks the last (first stored) entry of a long name. */
    public static final int LAST_LONG_ENTRY = 0x40;
    /** UCS-2 characters one long-name entry holds. */
    public static final int LDIR_CHARS = 13;

    /** Where character {@code k} (0-12) of a long-name entry is: LDIR_Name1, LDIR_Name2, LDIR_Name3. */
    public static int ldirCharOffset(int k) {
        return k < 5 ? 1 + 2 * k : k < 11 ? 14 + 2 * (k - 5) : 28 + 2 * (k - 11);
    }
}
