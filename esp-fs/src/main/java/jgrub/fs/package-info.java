/**
 * The disk model other modules use: {@link jgrub.fs.Disk} opens a disk image once, reads its partition table and
 * opens each partition's {@link jgrub.fs.FileSystem} once, shared by everything that reads the disk in a run. A file
 * system is a sealed type with one member per kind jgrub reads (FAT, ext2/3/4).
 */
package jgrub.fs;
