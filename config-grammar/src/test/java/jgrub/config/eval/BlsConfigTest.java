package jgrub.config.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jgrub.config.menu.MenuEntry;
import jgrub.config.menu.MenuItem;
import jgrub.testing.FedoraBls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code blscfg} as Fedora 39's GRUB runs it (rhboot/grub2 fedora-39, grub-core/commands/blscfg.c), on a Fedora-style
 * /boot partition: BootLoaderSpec entries written by kernel-install, a grubenv written by grub2-editenv.
 */
class BlsConfigTest {

    static final String MID = FedoraBls.MACHINE_ID;
    static final String UUID = FedoraBls.ROOT_UUID;

    /** Fedora 39's grub.cfg with /boot on hd0,gpt2. */
    static final String CONFIG = FedoraBls.grubCfg("insmod part_gpt\ninsmod ext2\nset root='hd0,gpt2'\n\n");

    static String grubenv(Map<String, String> vars) {
        return GrubEnvBlock.format(new LinkedHashMap<>(vars));
    }

    /** The ESP (hd0,gpt1) and /boot (hd0,gpt2), entries in the order a directory might list them. */
    static MemoryDisk fedora(Map<String, String> env) {
        MemoryDisk disk = new MemoryDisk().file("hd0,gpt1", "/EFI/fedora/grub.cfg", "configfile x")
                .file("hd0,gpt2", "/grub2/grubenv", grubenv(env))
                .file("hd0,gpt2", "/loader/entries/" + MID + "-6.5.6-300.fc39.x86_64.conf",
                        FedoraBls.entry("6.5.6-300.fc39.x86_64"))
                .file("hd0,gpt2", "/loader/entries/" + MID + "-0-rescue.conf", FedoraBls.rescueEntry())
                .file("hd0,gpt2", "/loader/entries/" + MID + "-6.10.12-200.fc40.x86_64.conf",
                        FedoraBls.entry("6.10.12-200.fc40.x86_64"))
                .file("hd0,gpt2", "/loader/entries/" + MID + "-6.8.9-300.fc40.x86_64.conf",
                        FedoraBls.entry("6.8.9-300.fc40.x86_64"))
                .file("hd0,gpt2", "/loader/entries/.hidden.conf", FedoraBls.entry("9.9.9-1.fc40.x86_64"))
                .file("hd0,gpt2", "/loader/entries/README", "not an entry")
                .file("hd0,gpt2", "/loader/entries/.conf", "linux /x");
        for (String v : List.of(FedoraBls.VERSIONS.get(0), FedoraBls.VERSIONS.get(1), FedoraBls.VERSIONS.get(2),
                "0-rescue-" + MID)) {
            disk.file("hd0,gpt2", "/vmlinuz-" + v, "kernel").file("hd0,gpt2", "/initramfs-" + v + ".img", "initrd");
        }
        return disk;
    }

    static final Map<String, String> ENV = Map.of("kernelopts", FedoraBls.KERNELOPTS,
            "saved_entry", MID + "-6.8.9-300.fc40.x86_64", "boot_success", "0");

    static Evaluation evaluate(String config, DiskView disk) {
        return ConfigEvaluator.evaluate("/grub2/grub.cfg", config, EvalOptions.defaults().withDisk(disk)
                .withRoot("hd0,gpt2", "(hd0,gpt2)/grub2"));
    }

    static List<MenuEntry> entries(Evaluation evaluation) {
        return evaluation.menu().items().stream().map(MenuEntry.class::cast).toList();
    }

