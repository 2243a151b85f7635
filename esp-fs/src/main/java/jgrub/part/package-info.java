/**
 * Partition tables: GPT (CRC-checked, backup used when the primary is damaged), MBR with logical partitions, and
 * table-less "superfloppy" disks; ESP selection and GRUB partition names ({@code (hd0,gpt1)}); a GPT writer for
 * test disks.
 */
package jgrub.part;
