package jgrub.grub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jgrub.boot.Platform;
import jgrub.fs.Disk;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grub.cfg found the way GRUB's own core image finds it, on disks laid out as Debian's installer lays them out, with
 * core images made by the real {@code grub-mkimage} (which {@code grub-install} runs) given the prefix and early config
 * {@code grub-install} gives it: GPT with an ESP and an ext4 root, and MBR with the root in a logical partition and
 * the BIOS core image in the gap after the MBR as {@code boot.img} expects it.
 */
class CoreImageDiscoveryTest {

    static final String ROOT_UUID = "947fd3eb-1a02-4860-946a-cf4aba837e76";
    static final String MAIN_CFG = "set timeout=0\nmenuentry 'Debian GNU/Linux' --id debian {\n\tlinux /vmlinuz\n}\n";
    static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** grub-install on one disk: the prefix names the root's partition without a drive. */
    @Test
    void efiPrefixWithoutDrive_isCompletedWithTheEsp() throws IOException {
        Path esp = esp(mkimageEfi("(,gpt3)/boot/grub", null), "/EFI/BOOT/BOOTX64.EFI");
        try (Disk disk = Disk.open(gptDisk(esp))) {
            GrubConfig config = GrubConfig.onDisk(disk, null, Platform.EFI);
            assertEquals("(hd0,gpt3)/boot/grub/grub.cfg", config.name());
            assertEquals(MAIN_CFG, config.text());
            assertEquals("hd0,gpt3", config.options().root());
            assertEquals("(hd0,gpt3)/boot/grub", config.options().prefix());
            assertEquals("(hd0,gpt2)/EFI/BOOT", config.options().variables().get("cmdpath"));
            assertEquals(List.of("jgrub: config (hd0,gpt3)/boot/grub/grub.cfg, prefix (hd0,gpt3)/boot/grub from "
                    + "(hd0,gpt2)/EFI/BOOT/BOOTX64.EFI"), config.notes());
            assertEquals(List.of("Debian GNU/Linux"), titles(config));
        }
    }

    /** grub-install when /boot is found by UUID: load.cfg as the early config sets root and prefix. */
    @Test
    void efiEarlyConfig_searchesTheRootByUuid() throws IOException {
        String load = "search.fs_uuid " + ROOT_UUID + " root hd0,gpt3\nset prefix=($root)'/boot/grub'\n";
        Path esp = esp(mkimageEfi("/EFI/BOOT", load), "/EFI/BOOT/BOOTX64.EFI");
        try (Disk disk = Disk.open(gptDisk(esp))) {
            GrubConfig config = GrubConfig.onDisk(disk, null, Platform.EFI);
            assertEquals("(hd0,gpt3)/boot/grub/grub.cfg", config.name());
            assertEquals("hd0,gpt3", config.options().root());
            assertEquals("(hd0,gpt3)/boot/grub", config.options().prefix());
        }
    }

    /** Debian's signed shape: grubx64.efi with prefix /EFI/debian, whose grub.cfg there hands over to the root's. */
    @Test
    void espStub_isFollowedToTheRootsConfig() throws IOException {
        String stub = "search.fs_uuid " + ROOT_UUID + " root\nset prefix=($root)'/boot/grub'\n"
                + "configfile $prefix/grub.cfg\n";
        Path esp = esp(mkimageEfi("/EFI/debian", null), "/EFI/debian/grubx64.efi");
        mcopy(esp, Files.writeString(dir.resolve("stub.cfg"), stub), "/EFI/debian/grub.cfg");
        try (Disk disk = Disk.open(gptDisk(esp))) {
            GrubConfig config = GrubConfig.onDisk(disk, null, Platform.EFI);
            assertEquals("(hd0,gpt3)/boot/grub/grub.cfg", config.name());
            assertEquals("hd0,gpt3", config.options().root());
            assertEquals("(hd0,gpt3)/boot/grub", config.options().prefix());
            assertEquals(List.of("jgrub: config (hd0,gpt3)/boot/grub/grub.cfg, prefix (hd0,gpt3)/boot/grub from "
                    + "(hd0,gpt2)/EFI/debian/grubx64.efi, through (hd0,gpt2)/EFI/debian/grub.cfg"), config.notes());
        }
    }