    @Test
    void fedoraTree_newestKernelFirst_rescueLast_thenTheConfigsOwnEntries() {
        Evaluation evaluation = evaluate(CONFIG, fedora(ENV));
        assertEquals(List.of(), evaluation.notices());
        List<MenuEntry> entries = entries(evaluation);
        assertEquals(List.of(
                "Fedora Linux (6.10.12-200.fc40.x86_64) 39 (Workstation Edition)",
                "Fedora Linux (6.8.9-300.fc40.x86_64) 39 (Workstation Edition)",
                "Fedora Linux (6.5.6-300.fc39.x86_64) 39 (Workstation Edition)",
                "Fedora Linux (0-rescue-" + MID + ") 39 (Workstation Edition)",
                "UEFI Firmware Settings"), entries.stream().map(MenuItem::title).toList());
        assertEquals(List.of(MID + "-6.10.12-200.fc40.x86_64", MID + "-6.8.9-300.fc40.x86_64",
                MID + "-6.5.6-300.fc39.x86_64", MID + "-0-rescue", "uefi-firmware"),
                entries.stream().map(MenuItem::id).toList());
        assertEquals(List.of("fedora"), entries.get(0).classes());
        // grub_users $grub_users with $grub_users unset: no users at all, so the entry is unrestricted.
        assertEquals(Optional.empty(), entries.get(0).users());
        assertEquals(false, entries.get(0).restricted());
        // grub_arg is a positional parameter, not an option: after the title.
        assertEquals(List.of("Fedora Linux (6.10.12-200.fc40.x86_64) 39 (Workstation Edition)", "--unrestricted"),
                entries.get(0).args());
    }

    @Test
    void savedEntry_namesABlsId_andIsTheDefault() {
        Evaluation evaluation = evaluate(CONFIG, fedora(ENV));
        assertEquals("1", evaluation.menu().defaultPath().orElseThrow());
    }

    @ParameterizedTest(name = "default={0}: upstream {1}, Fedora {2}")
    @CsvSource({
        // Upstream GRUB 2.06 reads a leading number first; Fedora's GRUB (a config with blscfg) an id first.
        "2a-x, 2, 1", "1, 1, 1", "1x, 1, -1", "b 2a-x, -1, -1", "Two, 0, 0", "0x1, 1, 1",
    })
    void selectors_upstreamAndFedora(String selector, int upstream, int fedora) {
        List<String> titles = List.of("Two", "A title", "C");
        List<String> ids = List.of("one", "2a-x", "b");
        assertEquals(upstream, jgrub.config.menu.Selectors.indexOf(jgrub.config.menu.Selectors.Lookup.UPSTREAM,
                titles, ids, selector));
        assertEquals(fedora, jgrub.config.menu.Selectors.indexOf(jgrub.config.menu.Selectors.Lookup.FEDORA,
                titles, ids, selector));
    }

    @Test
    void generatedText_isWhatCreateEntryWrites_kerneloptsExpandedWhenBlscfgRuns() {
        MenuEntry newest = entries(evaluate(CONFIG, fedora(ENV))).get(0);
        assertEquals("""
                load_video
                set gfxpayload=keep
                insmod gzio
                linux ($root)/vmlinuz-6.10.12-200.fc40.x86_64 root=UUID=%s ro rhgb quiet \n\
                initrd ($root)/initramfs-6.10.12-200.fc40.x86_64.img
                """.formatted(UUID), newest.body().text());
    }

    @Test
    void runningAnEntry_bootsItsKernelAndInitrdFromRoot() {
        MemoryDisk disk = fedora(ENV);
        Evaluation evaluation = evaluate(CONFIG, disk);
        RecordingBootCommands boot = new RecordingBootCommands(disk);
        EntryRun run = evaluation.runDefault(boot);
        assertTrue(run.booted(), run.notices().toString());
        assertEquals(List.of(), run.notices());
        assertEquals(List.of(
                "linux (hd0,gpt2)/vmlinuz-6.8.9-300.fc40.x86_64 root=UUID=" + UUID + " ro rhgb quiet",
                "initrd (hd0,gpt2)/initramfs-6.8.9-300.fc40.x86_64.img",
                "boot"), boot.commands().stream().map(BootCommand::toString).toList());
        assertEquals("hd0,gpt2", boot.commands().get(0).root());
    }

    @Test
    void rescueEntry_runsItsOwnOptions() {
        MemoryDisk disk = fedora(ENV);
        RecordingBootCommands boot = new RecordingBootCommands(disk);
        EntryRun run = evaluate(CONFIG, disk).run(MID + "-0-rescue", boot);
        assertTrue(run.booted());
        assertEquals("linux (hd0,gpt2)/vmlinuz-0-rescue-" + MID + " root=UUID=" + UUID + " ro rhgb quiet",
                boot.commands().get(0).toString());
    }

