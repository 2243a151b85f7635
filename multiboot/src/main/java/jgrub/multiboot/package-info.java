/**
 * Multiboot loading as GRUB 2 does it: header discovery and checks, ELF32/ELF64 and a.out-kludge images, gzip and xz
 * unpacking, placement in the firmware's memory map, and the boot information structures.
 *
 * <p>How the boot commands use it ({@code multiboot2 PATH ARGS...}, then {@code module2 [--nounzip] PATH ARGS...}):
 * <pre>{@code
 * Multiboot2 kernel = Multiboot2.load(path, fileBytes, wordsAfterPath, jgrub.boot.Platform.PC);
 * kernel = kernel.withModule(Module.of(modulePath, moduleBytes, nounzip, wordsAfterModulePath));
 * BootPlan plan = kernel.plan(firmware);   // by the machine, once the firmware reported its memory map
 * }</pre>
 * {@code Multiboot1.load(path, bytes, words, quirks)} works the same for {@code multiboot}/{@code module}. Everything
 * that can be checked without the firmware is checked in {@code load}/{@code Module.of}; {@code plan} checks the
 * placement. Every refusal is a {@link jgrub.boot.BootException} ({@link jgrub.multiboot.ImageFormatException} for the
 * image itself) with a one-line message naming structure, field, value and offset.
 */
package jgrub.multiboot;
