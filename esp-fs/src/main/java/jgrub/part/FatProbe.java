package jgrub.part;

import static jgrub.fat.FatLayout.BPB_BYTS_PER_SEC;
import static jgrub.fat.FatLayout.BPB_MEDIA;
import static jgrub.fat.FatLayout.BPB_NUM_FATS;
import static jgrub.fat.FatLayout.BPB_RSVD_SEC_CNT;
import static jgrub.fat.FatLayout.BPB_SEC_PER_CLUS;
import static jgrub.fat.FatLayout.BS_JMP_BOOT;

import java.nio.ByteBuffer;

/**
 * Recognises a FAT boot sector well enough to tell a table-less "superfloppy" from an MBR: the jump instruction and
 * BPB fields in their legal ranges (Microsoft FAT specification, section 3.1). The full checks live in jgrub.fat.
 */
final class FatProbe {

    private FatProbe() {
    }

    static boolean plausible(ByteBuffer s) {
        int jump = Byte.toUnsignedInt(s.get(BS_JMP_BOOT));
        boolean jumpOk = (jump == 0xEB && Byte.toUnsignedInt(s.get(BS_JMP_BOOT + 2)) == 0x90) || jump == 0xE9;
        int bps = bytesPerSector(s);
        int spc = Byte.toUnsignedInt(s.get(BPB_SEC_PER_CLUS));
        int reserved = Short.toUnsignedInt(s.getShort(BPB_RSVD_SEC_CNT));
        int fats = Byte.toUnsignedInt(s.get(BPB_NUM_FATS));
        int media = Byte.toUnsignedInt(s.get(BPB_MEDIA));
        return jumpOk && (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096)
                && spc != 0 && Integer.bitCount(spc) == 1 && reserved != 0 && fats != 0
                && (media == 0xF0 || media >= 0xF8);
    }

    static int bytesPerSector(ByteBuffer s) {
        return Short.toUnsignedInt(s.getShort(BPB_BYTS_PER_SEC));
    }
}
