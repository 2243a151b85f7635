/**
 * GRUB's boot use case on one disk, between the command line and the loaders: {@link jgrub.grub.GrubConfig} finds
 * and reads {@code grub.cfg} as GRUB does (the removable path, {@code /EFI/*}, then {@code /boot/grub}),
 * {@link jgrub.grub.GrubBoot} evaluates it and either runs an entry through {@link jgrub.grub.LoaderCommands} (which
 * read kernels and modules from the same {@link jgrub.fs.Disk} and build the boot protocol the machine runs) or checks
 * every entry. The evaluator sees the disk as GRUB's devices ({@code hd0}, {@code hd0,gpt1}) through
 * {@code GrubDiskView}.
 */
package jgrub.grub;
