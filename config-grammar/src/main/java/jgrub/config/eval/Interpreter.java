package jgrub.config.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jgrub.boot.Platform;
import jgrub.config.ast.Block;
import jgrub.config.ast.Command;
import jgrub.config.ast.CommandList;
import jgrub.config.ast.ForCommand;
import jgrub.config.ast.FunctionDef;
import jgrub.config.ast.IfCommand;
import jgrub.config.ast.Position;
import jgrub.config.ast.Script;
import jgrub.config.ast.SimpleCommand;
import jgrub.config.ast.Statement;
import jgrub.config.ast.WhileCommand;
import jgrub.config.ast.Word;
import jgrub.config.grammar.ParseResult;
import jgrub.config.grammar.ScriptParser;
import jgrub.config.grammar.SyntaxError;
import jgrub.config.menu.EntryBody;

/**
 * Runs GRUB script the way grub-core/script/execute.c does: the same expansion and word splitting, the same loop,
 * break, continue and return bookkeeping, {@code $?} after every command, unknown commands reported and ignored,
 * {@code NAME=value} as a last resort. Commands are in {@link Builtins}; boot commands go to {@link BootCommands}.
 */
final class Interpreter {

    /** Deepest function call or source/eval nesting; GRUB has no bound and crashes, this stops with a notice. */
    static final int MAX_CALL_DEPTH = 400;

    /** What a menuentry or submenu command registered, before submenus are expanded. */
    record RawItem(boolean submenu, String title, String id, List<String> classes, Optional<String> hotkey,
            Optional<String> users, boolean restricted, List<String> args, EntryBody body, Position position) {
    }

    /** Ends the whole run: halt, reboot, exit, or a limit. */
    static final class Halt extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Halt(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code configfile} showed its own menu; GRUB never returns to the config that called it unless escaped. */
    static final class MenuShown extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient List<RawItem> items;
        final transient LoadedConfig config;