    /** A prefix naming a file that is not there: GRUB would stop at its prompt; jgrub says so and looks on. */
    @Test
    void prefixWithoutConfig_isAWarningAndTheUsualPlacesAreSearched() throws IOException {
        Path esp = esp(mkimageEfi("(,gpt3)/nowhere", null), "/EFI/BOOT/BOOTX64.EFI");
        try (Disk disk = Disk.open(gptDisk(esp))) {
            GrubConfig config = GrubConfig.onDisk(disk, null, Platform.EFI);
            assertEquals("(hd0,gpt3)/boot/grub/grub.cfg", config.name());
            assertEquals(List.of("jgrub: warning: GRUB's core image (hd0,gpt2)/EFI/BOOT/BOOTX64.EFI loads "
                    + "(hd0,gpt3)/nowhere/grub.cfg, which jgrub cannot read there; looking for grub.cfg in the usual "
                    + "places"), config.notes());
        }
    }

    /** A root file system whose journal needs recovery is read (GRUB does not replay it either) with a warning. */
    @Test
    void rootNeedingRecovery_isAWarningNote() throws IOException {
        Path root = ext4();
        run("debugfs", "-w", "-R", "feature needs_recovery", root.toString());
        Path esp = esp(mkimageEfi("(,gpt3)/boot/grub", null), "/EFI/BOOT/BOOTX64.EFI");
        try (Disk disk = Disk.open(gptDisk(esp, root))) {
            GrubConfig config = GrubConfig.onDisk(disk, null, Platform.EFI);
            assertEquals(List.of("jgrub: warning: (hd0,gpt3): ext file system " + ROOT_UUID + ": needs journal "
                    + "recovery (needs_recovery set); the journal is not replayed, as GRUB does not, so the last changes"
                    + " may be missing", "jgrub: config (hd0,gpt3)/boot/grub/grub.cfg, prefix (hd0,gpt3)/boot/grub"
                            + " from (hd0,gpt2)/EFI/BOOT/BOOTX64.EFI"), config.notes());
        }
    }

    /** On the PC platform the EFI image is not GRUB's way in; with no BIOS core image the usual places are searched. */
    @Test
    void pcPlatform_doesNotUseTheEfiImage() throws IOException {
        Path esp = esp(mkimageEfi("(,gpt3)/nowhere", null), "/EFI/BOOT/BOOTX64.EFI");
        try (Disk disk = Disk.open(gptDisk(esp))) {
            GrubConfig config = GrubConfig.onDisk(disk, null, Platform.PC);
            assertEquals("(hd0,gpt3)/boot/grub/grub.cfg", config.name());
            assertEquals(List.of(), config.notes());
        }
    }

    /**
     * BIOS on an MBR disk: boot.img in the MBR, the core image from LBA 1 as boot.img and diskboot.img expect it
     * unpatched, without Reed-Solomon bytes; the root file system is logical partition 5.
     */
    @Test
    void biosCoreImageInTheMbrGap_namesALogicalPartition() throws IOException {
        Path core = dir.resolve("core.img");
        run("grub-mkimage", "-O", "i386-pc", "-d", "/usr/lib/grub/i386-pc", "-p", "(,msdos5)/boot/grub", "-o",
                core.toString(), "biosdisk", "part_msdos", "ext2");
        Path image = dir.resolve("msdos.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(48 * MIB);
        }
        feed("label: dos\nstart=2048, size=16M, type=ef\n"
                + "start=34816, type=5\nstart=36864, size=8M, type=83\n", "sfdisk", "-q", image.toString());
        write(image, 0, Files.readAllBytes(Path.of("/usr/lib/grub/i386-pc/boot.img")), 0x1B8);
        byte[] coreBytes = Files.readAllBytes(core);
        write(image, 512, coreBytes, coreBytes.length);
        write(image, 36864 * 512L, Files.readAllBytes(ext4()), -1);
        try (Disk disk = Disk.open(image)) {
            GrubConfig config = GrubConfig.onDisk(disk, null, Platform.PC);
            assertEquals("(hd0,msdos5)/boot/grub/grub.cfg", config.name());
            assertEquals("hd0,msdos5", config.options().root());
            assertEquals(List.of("jgrub: config (hd0,msdos5)/boot/grub/grub.cfg, prefix (hd0,msdos5)/boot/grub from "
                    + "the BIOS core image at LBA 1"), config.notes());
        }
    }

