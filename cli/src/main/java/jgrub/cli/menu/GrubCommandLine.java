package jgrub.cli.menu;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jgrub.config.eval.BootCommand;
import jgrub.config.eval.DiskView;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.GrubPath;
import jgrub.config.eval.RecordingBootCommands;
import jgrub.config.eval.Shell;
import org.jline.keymap.KeyMap;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * GRUB's command line ({@code c} in the menu; grub-core/normal/cmdline.c): a {@code grub>} prompt whose lines run in
 * config-grammar's {@link Shell} against the disk, with history (kept while the session lasts) and Tab completion
 * of command names (first word), {@code $variables}, devices and paths on the disk. Esc leaves. Boot commands are
 * recorded and checked against the disk as GRUB would; {@code boot} with a kernel loaded ends the session with
 * those commands as the choice.
 */
final class GrubCommandLine {

    static final String HELP = "Minimal BASH-like line editing is supported. For the first word, TAB lists possible"
            + " command completions. Anywhere else TAB lists possible device or file completions. ESC at any time"
            + " exits.";
    static final String PROMPT = "grub> ";

    private final Terminal terminal;
    private final Shell shell;
    private final RecordingBootCommands boot;
    private final DiskView disk;
    private final LineReader reader;
    private boolean leave;

    GrubCommandLine(Terminal terminal, Evaluation evaluation, DiskView disk) {
        this.terminal = terminal;
        this.disk = disk;
        this.boot = new RecordingBootCommands(disk);
        this.shell = evaluation.shell(boot);
        this.reader = LineReaderBuilder.builder().terminal(terminal).appName("jgrub")
                .completer(this::complete)
                .variable(LineReader.AMBIGUOUS_BINDING, Keys.ESC_WAIT_MS)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .build();
        reader.getWidgets().put("jgrub-leave", () -> {
            leave = true;
            reader.getBuffer().clear();
            reader.callWidget(LineReader.ACCEPT_LINE);
            return true;
        });
        reader.getKeyMaps().get(LineReader.EMACS).bind(new Reference("jgrub-leave"), KeyMap.esc());
    }

    /** Runs the prompt until Esc (null) or a successful {@code boot} (the boot commands typed). */
    MenuChoice run(String title) throws IOException {
        PrintWriter out = terminal.writer();
        out.print("\n " + " ".repeat(Math.max(0, (terminal.getWidth() - title.length()) / 2 - 1)) + title + "\n\n");
        for (String line : Layout.wrap(HELP, Math.max(20, terminal.getWidth() - 6))) {
            out.print("   " + line + "\n");
        }
        out.print("\n\n");
        out.flush();
        leave = false;
        while (true) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return null;
            }
            if (leave) {
                return null;
            }
            int before = boot.results().size();
            out.print(shell.run(line));
            out.flush();
            if (shell.halted()) {
                return null;
            }
            if (boot.booted() && booted(before)) {
                return new MenuChoice.Commands(successfulLoads());
            }
        }
    }

    /** Whether a {@code boot} that succeeded ran in the last line. */
    private boolean booted(int before) {
        List<RecordingBootCommands.Result> results = boot.results();
        for (int i = before; i < results.size(); i++) {
            if (results.get(i).command().name().equals("boot") && results.get(i).status().ok()) {
                return true;
            }
        }
        return false;
    }

    /** The boot commands that succeeded, without {@code boot} itself. */
    private List<BootCommand> successfulLoads() {
        List<BootCommand> out = new ArrayList<>();
        for (RecordingBootCommands.Result r : boot.results()) {
            if (r.status().ok() && !r.command().name().equals("boot")) {
                out.add(r.command());
            }
        }
        return out;
    }

    private void complete(LineReader lineReader, ParsedLine line, List<Candidate> candidates) {
        String word = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        if (line.wordIndex() == 0) {
            for (String name : shell.commandNames()) {
                candidates.add(new Candidate(name));
            }
            return;
        }
        if (word.startsWith("$")) {
            for (Map.Entry<String, String> v : shell.variables().entrySet()) {
                candidates.add(new Candidate("$" + v.getKey(), "$" + v.getKey(), null, null, null, null, true));
            }
            return;
        }
        if (!disk.present()) {
            return;
        }
        if (word.startsWith("(") && word.indexOf(')') < 0) {
            for (DiskView.Device device : disk.devices()) {
                candidates.add(new Candidate("(" + device.name() + ")", "(" + device.name() + ")", null, null,
                        null, null, false));
            }
            return;
        }
        int slash = word.lastIndexOf('/');
        if (slash < 0) {
            return;
        }
        String dirWord = word.substring(0, slash + 1);
        GrubPath dir = GrubPath.resolve(dirWord, shell.root());
        try {
            for (DiskView.DirEntry e : disk.list(dir.device(), dir.path())) {
                String value = dirWord + e.name() + (e.directory() ? "/" : "");
                candidates.add(new Candidate(value, e.name() + (e.directory() ? "/" : ""), null, null, null, null,
                        !e.directory()));
            }
        } catch (IOException e) {
            // No such directory: nothing to complete, as GRUB completes nothing.
        }
    }
}