        MenuShown(List<RawItem> items, LoadedConfig config) {
            super(null, null, false, false);
            this.items = items;
            this.config = config;
        }
    }

    private static final class Scope {
        final List<String> args;
        int shifts;

        Scope(List<String> args) {
            this.args = new ArrayList<>(args);
        }

        List<String> visible() {
            return args.subList(shifts, args.size());
        }
    }

    final EvalOptions options;
    Environment env;
    BootCommands boot;
    final Map<String, FunctionDef> functions;
    final StringBuilder output = new StringBuilder();
    final List<Notice> notices = new ArrayList<>();
    final Set<String> modules;
    final Map<String, String> envBlockWrites;
    List<RawItem> menu = new ArrayList<>();
    /** Characters the words of the items in {@link #menu} and in the menus it replaced hold. */
    long menuChars;
    Position current = new Position("", 0, 0);
    long steps;
    /** Shared with every fork: the budget of the whole evaluation. */
    final Budget.Meter meter;

    private Scope scope;
    private long activeLoops;
    private long activeBreaks;
    private boolean isContinue;
    private boolean functionReturn;
    private int callDepth;
    /** What the calls in progress hold, in {@link Budget#MAX_ACTIVE}'s units. */
    private long active;
    private final Builtins builtins = new Builtins(this);

    Builtins builtins() {
        return builtins;
    }

    Interpreter(EvalOptions options, Environment env, BootCommands boot) {
        this(options, env, boot, new HashMap<>(), new HashSet<>(), new HashMap<>(), new Budget.Meter());
    }

    private Interpreter(EvalOptions options, Environment env, BootCommands boot, Map<String, FunctionDef> functions,
            Set<String> modules, Map<String, String> envBlockWrites, Budget.Meter meter) {
        this.options = options;
        this.meter = meter;
        this.env = env;
        this.boot = boot;
        this.functions = functions;
        this.modules = modules;
        this.envBlockWrites = envBlockWrites;
    }

    /** An independent interpreter with a copy of this one's state, for a dry run that must not leak back. */
    Interpreter fork(BootCommands newBoot) {
        Interpreter copy = new Interpreter(options, env.copy(), newBoot, new HashMap<>(functions),
                new HashSet<>(modules), new HashMap<>(envBlockWrites), meter);
        copy.current = current;
        return copy;
    }

    static Environment initialEnvironment(EvalOptions options) {
        Environment env = new Environment();
        Platform p = options.platform();
        String[][] exported = {
            {"grub_platform", p.grubPlatform()}, {"grub_cpu", p.grubCpu()}, {"root", options.root()},
            {"prefix", options.prefix()}, {"pager", ""}, {"color_normal", "light-gray/black"},
            {"color_highlight", "black/light-gray"}, {"feature_200_final", "y"}, {"feature_all_video_module", "y"},
            {"feature_chainloader_bpb", "y"}, {"feature_default_font_path", "y"}, {"feature_menuentry_id", "y"},
            {"feature_menuentry_options", "y"}, {"feature_nativedisk_cmd", "y"}, {"feature_ntldr", "y"},
            {"feature_platform_search_hint", "y"}, {"feature_timeout_style", "y"},
        };
        for (String[] kv : exported) {
            env.set(kv[0], kv[1]);
            env.export(kv[0]);
        }
        String prefix = options.prefix();
        env.set("cmdpath", prefix.contains("/") ? prefix.substring(0, prefix.lastIndexOf('/')) : prefix);
        env.set("check_signatures", "no");
        env.set("lang", "");
        env.set("locale_dir", "");
        env.set("secondary_locale_dir", "");
        options.variables().forEach((k, v) -> {
            env.set(k, v);
            env.export(k);
        });
        return env;
    }

    // ---------------------------------------------------------------------------------------------- running

    /** Runs a parsed file: syntax errors are reported where GRUB reports them, the statements that parsed run. */
    int runParsed(ParseResult parsed) {
        return runParsed(parsed, true);
    }

    /** {@code noteErrors} false for the config file itself, whose syntax errors the caller reports. */
    int runParsed(ParseResult parsed, boolean noteErrors) {
        for (SyntaxError error : noteErrors ? parsed.errors() : List.<SyntaxError>of()) {
            note(new Notice(Notice.Kind.SYNTAX_ERROR, error.position(), error.message()));
        }
        // GRUB prints a chunk's syntax error when it reaches that chunk, between the output of the others.
        List<SyntaxError> errors = parsed.errors();
        int next = 0;
        int ret = 0;
        for (Statement statement : parsed.script().statements()) {
            while (next < errors.size() && before(errors.get(next).position(), statement.position())) {
                printSyntaxError(errors.get(next++));
            }
            ret = statement(statement);
        }
        while (next < errors.size()) {
            printSyntaxError(errors.get(next++));
        }
        return ret;
    }

    private static boolean before(Position a, Position b) {
        return a.line() < b.line() || a.line() == b.line() && a.column() < b.column();
    }

    private void printSyntaxError(SyntaxError error) {
        print(error.grubPrints());
    }

    int statement(Statement statement) {
        if (statement instanceof FunctionDef f) {
            functions.put(f.name(), f);
            return 0;
        }
        return exec((Command) statement);
    }

    /** grub_script_execute_cmd: runs one command and stores its result in {@code $?}. */
    int exec(Command command) {
        int ret;
        if (command instanceof SimpleCommand c) {
            ret = cmdline(c);
        } else if (command instanceof IfCommand c) {
            ret = ifCommand(c);
        } else if (command instanceof ForCommand c) {
            ret = forCommand(c);
        } else {
            ret = whileCommand((WhileCommand) command);
        }
        if (env.chars() + menuChars + meter.retained > Budget.MAX_STORED) {
            outOfMemory("variables and menu entries hold more than " + (Budget.MAX_STORED >> 20) + " MiB");
        }
        env.set("?", Integer.toString(ret));
        return ret;
    }

    /** grub_script_execute_cmdlist, through execute_cmd as GRUB's cmdlist is itself a command. */
    int list(CommandList list) {
        int ret = 0;
        for (Command command : list.commands()) {
            if (activeBreaks > 0) {
                break;
            }
            ret = exec(command);
            if (functionReturn) {
                break;
            }
        }
        env.set("?", Integer.toString(ret));
        return ret;
    }

    private int ifCommand(IfCommand c) {
        for (IfCommand.Branch branch : c.branches()) {
            int ret = list(branch.condition());
            if (functionReturn) {
                return ret;
            }
            if ("0".equals(env.get("?"))) {
                return list(branch.body());
            }
        }
        return c.otherwise().map(this::list).orElse(0);
    }

    private int forCommand(ForCommand c) {
        current = c.position();
        List<String> values = expand(c.words(), null);
        activeLoops++;
        int result = 0;
        for (String value : values) {
            if (isContinue && activeBreaks == 1) {
                activeBreaks = 0;
            }
            if (activeBreaks == 0) {
                env.set(c.variable(), value);
                result = list(c.body());
                if (functionReturn) {
                    break;
                }
            }
        }
        if (activeBreaks > 0) {
            activeBreaks--;
        }
        activeLoops--;
        return result;
    }

    private int whileCommand(WhileCommand c) {
        activeLoops++;
        int result;
        while (true) {
            result = list(c.condition());
            if (functionReturn) {
                break;
            }
            if (c.until() ? result == 0 : result != 0) {
                break;
            }
            result = list(c.body());
            if (functionReturn) {
                break;
            }
            if (activeBreaks == 1 && isContinue) {
                activeBreaks = 0;
            }
            if (activeBreaks > 0) {
                break;
            }
            step();
        }
        if (activeBreaks > 0) {
            activeBreaks--;
        }
        activeLoops--;
        return result;
    }

    private void step() {
        if (Thread.currentThread().isInterrupted()) {
            // The caller gave up on this evaluation (boot --timeout, see DeepStack#call): stop without a word.
            throw new Halt("interrupted");
        }
        if (++steps > options.maxSteps()) {
            note(new Notice(Notice.Kind.LIMIT, current, "stopped after " + options.maxSteps()
                    + " commands: the script does not seem to end (a loop that never finishes?)"));
            throw new Halt("step limit");
        }
        long inAll = options.maxSteps() * Budget.STEP_ROUNDS;
        if (++meter.steps > inAll) {
            if (!meter.stepsNoted) {
                meter.stepsNoted = true;
                note(new Notice(Notice.Kind.LIMIT, current, "stopped after " + inAll + " commands in all (the config,"
                        + " its submenus and the entries run from it); entries after this one are not run"));
            }
            throw new Halt("step limit in all");
        }
    }

    /**
     * Counts {@code chars} copied by expansion, or read by a regexp's matcher, against {@link Budget#CHARS_PER_STEP};
     * the run stops past it.
     */
    void expanded(long chars) {
        long inAll = options.maxSteps() * Budget.CHARS_PER_STEP;
        meter.expanded += chars;
        if (meter.expanded > inAll) {
            if (!meter.stepsNoted) {
                meter.stepsNoted = true;
                note(new Notice(Notice.Kind.LIMIT, current, "stopped after expanding " + inAll + " characters in all"
                        + " (the config, its submenus and the entries run from it): the script does not seem to end"));
            }
            throw new Halt("expansion limit in all");
        }
    }

    /** grub_script_execute_cmdline. */
    private int cmdline(SimpleCommand c) {
        step();
        current = c.position();
        Block block = c.block().orElse(null);
        List<String> argv = expand(c.words(), null);
        if (argv.isEmpty()) {
            return 0;
        }
        if (block != null && !Builtins.TAKES_BLOCK.contains(argv.get(0))) {
            // Other commands get the block as one more argument, as GRUB passes it: "{TEXT}".
            argv = new ArrayList<>(argv);
            argv.add("{" + block.text() + "}");
            block = null;
        }
        boolean invert = false;
        String name = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        if ("!".equals(name)) {
            if (argv.size() < 2) {
                return report(Status.error(GrubError.BAD_ARGUMENT, "no command is specified"));
            }
            invert = true;
            name = argv.get(1);
            args = argv.subList(2, argv.size());
        }
        Status status;
        FunctionDef function = null;
        if (builtins.knows(name) || BootCommands.NAMES.contains(name)) {
            status = builtins.run(name, args, block, c.position());
        } else if ((function = functions.get(name)) != null) {
            status = new Status(call(function, args), null);
        } else {
            int eq = name.indexOf('=');
            if (eq >= 0) {
                String var = name.substring(0, eq);
                if (isSpecial(var)) {
                    report(Status.error(GrubError.BAD_ARGUMENT, "invalid variable name `" + var + "'"));
                } else {
                    env.set(var, name.substring(eq + 1));
                }
            } else {
                note(new Notice(Notice.Kind.UNKNOWN_COMMAND, c.position(), "can't find command `" + name
                        + "'"));
                print("error: can't find command `" + name + "'.\n");
            }
            env.set("?", "0");
            return 0;
        }
        int ret = status.code();
        if (invert) {
            if (ret == GrubError.TEST_FAILURE.code()) {
                return 0;
            } else if (ret == 0) {
                return GrubError.TEST_FAILURE.code();
            } else {
                report(status);
                return 0;
            }
        }
        if (function == null) {
            report(status);
        }
        return ret;
    }

    /** grub_print_error: every failure but a plain false is printed as {@code error: MESSAGE.}. */
    int report(Status status) {
        if (status.code() != 0 && status.code() != GrubError.TEST_FAILURE.code() && status.message() != null) {
            print("error: " + status.message() + ".\n");
            note(new Notice(Notice.Kind.COMMAND_FAILED, current, status.message()));
        }
        return status.code();
    }

    /** Most notices kept per run; an endless loop of failing commands must not fill the heap. */
    static final int MAX_NOTICES = 10_000;

    void note(Notice notice) {
        if (notice.message().length() > Budget.MAX_NOTICE) {
            notice = new Notice(notice.kind(), notice.position(), notice.message().substring(0, Budget.MAX_NOTICE)
                    + "... (" + notice.message().length() + " characters)");
        }
        if (notices.size() < MAX_NOTICES) {
            notices.add(notice);
        } else if (notices.size() == MAX_NOTICES) {
            notices.add(new Notice(Notice.Kind.LIMIT, notice.position(), "more than " + MAX_NOTICES
                    + " problems; the rest are not listed"));
        }
    }

    void print(String text) {
        if (output.length() < (4 << 20)) {
            output.append(text);
        }
    }

    /**
     * Ends the run as GRUB's allocator would fail it (kern/mm.c: "out of memory"), where {@link Budget} says GRUB's
     * heap would be full; {@code what} says which limit, for the notice.
     */
    void outOfMemory(String what) {
        print("error: out of memory.\n");
        note(new Notice(Notice.Kind.LIMIT, current, "out of memory: " + what + " (jgrub's limit)"));
        throw new Halt("out of memory");
    }

    /** Charges what a call about to start holds ({@link Budget#MAX_ACTIVE}); the caller gives it back when done. */
    private long enter(long size, String what) {
        if (active + size > Budget.MAX_ACTIVE) {
            outOfMemory(what + ": the calls in progress would hold more than " + (Budget.MAX_ACTIVE >> 20)
                    + " MiB (nested too deep?)");
        }
        active += size;
        return size;
    }

    /** grub_script_function_call. */
    int call(FunctionDef function, List<String> args) {
        if (callDepth >= MAX_CALL_DEPTH) {
            note(new Notice(Notice.Kind.LIMIT, current, "functions call each other more than "
                    + MAX_CALL_DEPTH + " levels deep (endless recursion?)"));
            throw new Halt("recursion");
        }
        long charged = enter(Budget.ofArgs(args), "function " + function.name() + " called with " + args.size()
                + " arguments");
        long loops = activeLoops;
        activeLoops = 0;
        Scope old = scope;
        scope = new Scope(args);
        callDepth++;
        int ret;
        try {
            ret = list(function.body());
        } finally {
            active -= charged;
            callDepth--;
            functionReturn = false;
            activeLoops = loops;
            scope = old;
        }
        return ret;
    }

    /** Runs source text with positional parameters (a menu entry body): grub_script_execute_new_scope. */
    int runInNewScope(EntryBody body, List<String> args) {
        long charged = enter(Budget.ofArgs(args), "an entry with " + args.size() + " arguments");
        Scope old = scope;
        scope = new Scope(args);
        try {
            if (body.parsed().isPresent()) {
                return list(body.parsed().get());
            }
            return runSource(body.text(), body.position());
        } finally {
            active -= charged;
            scope = old;
        }
    }

    /** Parses and runs text given at run time ({@code eval}, {@code --source}); positions point into that text. */
    int runSource(String text, Position at) {
        if (callDepth >= MAX_CALL_DEPTH) {
            note(new Notice(Notice.Kind.LIMIT, current, "source/eval nested more than " + MAX_CALL_DEPTH
                    + " levels deep (endless recursion?)"));
            throw new Halt("recursion");
        }
        long charged = enter((long) text.length() * Budget.TEXT_OVERHEAD, "eval of " + text.length()
                + " characters");
        callDepth++;
        try {
            ParseResult parsed = ScriptParser.parse(at.file(), text, at.line(), at.column());
            if (parsed.ok()) {
                return runParsed(parsed);
            }
            // grub_script_execute_sourcecode stops at the first chunk that does not parse (a config file goes on).
            SyntaxError first = parsed.errors().get(0);
            List<Statement> before = new ArrayList<>();
            for (Statement statement : parsed.script().statements()) {
                if (before(statement.position(), first.position())) {
                    before.add(statement);
                }
            }
            return runParsed(new ParseResult(new Script(parsed.script().file(), before), List.of(first),
                    parsed.hasCommands()));
        } finally {
            active -= charged;
            callDepth--;
        }
    }

    /** Why a device's files could not be looked at. */
    static String unreadable(DiskView disk) {
        return disk.present() ? "a file system jgrub cannot read" : "no disk given";
    }

    /** Reads, parses and runs a file of the disk in the current context (GRUB's source and configfile). */
    Status runFile(String name) {
        GrubPath path = GrubPath.resolve(name, env.get("root"));
        if (!options.disk().readable(path.device())) {
            note(new Notice(Notice.Kind.DISK_SKIPPED, current, "not read: " + path + " ("
                    + unreadable(options.disk()) + ")"));
            return Status.OK;
        }
        byte[] bytes;
        try {
            bytes = options.disk().read(path.device(), path.path());
        } catch (java.nio.file.NoSuchFileException e) {
            return Status.error(GrubError.FILE_NOT_FOUND, "file `" + name + "' not found");
        } catch (IOException e) {
            return Status.error(GrubError.READ_ERROR, "cannot read " + path + ": " + e.getMessage());
        }
        if (callDepth >= MAX_CALL_DEPTH) {
            note(new Notice(Notice.Kind.LIMIT, current, "source nested more than " + MAX_CALL_DEPTH
                    + " levels deep (a file that sources itself?)"));
            throw new Halt("recursion");
        }
        long charged = enter((long) bytes.length * Budget.TEXT_OVERHEAD, "source of " + path + " ("
                + bytes.length + " bytes)");
        callDepth++;
        try {
            runParsed(ScriptParser.parse(path.toString(), new String(bytes, StandardCharsets.UTF_8)));
        } finally {
            active -= charged;
            callDepth--;
        }
        return Status.OK;
    }

    // ---------------------------------------------------------------------------------------------- control

    /** script/execute.c grub_script_break: {@code break}/{@code continue [N]}. */
    Status breakLoop(boolean isContinue, List<String> args) {
        long count = 1;
        if (args.size() > 1) {
            return Status.error(GrubError.BAD_ARGUMENT, "one argument expected");
        }
        if (args.size() == 1) {
            Strtoul n = Strtoul.parse(args.get(0), 10);
            if (!n.error().ok()) {
                return n.error();
            }
            if (!n.readAll(args.get(0))) {
                return Status.error(GrubError.BAD_ARGUMENT, "unrecognized number");
            }
            if (n.value() == 0) {
                return Status.error(GrubError.BAD_ARGUMENT, "can't break 0 loops");
            }
            count = n.value();
        }
        this.isContinue = isContinue;
        activeBreaks = Long.compareUnsigned(count, activeLoops) < 0 ? count : activeLoops;
        return Status.OK;
    }

    Status shift(List<String> args) {
        if (scope == null) {
            return Status.OK;
        }
        long n = 1;
        if (args.size() > 1) {
            return new Status(GrubError.BAD_ARGUMENT.code(), null);
        }
        if (args.size() == 1) {
            // grub_script_shift returns a bare GRUB_ERR_BAD_ARGUMENT; GRUB prints what grub_strtoul left, if anything.
            Strtoul parsed = Strtoul.parse(args.get(0), 10);
            if (!parsed.readAll(args.get(0))) {
                return new Status(GrubError.BAD_ARGUMENT.code(), parsed.error().message());
            }
            report(parsed.error());
            n = parsed.value();
        }
        if (Long.compareUnsigned(n, scope.visible().size()) > 0) {
            return new Status(GrubError.BAD_ARGUMENT.code(), null);
        }
        scope.shifts += (int) n;
        return Status.OK;
    }

    Status setparams(List<String> args) {
        if (scope == null) {
            return new Status(GrubError.INVALID_COMMAND.code(), null);
        }
        scope = new Scope(args);
        return Status.OK;
    }

    Status returnFromFunction(List<String> args) {
        if (scope == null || args.size() > 1) {
            return Status.error(GrubError.BAD_ARGUMENT, "not in function body");
        }
        if (args.isEmpty()) {
            functionReturn = true;
            String last = env.get("?");
            return new Status(last == null ? 0 : Strtoul.parse(last, 10).asInt(), null);
        }
        // grub_script_return: a number that does not read leaves the function running; one that does is cut to the
        // int that grub_error takes (return 4294967296 returns 0).
        Strtoul n = Strtoul.parse(args.get(0), 10);
        if (!n.error().ok()) {
            return n.error();
        }
        if (!n.readAll(args.get(0))) {
            return Status.error(GrubError.BAD_ARGUMENT, "unrecognized number");
        }
        functionReturn = true;
        return n.asInt() == 0 ? Status.OK : new Status(n.asInt(), "false");
    }

    // ---------------------------------------------------------------------------------------------- expansion

    private static boolean isSpecial(String name) {
        return !name.isEmpty() && Character.isDigit(name.charAt(0)) || "#".equals(name) || "*".equals(name)
                || "@".equals(name);
    }

    /** The values of a variable reference, split into words when unquoted (grub_script_env_get). */
    private List<String> variable(String name, boolean quoted) {
        Argv result = new Argv();
        result.next();
        if (!isSpecial(name)) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                if (quoted) {
                    result.append(v);
                } else {
                    result.splitAppend(v);
                }
            }
        } else if (scope == null) {
            return List.of();
        } else {
            List<String> args = scope.visible();
            switch (name) {
                case "#" -> result.append(Integer.toString(args.size()));
                case "*", "@" -> {
                    for (int i = 0; i < args.size(); i++) {
                        if (!quoted || "@".equals(name)) {
                            if (i != 0) {
                                result.next();
                            }
                            if (quoted) {
                                result.append(args.get(i));
                            } else {
                                result.splitAppend(args.get(i));
                            }
                        } else {
                            if (i != 0) {
                                result.append(" ");
                            }
                            result.append(args.get(i));
                        }
                    }
                }
                default -> {
                    Long num = jgrub.config.menu.Selectors.strtoul(name);
                    if (num != null && num > 0 && num <= args.size()) {
                        if (quoted) {
                            result.append(args.get((int) (num - 1)));
                        } else {
                            result.splitAppend(args.get((int) (num - 1)));
                        }
                    }
                }
            }
        }
        return result.values();
    }

    /** grub_script_arglist_to_argv: expansion, splitting, then wildcard unescaping (no wildcard translator). */
    List<String> expand(List<Word> words, Block block) {
        Argv result = new Argv();
        for (Word word : words) {
            result.next();
            for (var part : word.parts()) {
                if (part instanceof jgrub.config.ast.WordPart.Literal literal) {
                    if (literal.quoting() == jgrub.config.ast.WordPart.Quoting.NONE) {
                        if (!literal.text().isEmpty()) {
                            result.append(literal.text());
                        }
                    } else {
                        result.append(wildcardEscape(literal.text()));
                    }
                } else if (part instanceof jgrub.config.ast.WordPart.Variable variable) {
                    List<String> values = variable(variable.name(), variable.quoted());
                    for (int i = 0; i < values.size(); i++) {
                        if (i != 0) {
                            result.next();
                        }
                        result.append(variable.quoted() ? wildcardEscape(values.get(i)) : varEscape(values.get(i)));
                    }
                } else {
                    result.append(wildcardEscape(gettext(((jgrub.config.ast.WordPart.Gettext) part).text())));
                }
            }
        }
        if (block != null) {
            result.next();
            result.append("{" + wildcardEscape(block.text()) + "}");
        }
        List<String> out = new ArrayList<>();
        for (String arg : result.values()) {
            out.add(unescape(arg));
        }
        return out;
    }

    /** GRUB's gettext_append with no translation: $name, ${name}, $N, $? and $# inside $"..." are expanded. */
    private String gettext(String text) {
        StringBuilder out = new StringBuilder();
        boolean escaped = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                escaped = !escaped;
                if (!escaped) {
                    out.append('\\');
                }
                i++;
            } else if (c == '$') {
                if (escaped) {
                    escaped = false;
                    out.append('$');
                    i++;
                    continue;
                }
                i++;
                char d = i < text.length() ? text.charAt(i) : 0;
                int start = i;
                if (d == '{') {
                    int close = text.indexOf('}', i + 1);
                    if (close < 0) {
                        return out.toString();
                    }
                    out.append(gettextVar(text.substring(i + 1, close)));
                    i = close + 1;
                } else if (Character.isDigit(d)) {
                    while (i < text.length() && Character.isDigit(text.charAt(i))) {
                        i++;
                    }
                    out.append(gettextVar(text.substring(start, i)));
                } else if (d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z' || d == '_') {
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) && text.charAt(i) < 128
                            || text.charAt(i) == '_')) {
                        i++;
                    }
                    out.append(gettextVar(text.substring(start, i)));
                } else if (d == '?' || d == '#') {
                    out.append(gettextVar(String.valueOf(d)));
                    i++;
                } else {
                    out.append('$');
                }
            } else {
                if (escaped) {
                    out.append('\\');
                }
                escaped = false;
                out.append(c);
                i++;
            }
            if (out.length() > Budget.MAX_WORD) {
                tooLong();
            }
        }
        return out.toString();
    }

    private String gettextVar(String name) {
        if ("#".equals(name) && scope != null) {
            return Integer.toString(scope.visible().size());
        }
        String v = env.get(name);
        return v == null ? "" : v;
    }

    private static String wildcardEscape(String s) {
        if (s.indexOf('*') < 0 && s.indexOf('\\') < 0 && s.indexOf('?') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '\\' || c == '?') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** An unquoted variable's value: backslashes kept literal, but * and ? stay wildcards. */
    private static String varEscape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                out.append('\\');
                if (i + 1 < s.length() && (s.charAt(i + 1) == '?' || s.charAt(i + 1) == '*')) {
                    out.append('\\');
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** wildcard_unescape: {@code \c} becomes c; a final lone backslash disappears. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (++i < s.length()) {
                    out.append(s.charAt(i));
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void tooLong() {
        outOfMemory("a word longer than " + Budget.MAX_WORD + " characters");
    }

    /**
     * GRUB's grub_script_argv: arguments being built, the last one possibly not started (null). Held to
     * {@link Budget}'s word, word-count and command limits as it grows (grub_script_argv_append fails there).
     */
    private final class Argv {
        private final List<StringBuilder> args = new ArrayList<>();
        private long chars;

        void next() {
            if (!args.isEmpty() && args.get(args.size() - 1) == null) {
                return;
            }
            if (args.size() >= Budget.MAX_WORDS) {
                outOfMemory("a command of more than " + Budget.MAX_WORDS + " words");
            }
            args.add(null);
        }

        void append(String s) {
            int last = args.size() - 1;
            StringBuilder word = args.get(last);
            if ((word == null ? 0 : word.length()) + (long) s.length() > Budget.MAX_WORD) {
                tooLong();
            }
            chars += s.length();
            expanded(s.length());
            if (chars > Budget.MAX_COMMAND) {
                outOfMemory("a command whose words hold more than " + Budget.MAX_COMMAND + " characters");
            }
            if (word == null) {
                args.set(last, new StringBuilder(s));
            } else {
                word.append(s);
            }
        }

        void splitAppend(String s) {
            int i = 0;
            int n = s.length();
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            while (i < n) {
                int start = i;
                while (i < n && !isSpace(s.charAt(i))) {
                    i++;
                }
                append(s.substring(start, i));
                while (i < n && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i < n) {
                    next();
                }
            }
        }

        List<String> values() {
            List<String> out = new ArrayList<>(args.size());
            for (StringBuilder b : args) {
                if (b != null) {
                    out.add(b.toString());
                }
            }
            return out;
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
        }
    }
}
