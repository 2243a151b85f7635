/**
 * Disk images, partition tables and the file systems on them, read-only, and test ESPs written. A named module so that
 * {@link jgrub.fs.FileSystem} can be sealed over implementations in other packages ({@code jgrub.fat}, {@code jgrub.ext}).
 */
module jgrub.espfs {
    requires org.jnrproject.ffi;

    exports jgrub.disk;
    exports jgrub.ext;
    exports jgrub.fat;
    exports jgrub.fat.write;
    exports jgrub.fs;
    exports jgrub.part;
}
