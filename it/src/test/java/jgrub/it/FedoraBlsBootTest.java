package jgrub.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import jgrub.fat.write.EspBuilder;
import jgrub.testing.FedoraBls;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Fedora-style disk boots its default BootLoaderSpec entry: Fedora's ESP stub hands over to Fedora 39's grub.cfg,
 * {@code blscfg} makes the menu from {@code /loader/entries}, grubenv's {@code saved_entry} picks the entry and its
 * {@code $kernelopts} the command line, and Linux (Debian's kernel under Fedora's names) reaches the initramfs marker
 * through {@code linux}/{@code initrd} on the BIOS platform.
 */
class FedoraBlsBootTest {

    static final String DEVICES = """
            insmod part_gpt
            insmod fat
            search --no-floppy --fs-uuid --set=root 4A47-5242
            set boot=$root
            """;

    @Test
    void theSavedEntry_bootsLinuxWithKerneloptsFromGrubenv(@TempDir Path dir) throws Exception {
        Prerequisites.program("qemu-system-x86_64");
        String marker = Files.readString(Prerequisites.payload("marker")).strip();
        String version = "6.8.9-300.fc40.x86_64";
        String kernelopts = "root=/dev/ram0 ro console=ttyS0,115200n8";
        StringBuilder grubenv = new StringBuilder("# GRUB Environment Block\nkernelopts=" + kernelopts
                + "\nsaved_entry=" + FedoraBls.id(version) + "\n");
        grubenv.append("#".repeat(1024 - grubenv.length()));
        EspBuilder esp = new EspBuilder(96L << 20).serial(0x4A475242L).label("FEDORA-ESP")
                .add(write(dir, "stub.cfg", "search --no-floppy --fs-uuid --set=dev 4A47-5242\n"
                        + "set prefix=($dev)/grub2\nexport $prefix\nconfigfile $prefix/grub.cfg\n"),
                        "/EFI/fedora/grub.cfg")
                .add(write(dir, "grub.cfg", FedoraBls.grubCfg(DEVICES)), "/grub2/grub.cfg")
                .add(write(dir, "grubenv", grubenv.toString()), "/grub2/grubenv");
        for (String v : List.of(version, "6.5.6-300.fc39.x86_64")) {
            esp.add(write(dir, v + ".conf", FedoraBls.entry(v)), "/loader/entries/" + FedoraBls.id(v) + ".conf")
                    .add(Prerequisites.payload("vmlinuz"), "/vmlinuz-" + v)
                    .add(Prerequisites.payload("initrd.img"), "/initramfs-" + v + ".img");
        }
        Path disk = dir.resolve("fedora.img");
        esp.write(disk, false);

        BootRun run = BootRun.of(List.of("boot", disk.toString(), "--platform", "pc", "--until",
                Pattern.quote(marker), "--timeout", "240"));
        String tail = run.tail();
        run.assertReached(marker);
        assertTrue(run.err().contains("booting menu entry 'Fedora Linux (" + version + ") 39 (Workstation Edition)'"),
                run.err());
        assertTrue(run.console().contains("Command line: BOOT_IMAGE=(hd0,gpt1)/vmlinuz-" + version + " "
                + kernelopts), tail);
    }

    static Path write(Path dir, String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
