package jgrub.grub;

import java.io.IOException;
import java.util.Optional;
import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;
import jgrub.config.check.CheckReport;
import jgrub.config.check.ConfigChecker;
import jgrub.config.eval.BootCommands;
import jgrub.config.eval.EntryRun;
import jgrub.config.eval.Evaluation;
import jgrub.config.eval.Notice;
import jgrub.efi.EfiBoot;

/**
 * GRUB's boot use case on one config, the one entry point of {@code boot}, {@code plan}, {@code check} and
 * {@code menu}: the config evaluated as GRUB evaluates it on loading ({@link #of}); then either an entry run through
 * the loader commands, which read every file and check every image from the same {@link jgrub.fs.Disk} the config
 * came from ({@link #loaderCommands}, {@link #run}), or every entry dry-run and checked ({@link #check}).
 */
public final class GrubBoot {

    private final GrubConfig config;
    private final Evaluation evaluation;

    private GrubBoot(GrubConfig config, Evaluation evaluation) {
        this.config = config;
        this.evaluation = evaluation;
    }

    /** Evaluates {@code config}: its menu is known, no entry has run yet. */
    public static GrubBoot of(GrubConfig config) {
        return new GrubBoot(config, config.evaluate());
    }

    public GrubConfig config() {
        return config;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    /** GRUB's loader commands on the config's disk, for the config's platform; fresh ones for each run. */
    public LoaderCommands loaderCommands(EfiBoot.Options efiOptions) throws BootException {
        return new LoaderCommands(config.disk().orElseThrow(() -> new BootException(config.name()
                + ": a config without a disk boots nothing")), config.options().platform(), efiOptions);
    }

    /** Runs the entry {@code selector} names (index path, title or id; null: the config's default) with {@code boot}. */
    public EntryRun run(String selector, BootCommands boot) {
        return selector == null ? evaluation.runDefault(boot) : evaluation.run(selector, boot);
    }

    /**
     * What {@code run} booted through {@code commands}. When it ran no entry because evaluating the config stopped at
     * a limit (a loop that does not end, a value growing without bound), that limit is the cause named, not the
     * empty menu it left.
     */
    public BootProtocol booted(EntryRun run, LoaderCommands commands) throws BootException {
        if (run.entry().isEmpty()) {
            Optional<Notice> stopped = evaluation.notices().stream().filter(n -> n.kind() == Notice.Kind.LIMIT)
                    .findFirst();
            if (stopped.isPresent()) {
                throw new BootException("no menu entry to boot: " + stopped.get());
            }
        }
        return commands.bootedBy(run);
    }

    /**
     * What exactly each entry would boot: every entry run with its boot commands recorded, the files they name
     * resolved and, on a disk, sized and hashed. Nothing is loaded.
     */
    public ResolvedMenu resolveMenu() throws IOException {
        return ResolvedMenu.of(evaluation, config.options().disk());
    }

    /**
     * Every problem of the config: its syntax errors, then a dry run of every entry in which each kernel file is
     * checked by the loader that would load it (with a disk).
     */
    public CheckReport check() {
        return ConfigChecker.check(evaluation, config.options(), config.name(),
                ImageCheckingCommands.factory(config.options().disk(), config.options().platform()));
    }
}
