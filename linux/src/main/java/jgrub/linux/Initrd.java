package jgrub.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import jgrub.boot.Contents;

/**
 * What {@code initrd FILE...} gives the kernel: the files one after another in one block of memory, each starting
 * at a multiple of 4 bytes with zeros in between, as GRUB's {@code grub_initrd_init}/{@code grub_initrd_load}
 * (grub-core/loader/linux.c) concatenate them; the kernel unpacks each cpio archive in turn. The files are taken as
 * they are, never unpacked (GRUB opens them with GRUB_FILE_TYPE_NO_DECOMPRESS).
 */
public record Initrd(List<File> files) {

    /** One file of the initrd: its path (for messages and plans) and its bytes. */
    public record File(String path, Contents contents) {
    }

    public Initrd {
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("an initrd has at least one file");
        }
    }

    /** Where each file starts in the block: GRUB aligns the running size up to 4 before each file. */
    public long offset(int index) {
        long size = 0;
        for (int i = 0; i < index; i++) {
            size = align4(size) + files.get(i).contents().size();
        }
        return align4(size);
    }

    /** The block's size as GRUB computes it and passes it in ramdisk_size: no padding after the last file. */
    public long size() {
        return offset(files.size() - 1) + files.get(files.size() - 1).contents().size();
    }

    /** The block's bytes, written file by file with the zero padding between them. */
    public Contents contents() {
        return new Contents() {
            @Override
            public long size() {
                return Initrd.this.size();
            }

            @Override
            public void writeTo(ByteBuffer target) throws IOException {
                long written = 0;
                for (File f : files) {
                    for (; written < align4(written); written++) {
                        target.put((byte) 0);
                    }
                    f.contents().writeTo(target);
                    written += f.contents().size();
                }
            }

            @Override
            public void copyTo(WritableByteChannel sink) throws IOException {
                long written = 0;
                for (File f : files) {
                    Contents.drain(ByteBuffer.allocate((int) (align4(written) - written)), sink);
                    f.contents().copyTo(sink);
                    written = align4(written) + f.contents().size();
                }
            }
        };
    }

    private static long align4(long size) {
        return (size + 3) & ~3L;
    }
}
