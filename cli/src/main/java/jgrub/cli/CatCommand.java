package jgrub.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.Callable;
import jgrub.fs.Disk;
import jgrub.fs.FileSystem;
import jgrub.fs.OpenFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jgrub cat IMAGE PATH}: the file's bytes on stdout and nothing else. */
@Command(name = "cat",
        description = "Write a file of the file system on a disk image's ESP (or on another partition) to stdout.")
final class CatCommand implements Callable<Integer> {

    /** Where the bytes go instead of file descriptor 1; tests set it. */
    static volatile OutputStream output;

    @Parameters(index = "1", paramLabel = "PATH",
            description = "File (case-insensitive on FAT, exact on ext); may start with a GRUB partition: "
                    + "(hd0,gpt2)/boot/grub/grub.cfg.")
    String path;

    @Mixin
    ImageOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String[] where = options.split(path);
        try (Disk disk = options.openDisk()) {
            FileSystem fs = ImageOptions.open(disk, where[0], spec.commandLine().getErr());
            OpenFile file = fs.open(where[1]);
            OutputStream test = output;
            if (test != null) {
                WritableByteChannel channel = Channels.newChannel(test);
                file.transferTo(0, file.size(), channel);
                test.flush();
            } else {
                // Straight to file descriptor 1: FileChannel.transferTo can then use sendfile/copy_file_range.
                FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
                file.transferTo(0, file.size(), stdout.getChannel());
            }
        }
        return 0;
    }
}
