package jgrub.part;

import java.nio.ByteBuffer;

/**
 * Recognises a FAT boot sector well enough to tell a table-less "superfloppy" from an MBR: the jump instruction and
 * BPB fields in their legal ranges (Microsoft FAT specification, section 3.1). The full checks live in jgrub.fat.
 */
final class FatProbe {

    private FatProbe() {
    }

    static boolean plausible(ByteBuffer s) {
        int jump = Byte.toUnsignedInt(s.get(0));
        boolean jumpOk = (jump == 0xEB && Byte.toUnsignedInt(s.get(2)) == 0x90) || jump == 0xE9;
        int bps = bytesPerSector(s);
        int spc = Byte.toUnsignedInt(s.get(13));
        int reserved = Short.toUnsignedInt(s.getShort(14));
        int fats = Byte.toUnsignedInt(s.get(16));
        int media = Byte.toUnsignedInt(s.get(21));
        return jumpOk && (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096)
                && spc != 0 && Integer.bitCount(spc) == 1 && reserved != 0 && fats != 0
                && (media == 0xF0 || media >= 0xF8);
    }

    static int bytesPerSector(ByteBuffer s) {
        return Short.toUnsignedInt(s.getShort(11));
    }
}
