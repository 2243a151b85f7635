package jgrub.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jgrub.config.menu.Menu;
import jgrub.config.menu.MenuItem;
import jgrub.grub.GrubConfig;
import jgrub.grub.ResolvedMenu;
import jgrub.json.Json;

/**
 * The JSON of {@code menu --json}, as {@code menu.schema.json} (beside this class) describes it: the menu's settings and
 * every entry with the boot commands it runs and the files they name. Every key is always present; what is unknown is
 * null. Scripts depend on it: add keys, never rename or remove them.
 */
final class MenuJson {

    /** The format's version: {@code 1}; a change that is not an added key makes it 2. */
    static final int VERSION = 1;

    private MenuJson() {
    }

    static String write(GrubConfig config, ResolvedMenu resolved) {
        Menu menu = resolved.menu();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", VERSION);
        json.put("config", config.name());
        json.put("platform", config.options().platform().grubPlatform());
        json.put("diskChecked", config.disk().isPresent());
        json.put("timeout", menu.timeout().orElse(null));
        json.put("timeoutStyle", menu.timeoutStyle().orElse(null));
        json.put("default", menu.defaultEntry().orElse(null));
        json.put("defaultPath", menu.defaultPath().orElse(null));
        String fallback = menu.fallback().orElse("").trim();
        json.put("fallback", fallback.isEmpty() ? List.of() : Arrays.asList(fallback.split("\\s+")));
        json.put("entries", items(resolved.items()));
        return Json.write(json);
    }

    private static List<Object> items(List<ResolvedMenu.Item> items) {
        List<Object> out = new ArrayList<>();
        for (ResolvedMenu.Item item : items) {
            Map<String, Object> json = new LinkedHashMap<>();
            MenuItem menuItem = item.item();
            json.put("type", item instanceof ResolvedMenu.SubmenuItem ? "submenu" : "entry");
            json.put("path", menuItem.path());
            json.put("title", menuItem.title());
            json.put("id", menuItem.id());
            json.put("classes", menuItem.classes());
            json.put("hotkey", menuItem.hotkey().orElse(null));
            if (item instanceof ResolvedMenu.Entry entry) {
                json.put("boots", entry.boots());
                json.put("commands", commands(entry.commands()));
            } else if (item instanceof ResolvedMenu.SubmenuItem submenu) {
                json.put("entries", items(submenu.items()));
            }
            out.add(json);
        }
        return out;
    }

    private static List<Object> commands(List<ResolvedMenu.Command> commands) {
        List<Object> out = new ArrayList<>();
        for (ResolvedMenu.Command command : commands) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", command.name());
            json.put("args", command.args());
            List<Object> files = new ArrayList<>();
            for (ResolvedMenu.FileRef file : command.files()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("device", file.device());
                f.put("path", file.path());
                f.put("size", file.size().orElse(null));
                f.put("sha256", file.sha256().orElse(null));
                files.add(f);
            }
            json.put("files", files);
            json.put("error", command.error().orElse(null));
            out.add(json);
        }
        return out;
    }
}
