package jgrub.config.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import jgrub.config.ast.Position;
import jgrub.config.menu.EntryBody;

/**
 * {@code blscfg} (and its old name {@code bls_import}) as the GRUB of Fedora 39 and 40 has it (rhboot/grub2, branches
 * fedora-39 and fedora-40, grub-core/commands/blscfg.c, blob 6e398fc1): BootLoaderSpec Type #1 files become ordinary
 * menu entries whose text is generated, so that {@code menu}, {@code check} and {@code boot} see them as GRUB's menu
 * does.
 *
 * <p>Where the files are: {@code $blsdir}, else {@code /loader/entries/}, on the device {@code $root} names; when that
 * directory cannot be listed, {@code /boot/loader/entries/} on the same device ({@code find_entry}). {@code blscfg
 * (DEV)/DIR} reads DIR on DEV only; {@code blscfg (DEV)/PATH.conf} reads that one file. Only names ending in
 * {@code .conf}, longer than that and not starting with a dot, are read.
 *
 * <p>Each entry runs, when chosen, the text {@code create_entry} writes (variables in {@code options},
 * {@code grub_users} and {@code devicetree} are expanded when {@code blscfg} runs, GRUB's own way; the text is parsed
 * again when the entry runs):
 *
 * <pre>
 * [savedefault]                       when $save_default is "true"
 * load_video
 * set gfxpayload=keep
 * insmod gzio
 * linux ($root)LINUX OPTIONS          OPTIONS: the first options key, else $default_kernelopts
 * initrd ($root)EARLY... ($root)INITRD...   $early_initrd names, in the first initrd's directory; every initrd key
 * devicetree ($root)DTB               the devicetree key, else $devicetree in the kernel's directory
 * </pre>
 */
final class BlsConfig {

    /** The command's names: {@code bls_import} is the name it had first. */
    static final Set<String> COMMANDS = Set.of("blscfg", "bls_import");
    /** The module {@code insmod} loads it from. */
    static final String MODULE = "blscfg";

    /** GRUB_BLS_CONFIG_PATH. */
    static final String DIRECTORY = "/loader/entries/";
    /** Where {@code find_entry} looks when {@link #DIRECTORY} (or {@code $blsdir}) cannot be listed. */
    static final String FALLBACK_DIRECTORY = "/boot" + DIRECTORY;
    /** GRUB_BOOT_DEVICE of a non-emu build: every file name in the generated text starts with it. */
    static final String BOOT_DEVICE = "($root)";
    /** A larger entry file is not read (GRUB would read it; no real one comes near). */
    static final int MAX_FILE = 1 << 20;

    private final Interpreter in;
    private final Position at;

    private BlsConfig(Interpreter in, Position at) {
        this.in = in;
        this.at = at;
    }

    /**
     * {@code grub_cmd_blscfg}: one argument may be {@code default} (only the entry {@code $default} names),
     * {@code non-default} (all others), {@code (DEV)/PATH} (where to read), or an id (only that entry).
     */
    static Status run(Interpreter in, List<String> args, Position at) {
        return new BlsConfig(in, at).run(args);
    }

    private Status run(List<String> args) {
        // GRUB loads the module of a command when it is first run (command.lst).
        in.modules.add(MODULE);
        String path = null;
        String onlyId = null;
        boolean showDefault = true;
        boolean showNonDefault = true;
        if (args.size() == 1) {
            String arg = args.get(0);
            if (arg.equals("default")) {
                showNonDefault = false;
            } else if (arg.equals("non-default")) {
                showDefault = false;
            } else if (arg.startsWith("(")) {
                path = arg;
            } else {
                onlyId = arg;
                showDefault = false;
                showNonDefault = false;
            }
        }
        List<BlsEntry> entries = new ArrayList<>();
        Status loaded = load(path, entries);
        if (!loaded.ok()) {
            return loaded;
        }
        String defaultEntry = in.env.get("default");
        int index = 0;
        for (BlsEntry entry : entries) {
            boolean isDefault = isDefault(defaultEntry, entry, index);
            if (showDefault && isDefault || showNonDefault && !isDefault || entry.id().equals(onlyId)) {
                create(entry);
            }
            index++;
        }
        return Status.OK;
    }

    // ---------------------------------------------------------------------------------------------- reading