    @Test
    void saveDefault_true_addsSavedefault_whichWritesTheChosenId() {
        Map<String, String> env = new HashMap<>(ENV);
        env.put("save_default", "true");
        MemoryDisk disk = fedora(env);
        Evaluation evaluation = evaluate(CONFIG, disk);
        MenuEntry first = entries(evaluation).get(0);
        assertTrue(first.body().text().startsWith("savedefault\nload_video\n"), first.body().text());
        EntryRun run = evaluation.run(first, new RecordingBootCommands(disk));
        assertEquals(MID + "-6.10.12-200.fc40.x86_64", GrubEnvBlock.parse(run.environmentBlocks()
                .get("(hd0,gpt2)/grub2/grubenv")).get("saved_entry"));
    }

    @Test
    void noEntriesUnderLoader_fallsBackToBootLoaderEntries() {
        MemoryDisk disk = new MemoryDisk().file("hd0,gpt2", "/boot/loader/entries/a-1.0-1.conf",
                "title A\nlinux /boot/vmlinuz-1.0\noptions ro\n").file("hd0,gpt2", "/boot/vmlinuz-1.0", "k");
        List<MenuEntry> entries = entries(evaluate("set root=hd0,gpt2\nblscfg\n", disk));
        assertEquals(List.of("a-1.0-1"), entries.stream().map(MenuItem::id).toList());
        assertEquals("load_video\nset gfxpayload=keep\ninsmod gzio\nlinux ($root)/boot/vmlinuz-1.0 ro\n",
                entries.get(0).body().text());
    }

    @Test
    void emptyLoaderEntries_doesNotFallBack() {
        MemoryDisk disk = new MemoryDisk().file("hd0,gpt2", "/loader/entries/notes.txt", "x")
                .file("hd0,gpt2", "/boot/loader/entries/a-1.0-1.conf", "title A\nlinux /vmlinuz\n");
        assertEquals(List.of(), evaluate("set root=hd0,gpt2\nblscfg\n", disk).menu().items());
    }

    @Test
    void blsdir_isReadFirst_andFallsBackToBootLoaderEntriesToo() {
        MemoryDisk disk = new MemoryDisk()
                .file("hd0,gpt2", "/root/boot/loader/entries/b-2.0-1.conf", "title B\nlinux /vmlinuz-b\n")
                .file("hd0,gpt2", "/loader/entries/c-3.0-1.conf", "title C\nlinux /vmlinuz-c\n")
                .file("hd0,gpt2", "/boot/loader/entries/a-1.0-1.conf", "title A\nlinux /vmlinuz-a\n");
        assertEquals(List.of("B"), titles(evaluate(
                "set root=hd0,gpt2\nset blsdir=/root/boot/loader/entries\nblscfg\n", disk)));
        assertEquals(List.of("A"), titles(evaluate("set root=hd0,gpt2\nset blsdir=/nowhere\nblscfg\n", disk)));
    }

    @Test
    void explicitDirectory_onADevice_hasNoFallback() {
        MemoryDisk disk = new MemoryDisk().device("hd0,gpt1")
                .file("hd0,gpt2", "/boot/loader/entries/a-1.0-1.conf", "title A\nlinux /vmlinuz-a\n")
                .file("hd0,gpt2", "/mine/b-1.0-1.conf", "title B\nlinux /vmlinuz-b\n");
        assertEquals(List.of("B"), titles(evaluate("blscfg (hd0,gpt2)/mine\n", disk)));
        assertEquals(List.of(), titles(evaluate("blscfg (hd0,gpt2)/loader/entries\n", disk)));
        assertEquals(List.of("A"), titles(evaluate("blscfg (hd0,gpt2)/boot/loader/entries/a-1.0-1.conf\n", disk)));
    }

    @Test
    void onlyOneId_defaultOnly_nonDefaultOnly() {
        MemoryDisk disk = fedora(ENV);
        String head = "set root=hd0,gpt2\nset default=" + MID + "-6.8.9-300.fc40.x86_64\n";
        assertEquals(List.of(MID + "-6.5.6-300.fc39.x86_64"), ids(evaluate(head + "blscfg " + MID
                + "-6.5.6-300.fc39.x86_64\n", disk)));
        // is_default_entry also reads $default as a number, leading digits only: the machine id's "2" names the
        // third entry too.
        assertEquals(List.of(MID + "-6.8.9-300.fc40.x86_64", MID + "-6.5.6-300.fc39.x86_64"),
                ids(evaluate(head + "blscfg default\n", disk)));
        assertEquals(List.of(MID + "-6.10.12-200.fc40.x86_64", MID + "-0-rescue"),
                ids(evaluate(head + "blscfg non-default\n", disk)));
        // By index in the sorted list, and "blscfg" again adds only what is not shown yet.
        assertEquals(List.of(MID + "-6.5.6-300.fc39.x86_64", MID + "-6.10.12-200.fc40.x86_64",
                MID + "-6.8.9-300.fc40.x86_64", MID + "-0-rescue"),
                ids(evaluate("set root=hd0,gpt2\nset default=2\nblscfg default\nblscfg\nblscfg\n", disk)));
    }

