/**
 * GRUB's interactive menu for a terminal: {@link jgrub.cli.menu.MenuSession} shows the menu of an evaluated config
 * (grub-core/normal/menu.c, menu_text.c), the entry editor ({@code e}, menu_entry.c) and the command line ({@code c},
 * cmdline.c, running lines in config-grammar's {@link jgrub.config.eval.Shell}); it returns a
 * {@link jgrub.cli.menu.MenuChoice}. Terminal handling (raw mode, key decoding, resizing) is JLine 3's.
 *
 * <p>How {@code jgrub boot} uses it:
 * <pre>{@code
 * Evaluation evaluation = ConfigEvaluator.evaluate(input.name(), input.text(), input.options());
 * EntryRun run;
 * if (MenuSession.wanted(evaluation.menu(), menuOption, entryOption != null)) {
 *     Optional<MenuChoice> choice = MenuSession.choose(evaluation, input.options().disk(), menuOption);
 *     if (choice.isEmpty()) { throw new IOException("left the menu without booting"); }
 *     run = choice.get().run(evaluation, loaderCommands);
 * } else {
 *     run = entryOption == null ? evaluation.runDefault(loaderCommands) : evaluation.run(entryOption, loaderCommands);
 * }
 * }</pre>
 */
package jgrub.cli.menu;