    /** {@code bls_load_entries} and {@code find_entry}: the entries, sorted as {@link BlsOrder} inserts them. */
    private Status load(String path, List<BlsEntry> entries) {
        DiskView disk = in.options.disk();
        String device = null;
        String directory = null;
        if (path != null && path.endsWith(".conf")) {
            GrubPath file = GrubPath.resolve(path, in.env.get("root"));
            if (!disk.readable(file.device())) {
                return skipped("blscfg did not read " + file);
            }
            String name = file.path().substring(file.path().lastIndexOf('/') + 1);
            try {
                readEntry(file.device(), file.path(), name, entries);
            } catch (java.nio.file.NoSuchFileException e) {
                return Status.error(GrubError.FILE_NOT_FOUND, "file `" + path + "' not found");
            } catch (IOException e) {
                return Status.error(GrubError.READ_ERROR, e.getMessage());
            }
            return Status.OK;
        } else if (path != null) {
            int close = path.indexOf(')');
            if (close < 0) {
                return Status.error(GrubError.BAD_ARGUMENT, "Filepath isn't correct");
            }
            device = path.substring(1, close);
            directory = path.substring(close + 1);
        }
        if (device == null) {
            device = in.env.get("root");
            if (device == null) {
                return Status.error(GrubError.FILE_NOT_FOUND, "variable `root' isn't set");
            }
        }
        if (!disk.readable(device)) {
            return skipped("blscfg did not look for entries on (" + device + ")");
        }
        String name = device;
        if (disk.devices().stream().noneMatch(d -> d.name().equals(name))) {
            return Status.error(GrubError.UNKNOWN_DEVICE, "disk `" + device + "' not found");
        }
        if (directory != null) {
            readDirectory(device, directory, entries);
            return Status.OK;
        }
        String blsdir = in.env.get("blsdir");
        if (!readDirectory(device, blsdir == null ? DIRECTORY : blsdir, entries)) {
            readDirectory(device, FALLBACK_DIRECTORY, entries);
        }
        return Status.OK;
    }

    private Status skipped(String what) {
        in.note(new Notice(Notice.Kind.DISK_SKIPPED, at, what + " (" + Interpreter.unreadable(in.options.disk())
                + ")"));
        return Status.OK;
    }

    /** One directory, as the file system's {@code fs_dir} with {@code read_entry}; false when it cannot be listed. */
    private boolean readDirectory(String device, String directory, List<BlsEntry> entries) {
        // GRUB's file systems want an absolute name; several slashes in a row are one.
        if (!directory.startsWith("/")) {
            return false;
        }
        String dir = directory.replaceAll("/+", "/");
        if (dir.length() > 1 && dir.endsWith("/")) {
            dir = dir.substring(0, dir.length() - 1);
        }
        List<DiskView.DirEntry> names;
        try {
            names = in.options.disk().list(device, dir);
        } catch (IOException e) {
            return false;
        }
        for (DiskView.DirEntry e : names) {
            String name = e.name();
            if (name.startsWith(".") || name.length() <= 5 || !name.endsWith(".conf") || e.directory()) {
                continue;
            }
            String file = (dir.equals("/") ? "" : dir) + "/" + name;
            if (e.size() > MAX_FILE) {
                in.note(new Notice(Notice.Kind.DISK_SKIPPED, at, "blscfg did not read (" + device + ")" + file
                        + ": " + e.size() + " bytes, more than a BootLoaderSpec entry can be (unsupported)"));
                continue;
            }
            try {
                readEntry(device, file, name, entries);
            } catch (IOException ex) {
                // read_entry skips a file it cannot open.
            }
        }
        return true;
    }

    private void readEntry(String device, String file, String name, List<BlsEntry> entries) throws IOException {
        String text = new String(in.options.disk().read(device, file), StandardCharsets.UTF_8);
        String id = name.endsWith(".conf") ? name.substring(0, name.length() - 5) : name;
        BlsOrder.insert(entries, BlsEntry.parse(id, text));
    }

    // ---------------------------------------------------------------------------------------------- entries

    /**
     * {@code is_default_entry}: {@code $default} is the entry's id, its title, or its position in the sorted list
     * (entries without a kernel counted too).
     */
    private static boolean isDefault(String defaultEntry, BlsEntry entry, int index) {
        if (defaultEntry == null) {
            return false;
        }
        if (defaultEntry.equals(entry.id()) || defaultEntry.equals(entry.value("title"))) {
            return true;
        }
        Long number = jgrub.config.menu.Selectors.strtoul(defaultEntry.startsWith("-")
                ? defaultEntry.substring(1) : defaultEntry);
        return number != null && !defaultEntry.startsWith("-") && number == index;
    }

    /** What {@code create_entry} hands to {@code grub_normal_add_menu_entry}. */
    record Generated(String title, String id, List<String> classes, Optional<String> users,
            Optional<String> hotkey, List<String> args, String source) {
    }