    @Test
    void usersClassesHotkeyArgsAndSeveralInitrds() {
        MemoryDisk disk = new MemoryDisk().file("hd0,gpt2", "/loader/entries/x-5.0-1.conf", """
                title X
                linux /k/vmlinuz
                initrd /k/intel-ucode.img
                initrd /k/initrd.img
                options quiet
                options ignored-second
                grub_users $admins
                grub_class kernel
                grub_class os
                grub_arg one two
                grub_hotkey x
                """);
        MenuEntry e = entries(evaluate("set root=hd0,gpt2\nset admins=root\nset early_initrd=\"a.img b.img\"\n"
                + "blscfg\n", disk)).get(0);
        assertEquals(List.of("kernel", "os"), e.classes());
        assertEquals(Optional.of("root "), e.users());
        assertTrue(e.restricted());
        assertEquals(Optional.of("x"), e.hotkey());
        assertEquals(List.of("X", "one two"), e.args());
        assertEquals("load_video\nset gfxpayload=keep\ninsmod gzio\nlinux ($root)/k/vmlinuz quiet\n"
                + "initrd ($root)/k/a.img ($root)/k/b.img ($root)/k/intel-ucode.img ($root)/k/initrd.img\n",
                e.body().text());
    }

    @Test
    void noOptionsKey_takesDefaultKernelopts_andDevicetreeFromTheEnvironment() {
        MemoryDisk disk = new MemoryDisk().file("hd0,gpt2", "/loader/entries/x-5.0-1.conf",
                "linux /k/vmlinuz\n");
        MenuEntry e = entries(evaluate("set root=hd0,gpt2\nset default_kernelopts='root=/dev/vda ro'\n"
                + "set devicetree=board.dtb\nblscfg\n", disk)).get(0);
        assertEquals("/k/vmlinuz", e.title());
        assertEquals("load_video\nset gfxpayload=keep\ninsmod gzio\nlinux ($root)/k/vmlinuz root=/dev/vda ro\n"
                + "devicetree ($root)/k/board.dtb\n", e.body().text());
    }

    @Test
    void fileWithoutLinux_isSkipped_andEqualVersionsKeepTheFirst() {
        MemoryDisk disk = new MemoryDisk()
                .file("hd0,gpt2", "/loader/entries/m-1.0-1.conf", "title first\nlinux /a\n")
                .file("hd0,gpt2", "/loader/entries/m-1.00-1.conf", "title same version\nlinux /b\n")
                .file("hd0,gpt2", "/loader/entries/m-2.0-1.conf", "title no kernel\n");
        assertEquals(List.of("first"), titles(evaluate("set root=hd0,gpt2\nblscfg\n", disk)));
    }

    @Test
    void insmodBlscfg_isAccepted_andNoRootIsAnError() {
        Evaluation evaluation = evaluate("insmod blscfg\nunset root\nbls_import\n", new MemoryDisk());
        assertEquals(List.of("variable `root' isn't set"), evaluation.notices().stream().map(Notice::message)
                .toList());
    }

    @Test
    void dotConfTwice_isCutTwice_dotConfInside_hangsGrub() {
        MemoryDisk twice = new MemoryDisk().file("hd0,gpt2", "/loader/entries/x-1-1.conf.conf", "linux /k\n");
        assertEquals(List.of("x-1-1"), ids(evaluate("set root=hd0,gpt2\nblscfg\n", twice)));
        MemoryDisk inside = new MemoryDisk().file("hd0,gpt2", "/loader/entries/a.confb.conf", "linux /k\n");
        Evaluation evaluation = evaluate("set root=hd0,gpt2\nblscfg\nmenuentry after { true; }\n", inside);
        assertEquals(List.of(), evaluation.menu().items());
        assertEquals(List.of(Notice.Kind.LIMIT), evaluation.notices().stream().map(Notice::kind).toList());
    }

