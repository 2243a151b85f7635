package jgrub.grub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jgrub.boot.BootException;
import jgrub.boot.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which boots {@code check --boot} makes, and how a CI matrix shares them. */
class EntryBootsTest {

    static final String CONFIG = """
            menuentry A --id a {
                multiboot2 /xen.gz
            }
            submenu S --id s {
                menuentry B --id b {
                    multiboot2 /xen.gz
                }
                menuentry C {
                    linux /vmlinuz
                }
            }
            menuentry D {
                chainloader /xen.efi
            }
            """;

    static GrubBoot grub(Path dir) throws Exception {
        return GrubBoot.of(GrubConfig.fromHost(Files.writeString(dir.resolve("grub.cfg"), CONFIG), Platform.EFI));
    }

    @Test
    void everyEntry_submenusIncluded_onEachPlatform(@TempDir Path dir) throws Exception {
        List<EntryBoots.Case> cases = EntryBoots.cases(grub(dir), List.of(), List.of(Platform.EFI, Platform.PC));
        assertEquals(List.of("0 efi", "0 pc", "1>0 efi", "1>0 pc", "1>1 efi", "1>1 pc", "2 efi", "2 pc"),
                cases.stream().map(c -> c.path() + " " + c.platform().grubPlatform()).toList());
        assertEquals("1>0 `B' (pc)", cases.get(3).name());
    }

    @Test
    void selectors_nameEntriesByPathTitleOrId(@TempDir Path dir) throws Exception {
        List<EntryBoots.Case> cases = EntryBoots.cases(grub(dir), List.of("s>b", "D", "0"), List.of(Platform.PC));
        assertEquals(List.of("1>0", "2", "0"), cases.stream().map(EntryBoots.Case::path).toList());
        BootException none = assertThrows(BootException.class,
                () -> EntryBoots.cases(grub(dir), List.of("nope"), List.of(Platform.PC)));
        assertEquals("--entries: `nope' names no menu entry", none.getMessage());
        BootException submenu = assertThrows(BootException.class,
                () -> EntryBoots.cases(grub(dir), List.of("s"), List.of(Platform.PC)));
        assertEquals("--entries: `s' is a submenu; name its entries", submenu.getMessage());
    }

    @Test
    void shards_splitTheCasesWithoutOverlap_andCoverThemAll(@TempDir Path dir) throws Exception {
        List<EntryBoots.Case> cases = EntryBoots.cases(grub(dir), List.of(), List.of(Platform.EFI, Platform.PC));
        List<EntryBoots.Case> union = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
            List<EntryBoots.Case> shard = EntryBoots.shard(cases, k, 3);
            assertEquals(shard, EntryBoots.shard(cases, k, 3), "the same shard every time");
            union.addAll(shard);
        }
        assertEquals(cases.size(), union.size());
        assertEquals(Set.copyOf(cases), Set.copyOf(union));
        assertThrows(IllegalArgumentException.class, () -> EntryBoots.shard(cases, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> EntryBoots.shard(cases, 0, 3));
    }

    @Test
    void aBootThatCannotStart_isAFailedOutcomeWithTheReason(@TempDir Path dir) throws Exception {
        EntryBoots.Outcome outcome = EntryBoots.boot(dir.resolve("no-such.img"), null,
                new EntryBoots.Case("0", "A", Platform.PC), jgrub.machine.MachineOptions.defaults());
        assertEquals(false, outcome.passed());
        assertEquals(true, outcome.message().contains("no-such.img"), outcome.message());
    }
}
