/**
 * GRUB's Linux loader for the PC platform (grub-core/loader/i386/linux.c): the bzImage setup header checked as GRUB
 * checks it, the initrd files concatenated as GRUB concatenates them, boot_params and the 32-bit boot protocol of
 * Linux Documentation/arch/x86/boot.rst.
 *
 * <pre>{@code
 * LinuxKernel kernel = LinuxKernel.load("/boot/vmlinuz", fileBytes, List.of("root=/dev/sda1", "ro"));
 * kernel = kernel.withInitrd(new Initrd(List.of(new Initrd.File("/boot/initrd.img", Contents.of(initrdBytes)))));
 * BootPlan plan = kernel.plan(firmware);   // by the machine, once the firmware reported its memory map
 * }</pre>
 * Every refusal is a {@link jgrub.boot.BootException} ({@link jgrub.linux.KernelFormatException} for the image) with a
 * one-line message naming the field, its value and its offset.
 */
package jgrub.linux;
