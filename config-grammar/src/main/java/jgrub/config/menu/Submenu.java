package jgrub.config.menu;

import java.util.List;
import java.util.Optional;
import jgrub.config.ast.Position;

/**
 * A submenu. GRUB runs its body when it is chosen, in a fresh variable context that holds only exported variables;
 * {@link #menu()} is what that run produced (its items and its own default/timeout settings).
 */
public record Submenu(String path, String title, String id, List<String> classes, Optional<String> hotkey,
        Optional<String> users, boolean restricted, List<String> args, EntryBody body, Position position, Menu menu)
        implements MenuItem {

    public Submenu {
        classes = List.copyOf(classes);
        args = List.copyOf(args);
    }
}
