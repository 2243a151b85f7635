package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jgrub.fat.write.EspBuilder;
import jgrub.json.Json;
import jgrub.testing.FedoraBls;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Fedora-style disk whose menu comes from BootLoaderSpec entries: the ESP holds Fedora's stub
 * {@code /EFI/fedora/grub.cfg}, and, as /boot, the {@code grub2} directory with Fedora 39's grub.cfg
 * ({@link FedoraBls#grubCfg}) and its grubenv, the kernels and {@code /loader/entries/*.conf} as kernel-install
 * writes them.
 */
class FedoraBlsDiskTest {

    static final String MID = FedoraBls.MACHINE_ID;
    static final String ROOT_UUID = FedoraBls.ROOT_UUID;

    /** 10_linux's device set-up for /boot on the ESP, whose serial is 4A47-5242. */
    static final String DEVICES = """
            insmod part_gpt
            insmod fat
            set root='hd0,gpt1'
            if [ x$feature_platform_search_hint = xy ]; then
              search --no-floppy --fs-uuid --set=root --hint-bios=hd0,gpt1 --hint-efi=hd0,gpt1 --hint-baremetal=ahci0,gpt1  4A47-5242
            else
              search --no-floppy --fs-uuid --set=root 4A47-5242
            fi
            insmod part_gpt
            insmod fat
            set boot='hd0,gpt1'
            if [ x$feature_platform_search_hint = xy ]; then
              search --no-floppy --fs-uuid --set=boot --hint-bios=hd0,gpt1 --hint-efi=hd0,gpt1 --hint-baremetal=ahci0,gpt1  4A47-5242
            else
              search --no-floppy --fs-uuid --set=boot 4A47-5242
            fi

            """;

    /** Fedora's ESP stub (without --root-dev-only, an option of Fedora's search that jgrub's does not have). */
    static final String STUB = """
            search --no-floppy --fs-uuid --set=dev 4A47-5242
            set prefix=($dev)/grub2

            export $prefix
            configfile $prefix/grub.cfg
            """;

    @TempDir
    static Path dir;
    static Path image;

    /** grub2-editenv's file: the variables, then '#' up to 1024 bytes. */
    static String grubenv(String... lines) {
        StringBuilder block = new StringBuilder("# GRUB Environment Block\n");
        for (String line : lines) {
            block.append(line).append('\n');
        }
        return block.append("#".repeat(1024 - block.length())).toString();
    }

    @BeforeAll
    static void disk() throws IOException {
        EspBuilder esp = new EspBuilder(96L << 20).serial(0x4A475242L).label("FEDORA-ESP")
                .add(write("stub.cfg", STUB), "/EFI/fedora/grub.cfg")
                .add(write("grub.cfg", FedoraBls.grubCfg(DEVICES)), "/grub2/grub.cfg")
                .add(write("grubenv", grubenv("kernelopts=" + FedoraBls.KERNELOPTS,
                        "saved_entry=" + MID + "-6.8.9-300.fc40.x86_64", "boot_success=0")), "/grub2/grubenv");
        for (String version : FedoraBls.VERSIONS) {
            esp.add(write(version + ".conf", FedoraBls.entry(version)), "/loader/entries/" + FedoraBls.id(version)
                    + ".conf")
                    .add(Prerequisites.payload("vmlinuz"), "/vmlinuz-" + version)
                    .add(write("initramfs-" + version, "initramfs " + version), "/initramfs-" + version + ".img");
        }
        String rescue = "0-rescue-" + MID;
        esp.add(write("rescue.conf", FedoraBls.rescueEntry()), "/loader/entries/" + MID + "-0-rescue.conf")
                .add(Prerequisites.payload("vmlinuz"), "/vmlinuz-" + rescue)
                .add(write("initramfs-rescue", "rescue initramfs"), "/initramfs-" + rescue + ".img");
        image = dir.resolve("fedora.img");
        esp.write(image, false);
    }

    static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void menu_listsTheEntriesNewestFirst_defaultFromSavedEntry() {
        MainTest.Run run = MainTest.Run.of("menu", "--disk", image.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(String.join("\n",
                "timeout: 5 s, style menu",
                "default: `" + MID + "-6.8.9-300.fc40.x86_64' -> 1",
                "fallback: none",
                "   0      \"Fedora Linux (6.10.12-200.fc40.x86_64) 39 (Workstation Edition)\"  id=" + MID
                        + "-6.10.12-200.fc40.x86_64  class=fedora",
                "*  1      \"Fedora Linux (6.8.9-300.fc40.x86_64) 39 (Workstation Edition)\"  id=" + MID
                        + "-6.8.9-300.fc40.x86_64  class=fedora",
                "   2      \"Fedora Linux (6.5.6-300.fc39.x86_64) 39 (Workstation Edition)\"  id=" + MID
                        + "-6.5.6-300.fc39.x86_64  class=fedora",
                "   3      \"Fedora Linux (0-rescue-" + MID + ") 39 (Workstation Edition)\"  id=" + MID
                        + "-0-rescue  class=fedora",
                "   4      \"UEFI Firmware Settings\"  id=uefi-firmware",
                ""), run.out());
    }

    @Test
    void menuJson_eachEntryBootsItsKernelWithKerneloptsFromGrubenv() throws IOException {
        MainTest.Run run = MainTest.Run.of("menu", "--json", "--disk", image.toString());
        assertEquals(0, run.code(), run.err());
        Map<?, ?> menu = (Map<?, ?>) Json.parse(run.out().strip());
        Map<?, ?> newest = (Map<?, ?>) ((List<?>) menu.get("entries")).get(0);
        assertEquals(true, newest.get("boots"));
        List<?> commands = (List<?>) newest.get("commands");
        assertEquals(List.of("linux", "initrd", "boot"),
                commands.stream().map(c -> ((Map<?, ?>) c).get("name")).toList());
        assertEquals(List.of("(hd0,gpt1)/vmlinuz-6.10.12-200.fc40.x86_64", "root=UUID=" + ROOT_UUID, "ro", "rhgb",
                "quiet"), ((Map<?, ?>) commands.get(0)).get("args"));
        Map<?, ?> kernel = (Map<?, ?>) ((List<?>) ((Map<?, ?>) commands.get(0)).get("files")).get(0);
        assertEquals(Files.size(Prerequisites.payload("vmlinuz")), kernel.get("size"));
        assertEquals(List.of("(hd0,gpt1)/initramfs-6.10.12-200.fc40.x86_64.img"),
                ((Map<?, ?>) commands.get(1)).get("args"));
    }

    @Test
    void check_findsNoProblem_theKernelsAreRealLinuxImages() {
        MainTest.Run run = MainTest.Run.of("check", "--disk", image.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().startsWith("(hd0,gpt1)/EFI/fedora/grub.cfg: 0 error(s)"), run.out());
    }
}
