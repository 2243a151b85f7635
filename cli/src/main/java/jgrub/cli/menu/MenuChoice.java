package jgrub.cli.menu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jgrub.config.eval.BootCommand;
import jgrub.config.eval.BootCommands;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.Status;
import jgrub.config.menu.MenuEntry;

/**
 * What the person at the menu chose to boot, for this boot only: an entry as the config has it, an entry whose body
 * they edited ({@code e}, then Ctrl-x), or the boot commands they typed at the command line ({@code c}, then
 * {@code boot}). {@link #run} performs the choice against real boot commands; {@code jgrub boot} only calls that.
 */
public sealed interface MenuChoice {

    /** Runs the choice as GRUB would: the entry's commands (or the typed ones) go to {@code boot}, then boot. */
    EntryRun run(Evaluation evaluation, BootCommands boot);

    /** One line for people: what would boot. */
    String describe();

    /** An entry of the menu by its index path ({@code 0}, {@code 1>0}), chosen by a key or by the timeout. */
    record Entry(String path, String title, boolean timedOut) implements MenuChoice {
        @Override
        public EntryRun run(Evaluation evaluation, BootCommands boot) {
            return evaluation.run(path, boot);
        }

        @Override
        public String describe() {
            return "entry " + path + " `" + title + "'" + (timedOut ? " (timeout)" : "");
        }
    }

    /** An entry with the body as edited in the menu's editor; the config itself is unchanged. */
    record EditedEntry(MenuEntry entry, String body) implements MenuChoice {
        @Override
        public EntryRun run(Evaluation evaluation, BootCommands boot) {
            return evaluation.runEdited(entry, body, boot);
        }

        @Override
        public String describe() {
            return "edited entry " + entry.path() + " `" + entry.title() + "'";
        }
    }

    /**
     * The boot commands that succeeded at the command line before {@code boot}, in order (a later kernel command
     * replaces an earlier one, as in GRUB), each with the {@code $root} it ran with.
     */
    record Commands(List<BootCommand> commands) implements MenuChoice {
        public Commands {
            commands = List.copyOf(commands);
        }

        @Override
        public EntryRun run(Evaluation evaluation, BootCommands boot) {
            List<String> output = new ArrayList<>();
            boolean booted = false;
            for (BootCommand command : commands) {
                Status status = boot.execute(command);
                if (!status.ok()) {
                    output.add("error: " + status.message() + ".");
                    break;
                }
            }
            if (output.isEmpty() && boot.loaded()) {
                BootCommand last = commands.get(commands.size() - 1);
                Status status = boot.execute(new BootCommand("boot", List.of(), last.root(), last.position()));
                booted = status.ok();
                if (!status.ok()) {
                    output.add("error: " + status.message() + ".");
                }
            }
            String text = output.isEmpty() ? "" : String.join("\n", output) + "\n";
            return new EntryRun(Optional.empty(), List.of(), text, booted, List.of(), java.util.Map.of());
        }

        @Override
        public String describe() {
            return "command line: " + commands.size() + " boot command(s)";
        }
    }
}
