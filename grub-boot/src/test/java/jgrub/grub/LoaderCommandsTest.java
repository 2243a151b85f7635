package jgrub.grub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import jgrub.boot.BootException;
import jgrub.boot.Platform;
import jgrub.chainload.ChainloadProtocol;
import jgrub.config.ast.Position;
import jgrub.config.eval.BootCommand;
import jgrub.config.eval.GrubError;
import jgrub.config.eval.Status;
import jgrub.efi.EfiBoot;
import jgrub.efi.EfiBootProtocol;
import jgrub.fs.Disk;
import jgrub.fat.write.EspBuilder;
import jgrub.linux.Linux16Kernel;
import jgrub.linux.LinuxKernel;
import jgrub.multiboot.mb1.Multiboot1;
import jgrub.multiboot.mb2.Multiboot2;
import jgrub.multiboot.mb2.Multiboot2Efi;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader commands on a disk that holds Debian's Xen, as Debian's 20_linux_xen entry runs them. */
class LoaderCommandsTest {

    @TempDir
    static Path dir;
    static Path disk;

    @BeforeAll
    static void disk() throws Exception {
        disk = dir.resolve("disk.img");
        new EspBuilder(64L << 20)
                .add(Prerequisites.payload("xen.gz"), "/boot/xen.gz")
                .add(Prerequisites.payload("xen.efi"), "/EFI/xen/xen.efi")
                .add(Prerequisites.payload("initrd.img"), "/boot/initrd.img")
                .add(Prerequisites.payload("vmlinuz"), "/boot/vmlinuz")
                .write(disk, false);
    }

    static BootCommand command(String line) {
        List<String> words = List.of(line.split(" "));
        return new BootCommand(words.get(0), words.subList(1, words.size()), "hd0,gpt1", new Position("grub.cfg", 1, 1));
    }

    static Status run(LoaderCommands commands, String line) {
        return commands.execute(command(line));
    }

    @Test
    void multiboot2Entry_onPc_bootsMultiboot2() throws Exception {
        try (Disk image = Disk.open(disk)) {
            LoaderCommands c = new LoaderCommands(image, Platform.PC, EfiBoot.Options.defaults());
            assertTrue(run(c, "multiboot2 /boot/xen.gz placeholder console=com1").ok());
            assertTrue(run(c, "module2 --nounzip /boot/initrd.img").ok());
            assertTrue(run(c, "boot").ok());
            assertInstanceOf(Multiboot2.class, c.protocol().orElseThrow());
        }
    }

    @Test
    void multiboot2Entry_onEfi_bootsThroughTheEfiEnvironment() throws Exception {
        try (Disk image = Disk.open(disk)) {
            LoaderCommands c = new LoaderCommands(image, Platform.EFI, EfiBoot.Options.defaults());
            assertTrue(run(c, "multiboot2 (hd0,gpt1)/boot/xen.gz placeholder").ok());
            assertTrue(run(c, "boot").ok());
            assertInstanceOf(Multiboot2Efi.class, c.protocol().orElseThrow());
        }
    }

    @Test
    void multibootEntry_bootsMultiboot1_andChainloaderBootsEfiImages() throws Exception {
        try (Disk image = Disk.open(disk)) {
            LoaderCommands c = new LoaderCommands(image, Platform.EFI, EfiBoot.Options.defaults());
            assertTrue(run(c, "multiboot /boot/xen.gz placeholder").ok());
            assertTrue(run(c, "module /boot/initrd.img").ok());
            assertTrue(run(c, "boot").ok());
            assertInstanceOf(Multiboot1.class, c.protocol().orElseThrow());
            assertTrue(run(c, "chainloader /EFI/xen/xen.efi").ok());
            assertTrue(run(c, "boot").ok());
            assertInstanceOf(ChainloadProtocol.class, c.protocol().orElseThrow());
        }
    }

    @Test
    void grubsErrors_forModulesFirst_missingFiles_bootWithoutKernel_andNotAKernel() throws Exception {
        try (Disk image = Disk.open(disk)) {
            LoaderCommands c = new LoaderCommands(image, Platform.PC, EfiBoot.Options.defaults());
            assertEquals(Status.error(GrubError.BAD_ARGUMENT, "you need to load the kernel first"),
                    run(c, "module2 /boot/initrd.img"));
            assertEquals(Status.error(GrubError.NO_KERNEL, "you need to load the kernel first"), run(c, "boot"));
            assertEquals(Status.error(GrubError.FILE_NOT_FOUND, "file `/boot/nope.gz' not found"),
                    run(c, "multiboot2 /boot/nope.gz"));
            Status notKernel = run(c, "multiboot2 /boot/initrd.img");
            assertEquals(GrubError.BAD_OS.code(), notKernel.code());
            assertTrue(notKernel.message().contains("Multiboot 2"), notKernel.message());
            assertFalse(c.loaded());
            assertEquals(GrubError.NOT_IMPLEMENTED_YET.code(), run(c, "chainloader /EFI/xen/xen.efi").code(),
                    "chainloading is an EFI thing");
        }
    }

