/**
 * Raw disk images read-only ({@link jgrub.disk.DiskImage}), ranges of them ({@link jgrub.disk.BlockDevice}), and the
 * checked exception every corrupt or unsupported structure raises ({@link jgrub.disk.DiskFormatException}).
 */
package jgrub.disk;