    /** The GRUB EFI image grub-mkimage makes with {@code prefix} and, when not null, {@code earlyConfig}. */
    private Path mkimageEfi(String prefix, String earlyConfig) throws IOException {
        Path out = dir.resolve("grubx64.efi");
        List<String> args = new ArrayList<>(List.of("grub-mkimage", "-O", "x86_64-efi", "-d",
                "/usr/lib/grub/x86_64-efi", "-p", prefix, "-o", out.toString()));
        if (earlyConfig != null) {
            args.add("-c");
            args.add(Files.writeString(dir.resolve("load.cfg"), earlyConfig).toString());
        }
        args.addAll(List.of("part_gpt", "fat", "ext2", "search_fs_uuid"));
        run(args.toArray(String[]::new));
        return out;
    }

    /** A 40 MiB FAT32 ESP holding {@code image} at {@code path}. */
    private Path esp(Path image, String path) throws IOException {
        Path esp = dir.resolve("esp.img");
        Files.deleteIfExists(esp);
        run("mkfs.fat", "-F", "32", "-s", "1", "-C", esp.toString(), String.valueOf(40 * 1024));
        String parent = path.substring(0, path.lastIndexOf('/'));
        StringBuilder made = new StringBuilder();
        for (String part : parent.substring(1).split("/")) {
            made.append('/').append(part);
            run("mmd", "-i", esp.toString(), "::" + made);
        }
        mcopy(esp, image, path);
        return esp;
    }

    private static void mcopy(Path esp, Path file, String path) throws IOException {
        run("mcopy", "-o", "-i", esp.toString(), file.toString(), "::" + path);
    }

    /** An ext4 file system with {@code /boot/grub/grub.cfg}, made from a directory by mke2fs. */
    private Path ext4() throws IOException {
        Path tree = dir.resolve("root");
        Files.createDirectories(tree.resolve("boot/grub"));
        Files.writeString(tree.resolve("boot/grub/grub.cfg"), MAIN_CFG);
        Path fs = dir.resolve("root.img");
        Files.deleteIfExists(fs);
        run("mke2fs", "-q", "-t", "ext4", "-U", ROOT_UUID, "-d", tree.toString(), fs.toString(), "8M");
        return fs;
    }

    /** GPT: 1 BIOS boot (1 MiB), 2 ESP (40 MiB), 3 Linux root (8 MiB, ext4), as Debian's installer partitions. */
    private Path gptDisk(Path esp) throws IOException {
        return gptDisk(esp, ext4());
    }

    private Path gptDisk(Path esp, Path root) throws IOException {
        Path image = dir.resolve("gpt.img");
        Files.deleteIfExists(image);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(52 * MIB);
        }
        feed("label: gpt\n"
                + "start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649\n"
                + "start=4096, size=40M, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\n"
                + "start=86016, size=8M, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\n", "sfdisk", "-q",
                image.toString());
        write(image, 4096 * 512L, Files.readAllBytes(esp), -1);
        write(image, 86016 * 512L, Files.readAllBytes(root), -1);
        return image;
    }

    private static void write(Path image, long offset, byte[] bytes, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes, 0, length < 0 ? bytes.length : length);
        }
    }

    private static List<String> titles(GrubConfig config) {
        return config.evaluate().menu().items().stream().map(item -> item.title()).toList();
    }

    private static void run(String... command) throws IOException {
        feed("", command);
    }

    /** Runs {@code command} with {@code stdin} as its input; a non-zero exit fails the test with its output. */
    private static void feed(String stdin, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, Prerequisites.program(command[0]).toString());
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        try {
            int status = p.waitFor();
            assertTrue(status == 0, line + " exited " + status + ": " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
