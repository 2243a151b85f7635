package jgrub.grub;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import jgrub.disk.DiskFormatException;

/**
 * The objects GRUB's core image carries after its kernel (GRUB 2.06 {@code include/grub/kernel.h}, written by
 * {@code util/mkimage.c}): a {@code struct grub_module_info} (magic {@code mimg}, offset of the first object, size of
 * the whole area), then objects of {@code {u32 type; u32 size}} with the size counting the header, each padded to the
 * pointer size ({@code FOR_MODULES}). jgrub needs two of them: the prefix ({@code -p}) and the early config
 * ({@code -c}); modules and memdisks are counted only.
 *
 * @param prefix  the OBJ_TYPE_PREFIX string, when the image has one
 * @param config  the OBJ_TYPE_CONFIG text, when the image has one
 * @param modules how many ELF modules the image embeds
 * @param memdisk whether the image carries a memdisk (whose files jgrub does not read)
 */
record ModuleArea(Optional<String> prefix, Optional<String> config, int modules, boolean memdisk) {

    /** "mimg" read little-endian: GRUB_MODULE_MAGIC. */
    static final int MAGIC = 0x676d696d;
    static final int OBJ_TYPE_ELF = 0;
    static final int OBJ_TYPE_MEMDISK = 1;
    static final int OBJ_TYPE_CONFIG = 2;
    static final int OBJ_TYPE_PREFIX = 3;
    /** struct grub_module_header: type, size. */
    static final int OBJECT_HEADER = 8;
    /** struct grub_module_info64: magic, padding, offset (u64), size (u64). */
    static final int INFO64 = 24;
    /** struct grub_module_info32: magic, offset, size. */
    static final int INFO32 = 12;

    /**
     * Reads the area at the start of {@code area} (whose remaining bytes are all it may span); {@code pointerSize} is 8
     * for x86_64-efi, 4 for i386-pc. {@code structure} and {@code base} (the image offset of the area's first byte)
     * word the errors.
     */
    static ModuleArea parse(ByteBuffer area, int pointerSize, String structure, long base) throws DiskFormatException {
        ByteBuffer b = area.slice().order(ByteOrder.LITTLE_ENDIAN);
        int infoSize = pointerSize == 8 ? INFO64 : INFO32;
        if (b.remaining() < infoSize) {
            throw corrupt(structure, "module area size", b.remaining(), base, "shorter than the module info header");
        }
        if (b.getInt(0) != MAGIC) {
            throw corrupt(structure, "module info magic", Integer.toUnsignedLong(b.getInt(0)), base, "not 'mimg'");
        }
        long offset = pointerSize == 8 ? b.getLong(8) : Integer.toUnsignedLong(b.getInt(4));
        long size = pointerSize == 8 ? b.getLong(16) : Integer.toUnsignedLong(b.getInt(8));
        if (size < infoSize || size > b.remaining()) {
            throw corrupt(structure, "module area size", size, base + (pointerSize == 8 ? 16 : 8),
                    "not within the 0x" + Integer.toHexString(b.remaining()) + " bytes that hold it");
        }
        if (offset < infoSize || offset > size) {
            throw corrupt(structure, "module info offset", offset, base + (pointerSize == 8 ? 8 : 4),
                    "not within the module area of 0x" + Long.toHexString(size) + " bytes");
        }
        String prefix = null;
        String config = null;
        int modules = 0;
        boolean memdisk = false;
        long at = offset;
        while (at < size) {
            if (size - at < OBJECT_HEADER) {
                throw corrupt(structure, "object header", at, base + at, "the module area ends inside it");
            }
            int type = b.getInt((int) at);
            long length = Integer.toUnsignedLong(b.getInt((int) at + 4));
            if (length < OBJECT_HEADER || length > size - at) {
                throw corrupt(structure, "object size", length, base + at + 4, "not between 8 and the 0x"
                        + Long.toHexString(size - at) + " bytes left of the module area");
            }
            switch (type) {
                case OBJ_TYPE_ELF -> modules++;
                case OBJ_TYPE_MEMDISK -> memdisk = true;
                case OBJ_TYPE_CONFIG -> config = string(b, at + OBJECT_HEADER, length - OBJECT_HEADER);
                case OBJ_TYPE_PREFIX -> prefix = string(b, at + OBJECT_HEADER, length - OBJECT_HEADER);
                default -> {
                    // Public keys, device trees and later types: nothing jgrub uses.
                }
            }
            at += (length + pointerSize - 1) / pointerSize * pointerSize;
        }
        return new ModuleArea(Optional.ofNullable(prefix), Optional.ofNullable(config), modules, memdisk);
    }

    /** The bytes up to the first NUL, as GRUB reads the prefix and the config (a C string). */
    private static String string(ByteBuffer b, long from, long length) {
        int end = (int) from;
        while (end < from + length && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - (int) from];
        b.get((int) from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static DiskFormatException corrupt(String structure, String field, long value, long offset, String why) {
        return new DiskFormatException(DiskFormatException.Kind.CORRUPT, structure, field, value, offset, why);
    }
}
