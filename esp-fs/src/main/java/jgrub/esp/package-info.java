/**
 * The entry point for other modules: {@link jgrub.esp.EspImage} opens a disk image, reads its partition table and
 * opens the FAT file system of the ESP or of a named partition.
 */
package jgrub.esp;
