package jgrub.config.menu;

import java.util.List;
import java.util.Optional;
import jgrub.config.ast.Position;

/** A menu entry that boots something when chosen. */
public record MenuEntry(String path, String title, String id, List<String> classes, Optional<String> hotkey,
        Optional<String> users, boolean restricted, List<String> args, EntryBody body, Position position)
        implements MenuItem {

    public MenuEntry {
        classes = List.copyOf(classes);
        args = List.copyOf(args);
    }
}