    /**
     * {@code create_entry}: the menu entry for one file, or empty for a file without a {@code linux} key (GRUB skips
     * it). {@code env} reads GRUB's variables as they are when {@code blscfg} runs.
     */
    static Optional<Generated> generate(BlsEntry entry, UnaryOperator<String> env) {
        String linux = entry.value("linux");
        if (linux == null) {
            return Optional.empty();
        }
        String title = entry.value("title");
        String options = expand(entry.value("options"), env);
        if (options == null) {
            options = expand(env.apply("default_kernelopts"), env);
        }
        List<String> initrds = entry.values("initrd");
        String devicetree = expand(entry.value("devicetree"), env);
        boolean devicetreeInKernelDirectory = false;
        if (devicetree == null) {
            devicetree = expand(env.apply("devicetree"), env);
            devicetreeInKernelDirectory = true;
        }
        String users = expand(entry.value("grub_users"), env);
        List<String> args = new ArrayList<>();
        args.add(title != null ? title : linux);
        args.addAll(entry.values("grub_arg"));

        StringBuilder source = new StringBuilder();
        if ("true".equals(env.apply("save_default"))) {
            source.append("savedefault\n");
        }
        source.append("load_video\nset gfxpayload=keep\ninsmod gzio\n");
        source.append("linux ").append(BOOT_DEVICE).append(linux);
        if (options != null) {
            source.append(' ').append(options);
        }
        source.append('\n');
        String earlyInitrd = env.apply("early_initrd");
        if (earlyInitrd != null || !initrds.isEmpty()) {
            source.append("initrd");
            if (earlyInitrd != null) {
                // early_initrd_list splits at every single space; the names live where the first initrd (else the
                // kernel) does.
                String prefix = directoryOf(initrds.isEmpty() ? linux : initrds.get(0));
                for (String early : earlyInitrd.split(" ", -1)) {
                    source.append(' ').append(BOOT_DEVICE).append(prefix).append(early);
                }
            }
            for (String initrd : initrds) {
                source.append(' ').append(BOOT_DEVICE).append(initrd);
            }
            source.append('\n');
        }
        if (devicetree != null) {
            source.append("devicetree ").append(BOOT_DEVICE);
            if (devicetreeInKernelDirectory) {
                source.append(directoryOf(linux));
            }
            source.append(devicetree).append('\n');
        }
        return Optional.of(new Generated(args.get(0), menuId(entry.id()), entry.values("grub_class"),
                Optional.ofNullable(users), Optional.ofNullable(entry.value("grub_hotkey")), List.copyOf(args),
                source.toString()));
    }

    /**
     * The id: {@code create_entry} cuts a {@code .conf} the file name still ends with ({@code x.conf.conf} is
     * {@code x}). A {@code .conf} earlier in the name makes its loop search the same place forever: GRUB hangs.
     */
    static String menuId(String fileId) {
        int dotConf = fileId.indexOf(".conf");
        if (dotConf < 0) {
            return fileId;
        }
        if (dotConf + 5 == fileId.length()) {
            return fileId.substring(0, dotConf);
        }
        return null;
    }

    /** Up to and including the last slash; GRUB has no case for a name without one, taken here as no directory. */
    private static String directoryOf(String file) {
        return file.substring(0, file.lastIndexOf('/') + 1);
    }

    private void create(BlsEntry entry) {
        Optional<Generated> made = generate(entry, in.env::get);
        if (made.isEmpty()) {
            return;
        }
        Generated g = made.get();
        if (g.id() == null) {
            in.note(new Notice(Notice.Kind.LIMIT, at, "blscfg: GRUB hangs on the entry file name `" + entry.id()
                    + ".conf' (\".conf\" inside the name)"));
            throw new Interpreter.Halt("blscfg hangs");
        }
        // GRUB marks an entry visible while the menu holding it lives: blscfg run again adds it once only.
        boolean shown = in.menu.stream().anyMatch(item -> !item.submenu() && item.id().equals(g.id())
                && item.body().text().equals(g.source()));
        if (shown) {
            return;
        }
        in.menu.add(new Interpreter.RawItem(false, g.title(), g.id(), g.classes(), g.hotkey(), g.users(),
                g.users().isPresent(), g.args(), new EntryBody(g.source(), Optional.empty(), at), at));
    }

    // ---------------------------------------------------------------------------------------------- expansion

    /**
     * {@code expand_val}, quirks kept since the menu depends on them: {@code $NAME} (letters, digits, {@code _}) is
     * replaced by the variable's value and one space, or by nothing when it is unset; the blank after a name is
     * dropped; text of a single character before a {@code $} or at the very end is lost; null (as GRUB's NULL, "no
     * value") when nothing was appended, or when an unset variable is followed at once by another {@code $}.
     */
    static String expand(String value, UnaryOperator<String> env) {
        if (value == null) {
            return null;
        }
        StringBuilder buffer = null;
        int start = 0;
        int end = 0;
        boolean isVar = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '$') {
                if (start != end) {
                    buffer = append(isVar, buffer, value.substring(start, end + 1), env);
                    if (buffer == null) {
                        return null;
                    }
                }
                isVar = true;
                start = i + 1;
            } else if (isVar && !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
                buffer = append(true, buffer, value.substring(start, end + 1), env);
                isVar = false;
                start = c == ' ' ? i + 1 : i;
            }
            end = i;
        }
        if (start != end) {
            buffer = append(isVar, buffer, value.substring(start, Math.max(start, end + 1)), env);
        }
        return buffer == null ? null : buffer.toString();
    }

    /** {@code field_append}: a variable's value and a space, or the text itself. */
    private static StringBuilder append(boolean isVar, StringBuilder buffer, String field, UnaryOperator<String> env) {
        String text = field;
        if (isVar) {
            text = env.apply(field);
            if (text == null) {
                return buffer;
            }
        }
        StringBuilder out = buffer == null ? new StringBuilder() : buffer;
        out.append(text);
        if (isVar) {
            out.append(' ');
        }
        return out;
    }
}
