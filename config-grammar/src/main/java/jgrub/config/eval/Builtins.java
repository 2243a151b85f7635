package jgrub.config.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import jgrub.boot.Platform;
import jgrub.config.ast.Block;
import jgrub.config.ast.Position;
import jgrub.config.menu.EntryBody;

/** The commands the evaluator runs itself, each after its GRUB 2.06 source (named in each method). */
final class Builtins {

    static final Set<String> EFI_COMMANDS = names("commands-efi.txt");
    static final Set<String> EFI_MODULES = names("modules-efi.txt");
    /** Commands only GRUB's i386-pc build has. */
    static final Set<String> PC_ONLY_COMMANDS = Set.of("drivemap", "sendkey", "lsapm", "vbeinfo", "vbetest",
            "pxechainloader", "ntldr", "freedos", "truecrypt", "plan9");
    /** Modules only GRUB's i386-pc build has. */
    static final Set<String> PC_ONLY_MODULES = Set.of("biosdisk", "vbe", "vga", "pxe", "drivemap", "ntldr",
            "freedos", "truecrypt", "plan9", "sendkey", "lsapm", "pci", "ata", "int13h");
    /** Modules only GRUB's EFI builds have. */
    static final Set<String> EFI_ONLY_MODULES = Set.of("efi_gop", "efi_uga", "efifwsetup", "efinet", "lsefi",
            "lsefimmap", "lsefisystab", "linuxefi", "appleldr", "fixvideo", "loadbios", "tpm");

    /** Commands that take a { ... } block as the block itself (GRUB_COMMAND_FLAG_BLOCKS). */
    static final Set<String> TAKES_BLOCK = Set.of("menuentry", "submenu");

    private static final OptionParser MENUENTRY = new OptionParser(true, false,
            new OptionParser.Option("class", (char) 1, OptionParser.Type.STRING, false, true),
            OptionParser.Option.string("users", (char) 2), OptionParser.Option.string("hotkey", (char) 3),
            OptionParser.Option.string("source", (char) 4), OptionParser.Option.string("id", (char) 0),
            OptionParser.Option.flag("unrestricted", (char) 0));
    private static final OptionParser ECHO = new OptionParser(true, true,
            OptionParser.Option.flag(null, 'n'), OptionParser.Option.flag(null, 'e'));
    private static final OptionParser SEARCH = new OptionParser(true, false,
            OptionParser.Option.flag("file", 'f'), OptionParser.Option.flag("label", 'l'),
            OptionParser.Option.flag("fs-uuid", 'u'),
            new OptionParser.Option("set", 's', OptionParser.Type.STRING, true, false),
            OptionParser.Option.flag("no-floppy", 'n'), OptionParser.Option.flag("efidisk-only", (char) 0),
            new OptionParser.Option("hint", 'h', OptionParser.Type.STRING, false, true),
            new OptionParser.Option("hint-ieee1275", (char) 0, OptionParser.Type.STRING, false, true),
            new OptionParser.Option("hint-bios", (char) 0, OptionParser.Type.STRING, false, true),
            new OptionParser.Option("hint-baremetal", (char) 0, OptionParser.Type.STRING, false, true),
            new OptionParser.Option("hint-efi", (char) 0, OptionParser.Type.STRING, false, true),
            new OptionParser.Option("hint-arc", (char) 0, OptionParser.Type.STRING, false, true));
    private static final OptionParser ENV_FILE = new OptionParser(false, false,
            OptionParser.Option.string("file", 'f'), OptionParser.Option.flag("skip-sig", 's'));
    private static final OptionParser PROBE = new OptionParser(false, false,
            OptionParser.Option.string("set", 's'), OptionParser.Option.flag("driver", 'd'),
            OptionParser.Option.flag("partmap", 'p'), OptionParser.Option.flag("fs", 'f'),
            OptionParser.Option.flag("fs-uuid", 'u'), OptionParser.Option.flag("label", 'l'),
            OptionParser.Option.flag("part-uuid", (char) 0));
    private static final OptionParser REGEXP = new OptionParser(false, false,
            new OptionParser.Option("set", 's', OptionParser.Type.STRING, false, true));

