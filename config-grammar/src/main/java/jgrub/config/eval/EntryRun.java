package jgrub.config.eval;

import java.util.List;
import java.util.Optional;
import jgrub.config.menu.MenuEntry;

/**
 * What running one menu entry did.
 *
 * @param entry    the entry that ran (after following submenus and their defaults), or empty when the menu is empty
 * @param notices  what the run noticed (failed commands, unknown commands, ...), in order
 * @param output   what GRUB would have printed
 * @param booted   whether {@code boot} (explicit, or the implicit one after the entry's commands) succeeded
 * @param fellBack notes on how the selector was resolved when it named no entry (GRUB then takes entry 0)
 */
public record EntryRun(Optional<MenuEntry> entry, List<Notice> notices, String output, boolean booted,
        List<String> fellBack) {

    public EntryRun {
        notices = List.copyOf(notices);
        fellBack = List.copyOf(fellBack);
    }
}
