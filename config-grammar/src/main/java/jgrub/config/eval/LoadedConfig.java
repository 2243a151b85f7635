package jgrub.config.eval;

/**
 * A config file {@code configfile} loaded, with {@code $root} and {@code $prefix} as they were when it started
 * (commands/configfile.c: the new context gets the exported variables, of which these two are always).
 *
 * @param file   the file as GRUB resolved it against {@code $root}
 * @param root   {@code $root} when the file started
 * @param prefix {@code $prefix} when the file started
 */
public record LoadedConfig(GrubPath file, String root, String prefix) {
}