    /** The entry's first error is why it does not boot; the module2 refused after it is only its consequence. */
    @Test
    void anEntryThatBootsNothing_namesItsFirstErrorAsTheCause() throws Exception {
        Path cfg = java.nio.file.Files.writeString(dir.resolve("first-cause.cfg"),
                "menuentry 'Xen' {\n multiboot2 /boot/initrd.img\n module2 /boot/xen.gz\n}\n");
        try (Disk image = Disk.open(disk)) {
            GrubBoot grub = GrubBoot.of(GrubConfig.fromHost(cfg, image, Platform.PC));
            LoaderCommands commands = grub.loaderCommands(EfiBoot.Options.defaults());
            BootException e = assertThrows(BootException.class, () -> commands.bootedBy(grub.run(null, commands)));
            assertTrue(e.getMessage().startsWith("menu entry 'Xen' does not boot: multiboot2: /boot/initrd.img"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("; after it, module2: you need to load the kernel first"),
                    e.getMessage());
        }
    }

    @Test
    void linuxEntry_onPc_bootsLinuxWithEveryInitrdFile() throws Exception {
        try (Disk image = Disk.open(disk)) {
            LoaderCommands c = new LoaderCommands(image, Platform.PC, EfiBoot.Options.defaults());
            assertTrue(run(c, "linux /boot/vmlinuz root=/dev/ram0 console=ttyS0").ok());
            assertTrue(run(c, "initrd /boot/initrd.img (hd0,gpt1)/boot/initrd.img").ok());
            assertTrue(run(c, "boot").ok());
            LinuxKernel linux = assertInstanceOf(LinuxKernel.class, c.protocol().orElseThrow());
            assertEquals("BOOT_IMAGE=/boot/vmlinuz root=/dev/ram0 console=ttyS0", linux.commandLine());
            assertEquals(2, linux.initrd().orElseThrow().files().size());
            assertEquals("/boot/initrd.img", linux.initrd().orElseThrow().files().get(1).path());
        }
    }

    @Test
    void linux16Entry_onPc_bootsInRealMode_andInitrd16BelongsToIt() throws Exception {
        try (Disk image = Disk.open(disk)) {
            LoaderCommands c = new LoaderCommands(image, Platform.PC, EfiBoot.Options.defaults());
            assertTrue(run(c, "linux16 /boot/vmlinuz console=ttyS0").ok());
            assertEquals(Status.error(GrubError.BAD_ARGUMENT, "you need to load the kernel first"),
                    run(c, "initrd /boot/initrd.img"));
            assertTrue(run(c, "initrd16 /boot/initrd.img").ok());
            assertTrue(run(c, "boot").ok());
            assertInstanceOf(Linux16Kernel.class, c.protocol().orElseThrow());
            assertEquals(GrubError.NOT_IMPLEMENTED_YET.code(), run(new LoaderCommands(image, Platform.EFI,
                    EfiBoot.Options.defaults()), "linux16 /boot/vmlinuz").code());
        }
    }

    @Test
    void linuxErrors_initrdFirst_missingInitrd_notABzImage_andTheEfiPlatform() throws Exception {
        try (Disk image = Disk.open(disk)) {
            LoaderCommands c = new LoaderCommands(image, Platform.PC, EfiBoot.Options.defaults());
            assertEquals(Status.error(GrubError.BAD_ARGUMENT, "you need to load the kernel first"),
                    run(c, "initrd /boot/initrd.img"));
            assertTrue(run(c, "linux /boot/vmlinuz").ok());
            assertEquals(Status.error(GrubError.FILE_NOT_FOUND, "file `/boot/nope.img' not found"),
                    run(c, "initrd /boot/initrd.img /boot/nope.img"));
            Status notLinux = run(c, "linux /boot/xen.gz");
            assertEquals(GrubError.BAD_OS.code(), notLinux.code());
            assertTrue(notLinux.message().startsWith("/boot/xen.gz: setup header boot_flag 0x"), notLinux.message());
            assertTrue(notLinux.message().endsWith("at offset 0x1fe is not 0xaa55: invalid magic number, not a Linux "
                    + "kernel (corrupt)"), notLinux.message());
            assertFalse(c.loaded());
            assertEquals(Status.error(GrubError.NOT_IMPLEMENTED_YET, "linuxefi: an EFI command; jgrub runs it on "
                    + "--platform efi"), run(c, "linuxefi /boot/vmlinuz"));
        }
    }

    @Test
    void linuxEntry_onEfi_startsTheKernelsEfiStub_andLinuxefiIsItsAlias() throws Exception {
        try (Disk image = Disk.open(disk)) {
            for (String suffix : List.of("", "efi")) {
                LoaderCommands c = new LoaderCommands(image, Platform.EFI, EfiBoot.Options.defaults());
                assertEquals(Status.error(GrubError.BAD_ARGUMENT, "you need to load the kernel first"),
                        run(c, "initrd" + suffix + " /boot/initrd.img"));
                assertTrue(run(c, "linux" + suffix + " /boot/vmlinuz root=/dev/ram0 console=ttyS0").ok());
                assertTrue(run(c, "initrd" + suffix + " /boot/initrd.img /boot/initrd.img").ok());
                assertTrue(run(c, "boot").ok());
                assertInstanceOf(EfiBootProtocol.class, c.protocol().orElseThrow());
            }
        }
    }

    @Test
    void linuxOnEfi_refusesAFileWithoutAnEfiStub_inGrubsWords() throws Exception {
        try (Disk image = Disk.open(disk)) {
            LoaderCommands c = new LoaderCommands(image, Platform.EFI, EfiBoot.Options.defaults());
            Status notStub = run(c, "linux /boot/xen.gz");
            assertEquals(GrubError.BAD_OS.code(), notStub.code());
            assertEquals("/boot/xen.gz: 0x8b1f at offset 0x0 is not \"MZ\": plain image kernel not supported - "
                    + "rebuild with CONFIG_(U)EFI_STUB enabled (unsupported)", notStub.message());
            Status notLinux = run(c, "linux /EFI/xen/xen.efi");
            assertTrue(notLinux.message().startsWith("/EFI/xen/xen.efi: setup header boot_flag 0x"),
                    notLinux.message());
            assertFalse(c.loaded());
        }
    }
}