    private final Interpreter in;

    Builtins(Interpreter in) {
        this.in = in;
    }

    private static Set<String> names(String resource) {
        Set<String> out = new HashSet<>();
        try (InputStream stream = Builtins.class.getResourceAsStream(resource)) {
            if (stream == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource, e);
        }
        return Set.copyOf(out);
    }

    /** Whether GRUB on this platform has a command by this name. */
    boolean knows(String name) {
        if (PC_ONLY_COMMANDS.contains(name)) {
            return in.options.platform() == Platform.PC;
        }
        return EFI_COMMANDS.contains(name) || "[".equals(name) || ".".equals(name)
                || BlsConfig.COMMANDS.contains(name);
    }

    Status run(String name, List<String> args, Block block, Position at) {
        if (BootCommands.NAMES.contains(name)) {
            return bootCommand(name, args, at);
        }
        switch (name) {
            case "break": return in.breakLoop(false, args);
            case "continue": return in.breakLoop(true, args);
            case "shift": return in.shift(args);
            case "setparams": return in.setparams(args);
            case "return": return in.returnFromFunction(args);
            case "set": return set(args);
            case "unset":
                if (args.isEmpty()) {
                    return Status.error(GrubError.BAD_ARGUMENT, "one argument expected");
                }
                in.env.unset(args.get(0));
                return Status.OK;
            case "export":
                if (args.isEmpty()) {
                    return Status.error(GrubError.BAD_ARGUMENT, "one argument expected");
                }
                for (String arg : args) {
                    in.env.export(arg);
                }
                return Status.OK;
            case "echo": return echo(args);
            case "true": return Status.OK;
            case "false": return Status.error(GrubError.TEST_FAILURE, "false");
            case "test", "[": return Test.run(in, args);
            case "eval":
                in.runSource(String.join(" ", args), at);
                return Status.OK;
            case "source", ".":
                if (args.size() != 1) {
                    return Status.error(GrubError.BAD_ARGUMENT, "filename expected");
                }
                return in.runFile(args.get(0));
            case "configfile", "normal":
                return configfile(args);
            case "insmod": return insmod(args);
            case "rmmod", "lsmod", "terminal_output", "terminal_input", "terminfo", "serial", "loadfont",
                    "background_image", "background_color", "play", "sleep", "clear", "gettext", "videoinfo",
                    "lsfonts", "lsefi", "lsmmap", "tpm", "help", "hexdump":
                return Status.OK;
            case "keystatus": return Status.error(GrubError.TEST_FAILURE, "false");
            case "search": return search(SEARCH.parse(args));
            case "search.file", "search.fs_uuid", "search.fs_label":
                return searchSimple(name.substring(name.indexOf('.') + 1), args);
            case "load_env": return loadEnv(args);
            case "save_env": return saveEnv(args);
            case "list_env": return Status.OK;
            case "menuentry": return menuentry(false, args, block, at);
            case "submenu": return menuentry(true, args, block, at);
            case "halt", "reboot", "exit", "normal_exit":
                in.note(new Notice(Notice.Kind.HALTED, at, "`" + name + "' ends GRUB here"));
                throw new Interpreter.Halt(name);
            case "probe": return probe(args);
            case "regexp": return regexp(args);
            case "ls": return ls(args);
            case "cat": return cat(args);
            case "blscfg", "bls_import": return BlsConfig.run(in, args, at);
            default:
                return Status.OK;
        }
    }

    private Status bootCommand(String name, List<String> args, Position at) {
        return in.boot.execute(new BootCommand(name, args, in.env.get("root"), at));
    }