    @Test
    void unknownDevice_isGrubsError() {
        Evaluation evaluation = evaluate("blscfg (hd9)/loader/entries\n", new MemoryDisk().device("hd0,gpt2"));
        assertEquals(List.of("disk `hd9' not found"), evaluation.notices().stream().map(Notice::message).toList());
    }

    @Test
    void noDisk_isSkippedAndSaidSo() {
        Evaluation evaluation = ConfigEvaluator.evaluate("grub.cfg", "blscfg\n", EvalOptions.defaults());
        assertEquals(List.of(Notice.Kind.DISK_SKIPPED), evaluation.notices().stream().map(Notice::kind).toList());
    }

    // ---------------------------------------------------------------------------------------------- parts

    @ParameterizedTest(name = "vercmp({0}, {1}) = {2}")
    @CsvSource({
        // rpm's own rpmvercmp cases (rpm tests/rpmvercmp.at), as blscfg.c's copy answers them.
        "1.0, 1.0, 0", "1.0, 2.0, -1", "2.0, 1.0, 1", "2.0.1, 2.0.1, 0", "2.0, 2.0.1, -1", "2.0.1a, 2.0.1, 1",
        "5.5p1, 5.5p2, -1", "5.5p10, 5.5p1, 1", "10xyz, 10.1xyz, -1", "xyz10, xyz10.1, -1", "xyz.4, 8, -1",
        "8, xyz.4, 1", "5.5p1, 5.6p1, -1", "1b.fc17, 1.fc17, -1", "1.0~rc1, 1.0, -1", "1.0~rc1, 1.0~rc2, -1",
        "1.0~rc1~git123, 1.0~rc1, -1", "1.0+1, 1.0, 1", "1.0, 1.0+1, -1", "001, 1, 0", "6.10.12, 6.5.6, 1",
        "200.fc40.x86_64, 300.fc39.x86_64, -1", "a, 1, -1",
    })
    void vercmp_asRpm(String a, String b, int expected) {
        assertEquals(expected, BlsOrder.vercmp(a, b));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
        MID + "-6.10.12-200.fc40.x86_64, " + MID + "-6.5.6-300.fc39.x86_64, 1",
        MID + "-0-rescue, " + MID + "-6.5.6-300.fc39.x86_64, -1",
        // The name (machine id) decides first: another installation's entries sort by it.
        "b-1.0-1, a-9.0-1, 1",
        // No dash: all name.
        "abc, abd, -1",
    })
    void fileNames_compareAsNameVersionRelease(String a, String b, int expected) {
        assertEquals(expected, BlsOrder.compareIds(a, b));
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "$kernelopts|'root=UUID=x ro '",
        "$kernelopts $tuned_params|'root=UUID=x ro '",
        "$tuned_params $kernelopts|'root=UUID=x ro '",
        "root=/dev/sda1 ro $extra quiet|root=/dev/sda1 ro x=1 quiet",
        "ro quiet|ro quiet",
        "$extra/x|x=1 /x",
        "${kernelopts}|{kernelopts}",
        // A single character before a $ or at the very end is lost; one alone is no value at all.
        "a$extra|'x=1 '",
        "$extra b|'x=1 '",
        "x|NULL",
        "$unset|NULL",
        "$unset$extra|NULL",
    })
    void expandVal_quirksKept(String value, String expected) {
        Map<String, String> env = Map.of("kernelopts", "root=UUID=x ro", "extra", "x=1");
        assertEquals(expected, BlsConfig.expand(value, env::get));
    }

    @Test
    void parse_asReadEntry_anEmptyLineEndsTheFile() {
        BlsEntry e = BlsEntry.parse("x", "  # comment\r\ntitle  A title \nlinux\t/vmlinuz\noptions\tro quiet\n\n"
                + "initrd /lost\n");
        assertEquals(List.of(Map.entry("title", "A title "), Map.entry("linux", "/vmlinuz"),
                Map.entry("options\tro", "quiet")), e.keys());
        assertNull(e.value("initrd"));
    }

    static List<String> titles(Evaluation evaluation) {
        return evaluation.menu().items().stream().map(MenuItem::title).toList();
    }

    static List<String> ids(Evaluation evaluation) {
        return evaluation.menu().items().stream().map(MenuItem::id).toList();
    }
}