    /** kern/corecmd.c, grub_core_cmd_set. */
    private Status set(List<String> args) {
        if (args.isEmpty()) {
            for (Map.Entry<String, String> e : in.env.sorted().entrySet()) {
                in.print(e.getKey() + "=" + e.getValue() + "\n");
            }
            return Status.OK;
        }
        String arg = args.get(0);
        int eq = arg.indexOf('=');
        if (eq < 0) {
            return Status.error(GrubError.BAD_ARGUMENT, "not an assignment");
        }
        in.env.set(arg.substring(0, eq), arg.substring(eq + 1));
        return Status.OK;
    }

    /** commands/echo.c. */
    private Status echo(List<String> argv) {
        OptionParser.Parsed parsed = ECHO.parse(argv);
        if (!parsed.error().ok()) {
            return badOptions(parsed.error());
        }
        boolean newline = !parsed.has("n");
        boolean escapes = parsed.has("e");
        StringBuilder out = new StringBuilder();
        List<String> args = parsed.args();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            for (int j = 0; j < arg.length(); j++) {
                char c = arg.charAt(j);
                if (c == '\\' && escapes) {
                    if (++j >= arg.length()) {
                        break;
                    }
                    switch (arg.charAt(j)) {
                        case '\\' -> out.append('\\');
                        case 'a' -> out.append('\u0007');
                        case 'c' -> newline = false;
                        case 'f' -> out.append('\f');
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'v' -> out.append('\u000B');
                        default -> { }
                    }
                    continue;
                }
                out.append(c);
            }
            if (i != args.size() - 1) {
                out.append(' ');
            }
        }
        if (newline) {
            out.append('\n');
        }
        in.print(out.toString());
        return Status.OK;
    }

    private Status badOptions(Status error) {
        in.note(new Notice(Notice.Kind.BAD_OPTIONS, in.current, error.message()));
        return error;
    }

    /** commands/configfile.c: a new context and a new menu, shown at once when it has entries. */
    private Status configfile(List<String> args) {
        if (args.size() != 1) {
            return Status.error(GrubError.BAD_ARGUMENT, "filename expected");
        }
        GrubPath file = GrubPath.resolve(args.get(0), in.env.get("root"));
        if (!in.options.disk().readable(file.device())) {
            in.note(new Notice(Notice.Kind.DISK_SKIPPED, in.current, "not read: " + file + " ("
                    + Interpreter.unreadable(in.options.disk()) + ")"));
            return Status.OK;
        }
        List<Interpreter.RawItem> outer = in.menu;
        in.env.open();
        in.menu = new java.util.ArrayList<>();
        LoadedConfig loaded = new LoadedConfig(file, in.env.get("root"), in.env.get("prefix"));
        Status status = in.runFile(args.get(0));
        if (status.ok() && !in.menu.isEmpty()) {
            throw new Interpreter.MenuShown(in.menu, loaded);
        }
        in.menu = outer;
        in.env.close();
        return status;
    }

    /** kern/corecmd.c insmod: a module GRUB has, for this platform. */
    private Status insmod(List<String> args) {
        if (args.isEmpty()) {
            return Status.error(GrubError.BAD_ARGUMENT, "one argument expected");
        }
        String module = args.get(0);
        boolean efi = in.options.platform() == Platform.EFI;
        boolean known = efi ? EFI_MODULES.contains(module) && !PC_ONLY_MODULES.contains(module)
                : (EFI_MODULES.contains(module) && !EFI_ONLY_MODULES.contains(module))
                        || PC_ONLY_MODULES.contains(module);
        if (!known && !module.contains("/") && !BlsConfig.MODULE.equals(module)) {
            String dir = efi ? "x86_64-efi" : "i386-pc";
            return Status.error(GrubError.FILE_NOT_FOUND, "file `" + in.env.get("prefix") + "/" + dir + "/" + module
                    + ".mod' not found");
        }
        in.modules.add(module);
        return Status.OK;
    }

    /** commands/search_wrap.c and search.c. */
    private Status search(OptionParser.Parsed parsed) {
        if (!parsed.error().ok()) {
            return badOptions(parsed.error());
        }
        List<String> args = parsed.args();
        int j = 0;
        while (j < args.size() && args.get(j).startsWith("--hint-")) {
            j++;
        }
        String var = parsed.has("set") ? Optional.ofNullable(parsed.value("set")).orElse("root") : null;
        String id;
        if (j < args.size()) {
            id = args.get(j);
        } else if (parsed.has("set") && parsed.value("set") != null) {
            id = parsed.value("set");
            var = "root";
        } else {
            return Status.error(GrubError.BAD_ARGUMENT, "one argument expected");
        }
        String kind = parsed.has("label") ? "label" : parsed.has("fs-uuid") ? "fs_uuid"
                : parsed.has("file") ? "file" : null;
        if (kind == null) {
            return Status.error(GrubError.INVALID_COMMAND, "unspecified search type");
        }
        return find(kind, id, var);
    }

    /** search.file / search.fs_uuid / search.fs_label KEY [VAR]. */
    private Status searchSimple(String kind, List<String> args) {
        if (args.isEmpty()) {
            return Status.error(GrubError.BAD_ARGUMENT, "one argument expected");
        }
        return find(kind, args.get(0), args.size() > 1 ? args.get(1) : null);
    }

    private Status find(String kind, String key, String var) {
        DiskView disk = in.options.disk();
        if (!disk.present()) {
            in.note(new Notice(Notice.Kind.DISK_SKIPPED, in.current, "search for " + kind.replace('_', '-')
                    + " " + key + " not done (no disk given)" + (var == null ? "" : "; $" + var + " unchanged")));
            return Status.OK;
        }
        String unreadable = null;
        for (DiskView.Device device : disk.devices()) {
            if (unreadable == null && !disk.readable(device.name())) {
                unreadable = device.name();
            }
            boolean match;
            try {
                match = switch (kind) {
                    case "fs_uuid" -> device.fsUuid().map(u -> u.equalsIgnoreCase(key)).orElse(false);
                    case "label" -> device.label().map(l -> l.equals(key)).orElse(false);
                    default -> disk.stat(device.name(), key).map(f -> !f.directory()).orElse(false);
                };
            } catch (IOException e) {
                match = false;
            }
            if (match) {
                if (var != null) {
                    in.env.set(var, device.name());
                } else {
                    in.print(" " + device.name());
                }
                return Status.OK;
            }
        }
        if (unreadable != null) {
            // Most likely the device is one jgrub cannot look into; assume the first, whose files are then skipped.
            in.note(new Notice(Notice.Kind.DISK_SKIPPED, in.current, "search for " + kind.replace('_', '-')
                    + " " + key + " found nothing on the file systems jgrub can read; assumed " + unreadable));
            if (var != null) {
                in.env.set(var, unreadable);
            }
            return Status.OK;
        }
        return Status.error(GrubError.FILE_NOT_FOUND, "no such device: " + key);
    }

    /** commands/loadenv.c load_env [-f FILE] [--skip-sig] [VAR...]. */
    private Status loadEnv(List<String> argv) {
        OptionParser.Parsed parsed = ENV_FILE.parse(argv);
        if (!parsed.error().ok()) {
            return badOptions(parsed.error());
        }
        GrubPath path = envFile(parsed);
        String text = in.envBlockWrites.get(path.toString());
        if (text == null) {
            DiskView disk = in.options.disk();
            if (!disk.readable(path.device())) {
                in.note(new Notice(Notice.Kind.DISK_SKIPPED, in.current, "not read: " + path + " ("
                        + Interpreter.unreadable(disk) + ")"));
                return Status.OK;
            }
            try {
                text = new String(disk.read(path.device(), path.path()), StandardCharsets.ISO_8859_1);
            } catch (java.nio.file.NoSuchFileException e) {
                return Status.error(GrubError.FILE_NOT_FOUND, "file `" + path + "' not found");
            } catch (IOException e) {
                return Status.error(GrubError.READ_ERROR, e.getMessage());
            }
        }
        Map<String, String> block = GrubEnvBlock.parse(text);
        if (block == null) {
            return Status.error(GrubError.BAD_FILE_TYPE, "invalid environment block");
        }
        List<String> wanted = parsed.args();
        block.forEach((k, v) -> {
            if (wanted.isEmpty() || wanted.contains(k)) {
                in.env.set(k, v);
            }
        });
        return Status.OK;
    }

    /** save_env [-f FILE] VAR...: written to a copy of the block that later load_env calls see. */
    private Status saveEnv(List<String> argv) {
        OptionParser.Parsed parsed = ENV_FILE.parse(argv);
        if (!parsed.error().ok()) {
            return badOptions(parsed.error());
        }
        if (parsed.args().isEmpty()) {
            return Status.error(GrubError.BAD_ARGUMENT, "one argument expected");
        }
        GrubPath path = envFile(parsed);
        String text = in.envBlockWrites.get(path.toString());
        Map<String, String> block = null;
        if (text == null && in.options.disk().readable(path.device())) {
            try {
                block = GrubEnvBlock.parse(new String(in.options.disk().read(path.device(), path.path()),
                        StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return Status.error(GrubError.FILE_NOT_FOUND, "file `" + path + "' not found");
            }
        } else if (text != null) {
            block = GrubEnvBlock.parse(text);
        }
        if (block == null) {
            block = new java.util.LinkedHashMap<>();
        }
        for (String name : parsed.args()) {
            String value = in.env.get(name);
            if (value == null) {
                block.remove(name);
            } else {
                block.put(name, value);
            }
        }
        in.envBlockWrites.put(path.toString(), GrubEnvBlock.format(block));
        return Status.OK;
    }

    private GrubPath envFile(OptionParser.Parsed parsed) {
        String file = parsed.value("file");
        if (file == null) {
            file = in.env.get("prefix") + "/grubenv";
        }
        return GrubPath.resolve(file, in.env.get("root"));
    }

    /** commands/menuentry.c, grub_cmd_menuentry and grub_normal_add_menu_entry. */
    private Status menuentry(boolean submenu, List<String> argv, Block block, Position at) {
        OptionParser.Parsed parsed = MENUENTRY.parse(argv);
        if (!parsed.error().ok()) {
            return badOptions(parsed.error());
        }
        List<String> args = parsed.args();
        if (args.isEmpty()) {
            return Status.error(GrubError.BAD_ARGUMENT, "missing arguments");
        }
        boolean hasSource = parsed.has("source");
        if (hasSource && block != null) {
            return Status.error(GrubError.BAD_ARGUMENT, "multiple menuentry definitions");
        }
        if (!hasSource && block == null) {
            return Status.error(GrubError.BAD_ARGUMENT, "no menuentry definition");
        }
        Optional<String> users = Optional.ofNullable(parsed.value("users"));
        boolean restricted = parsed.has("users") || !parsed.has("unrestricted");
        EntryBody body;
        if (block != null) {
            body = new EntryBody(block.text(), Optional.of(block.body()), block.position());
        } else {
            body = new EntryBody(parsed.value("source"), Optional.empty(), at);
        }
        if (args.isEmpty()) {
            return Status.error(GrubError.MENU, "menuentry is missing title");
        }
        String title = args.get(0);
        String id = Optional.ofNullable(parsed.value("id")).orElse(title);
        in.menuChars += Budget.ofArgs(argv);
        in.menu.add(new Interpreter.RawItem(submenu, title, id, parsed.values("class"),
                Optional.ofNullable(parsed.value("hotkey")), users, restricted, List.copyOf(args), body, at));
        return Status.OK;
    }

    /** commands/probe.c, the parts a config uses: --set VAR with --fs-uuid or --label of a device. */
    private Status probe(List<String> argv) {
        OptionParser.Parsed parsed = PROBE.parse(argv);
        if (!parsed.error().ok()) {
            return badOptions(parsed.error());
        }
        if (parsed.args().isEmpty()) {
            return Status.error(GrubError.BAD_ARGUMENT, "device name required");
        }
        String device = parsed.args().get(0).replaceAll("^\\((.*)\\)$", "$1");
        DiskView disk = in.options.disk();
        if (!disk.present()) {
            in.note(new Notice(Notice.Kind.DISK_SKIPPED, in.current, "probe of " + device
                    + " not done (no disk given)"));
            return Status.OK;
        }
        for (DiskView.Device d : disk.devices()) {
            if (d.name().equals(device)) {
                Optional<String> value = parsed.has("fs-uuid") ? d.fsUuid() : parsed.has("label") ? d.label()
                        : Optional.empty();
                if (value.isPresent() && parsed.value("set") != null) {
                    in.env.set(parsed.value("set"), value.get());
                } else if (value.isPresent()) {
                    in.print(value.get());
                }
                return Status.OK;
            }
        }
        return Status.error(GrubError.UNKNOWN_DEVICE, "disk `" + device + "' not found");
    }

    /**
     * A regexp's subject whose characters, as the matcher reads them, count against the evaluation's budget like
     * expansion's: a pattern such as {@code ^(.*a){12}$} backtracks for minutes on 40 characters.
     */
    private final class MeteredText implements CharSequence {
        private static final int BATCH = 4096;
        private final String text;
        private int reads;

        MeteredText(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++reads == BATCH) {
                reads = 0;
                in.expanded(BATCH);
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** commands/regexp.c: regexp [--set [NUM:]VAR]... REGEXP STRING; POSIX extended regexps read as Java ones. */
    private Status regexp(List<String> argv) {
        OptionParser.Parsed parsed = REGEXP.parse(argv);
        if (!parsed.error().ok()) {
            return badOptions(parsed.error());
        }
        if (parsed.args().size() != 2) {
            return Status.error(GrubError.BAD_ARGUMENT, "two arguments expected");
        }
        Matcher m;
        try {
            m = Pattern.compile(parsed.args().get(0)).matcher(new MeteredText(parsed.args().get(1)));
        } catch (PatternSyntaxException e) {
            return Status.error(GrubError.TEST_FAILURE, e.getDescription());
        }
        if (!m.find()) {
            return Status.error(GrubError.TEST_FAILURE, "false");
        }
        // set_matches: VAR is group 1, N:VAR group N (decimal, blanks before it allowed); a group that did not take
        // part, or that the regexp does not have, unsets VAR. The first bad N ends the command, and the sets before it
        // stay; a missing N is group 0 and leaves grub_strtoul's "unrecognized number" printed after a success.
        Status leftOver = Status.OK;
        for (String set : parsed.values("set")) {
            int colon = set.indexOf(':');
            long group = 1;
            String var = set;
            if (colon >= 0) {
                Strtoul n = Strtoul.parse(set, 10);
                if (n.end() != colon) {
                    return Status.error(GrubError.BAD_ARGUMENT, "invalid variable name format " + set);
                }
                leftOver = n.error().ok() ? leftOver : n.error();
                group = n.value();
                var = set.substring(colon + 1);
            }
            if (Long.compareUnsigned(group, m.groupCount()) > 0 || m.group((int) group) == null) {
                in.env.unset(var);
            } else {
                in.env.set(var, m.group((int) group));
            }
        }
        in.report(leftOver);
        return Status.OK;
    }

    /**
     * commands/ls.c: no argument lists the devices; {@code (DEVICE)} alone describes its file system; a path lists a
     * directory's names, directories with a trailing {@code /}, as GRUB prints them (one line, space-separated).
     */
    private Status ls(List<String> argv) {
        List<String> args = argv.stream().filter(a -> !a.startsWith("-")).toList();
        boolean longFormat = argv.stream().anyMatch(a -> a.equals("-l") || a.equals("--long"));
        DiskView disk = in.options.disk();
        if (!disk.present()) {
            in.notices.add(new Notice(Notice.Kind.DISK_SKIPPED, in.current, "ls not done (no disk given)"));
            return Status.OK;
        }
        if (args.isEmpty()) {
            StringBuilder out = new StringBuilder();
            for (DiskView.Device device : disk.devices()) {
                out.append('(').append(device.name()).append(") ");
            }
            in.print(out.append('\n').toString());
            return Status.OK;
        }
        for (String arg : args) {
            GrubPath path = GrubPath.resolve(arg, in.env.get("root"));
            if (arg.startsWith("(") && arg.endsWith(")")) {
                Optional<DiskView.Device> device = disk.devices().stream()
                        .filter(d -> d.name().equals(path.device())).findFirst();
                if (device.isEmpty()) {
                    return Status.error(GrubError.UNKNOWN_DEVICE, "disk `" + path.device() + "' not found");
                }
                in.print("\tPartition " + device.get().name() + ": Filesystem type fat"
                        + device.get().label().map(l -> " - Label `" + l + "'").orElse("")
                        + device.get().fsUuid().map(u -> ", UUID " + u).orElse("") + "\n");
                continue;
            }
            try {
                Optional<DiskView.FileInfo> info = disk.stat(path.device(), path.path());
                if (info.isEmpty()) {
                    return Status.error(GrubError.FILE_NOT_FOUND, "file `" + path.path() + "' not found");
                }
                if (!info.get().directory()) {
                    String name = path.path().substring(path.path().lastIndexOf('/') + 1);
                    in.print(longFormat ? String.format("%-12d %s\n", info.get().size(), name) : name + " \n");
                    continue;
                }
                StringBuilder out = new StringBuilder();
                for (DiskView.DirEntry e : disk.list(path.device(), path.path())) {
                    String name = e.name() + (e.directory() ? "/" : "");
                    if (longFormat) {
                        out.append(e.directory() ? String.format("%-12s %s%n", "DIR", name)
                                : String.format("%-12d %s%n", e.size(), name));
                    } else {
                        out.append(name).append(' ');
                    }
                }
                in.print(longFormat ? out.toString() : out.append('\n').toString());
            } catch (IOException e) {
                return Status.error(GrubError.READ_ERROR, "cannot read " + path + ": " + e.getMessage());
            }
        }
        return Status.OK;
    }

    /** commands/cat.c: the file's text (GRUB prints bytes that are not text as {@code <XX>}). */
    private Status cat(List<String> argv) {
        List<String> args = argv.stream().filter(a -> !a.startsWith("-")).toList();
        if (args.size() != 1) {
            return Status.error(GrubError.BAD_ARGUMENT, "filename expected");
        }
        DiskView disk = in.options.disk();
        if (!disk.present()) {
            in.notices.add(new Notice(Notice.Kind.DISK_SKIPPED, in.current, "cat not done (no disk given)"));
            return Status.OK;
        }
        GrubPath path = GrubPath.resolve(args.get(0), in.env.get("root"));
        byte[] bytes;
        try {
            Optional<DiskView.FileInfo> info = disk.stat(path.device(), path.path());
            if (info.isEmpty() || info.get().directory()) {
                return Status.error(GrubError.FILE_NOT_FOUND, "file `" + path.path() + "' not found");
            }
            if (info.get().size() > (4 << 20)) {
                return Status.error(GrubError.OUT_OF_MEMORY, "cat of " + path + " (" + info.get().size()
                        + " bytes) unsupported: larger than 4 MiB");
            }
            bytes = disk.read(path.device(), path.path());
        } catch (IOException e) {
            return Status.error(GrubError.READ_ERROR, "cannot read " + path + ": " + e.getMessage());
        }
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '\n' || c == '\t' || c == '\r' || (c >= 0x20 && c < 0x7f)) {
                out.append((char) c);
            } else {
                out.append(String.format("<%02x>", c));
            }
        }
        in.print(out.toString());
        return Status.OK;
    }
}
