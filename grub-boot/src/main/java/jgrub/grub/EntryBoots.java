package jgrub.grub;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jgrub.boot.BootException;
import jgrub.boot.BootProtocol;
import jgrub.boot.Platform;
import jgrub.config.eval.EntryRun;
import jgrub.config.menu.Menu;
import jgrub.config.menu.MenuEntry;
import jgrub.config.menu.MenuItem;
import jgrub.efi.EfiBoot;
import jgrub.fs.Disk;
import jgrub.machine.Machine;
import jgrub.machine.MachineException;
import jgrub.machine.MachineOptions;
import jgrub.machine.RunResult;

/**
 * "Does every entry actually boot": each selected menu entry on each platform booted in a machine of its own, a few
 * at a time, until the console shows the payload running. Each boot opens the disk again, so runs share nothing.
 */
public final class EntryBoots {

    /** A console line that proves the payload runs: Xen's banner, or Linux's version line. */
    public static final String DEFAULT_UNTIL = "\\(XEN\\) Xen version|Linux version [0-9]";

    private EntryBoots() {
    }

    /** One entry on one platform. */
    public record Case(String path, String title, Platform platform) {
        /** {@code 0 `Debian GNU/Linux, with Xen' (efi)}: how reports name it. */
        public String name() {
            return path + " `" + title + "' (" + platform.grubPlatform() + ")";
        }
    }

    /**
     * How one boot went.
     *
     * @param console the last console lines, for a failure's report
     */
    public record Outcome(Case boot, boolean passed, String message, List<String> console, Duration elapsed) {
        public Outcome {
            console = List.copyOf(console);
        }
    }

    /**
     * The cases to boot: every entry {@code selectors} name (index paths, titles or ids; all entries, submenus'
     * included, when empty) on every platform of {@code platforms}, entries in menu order, platforms within an entry.
     */
    public static List<Case> cases(GrubBoot grub, List<String> selectors, List<Platform> platforms)
            throws BootException {
        List<MenuEntry> entries = new ArrayList<>();
        if (selectors.isEmpty()) {
            for (MenuItem item : grub.evaluation().menu().allItems()) {
                if (item instanceof MenuEntry entry) {
                    entries.add(entry);
                }
            }
        } else {
            Menu menu = grub.evaluation().menu();
            for (String selector : selectors) {
                MenuItem item = select(menu, selector).orElseThrow(() -> new BootException(
                        "--entries: `" + selector + "' names no menu entry"));
                if (!(item instanceof MenuEntry entry)) {
                    throw new BootException("--entries: `" + selector + "' is a submenu; name its entries");
                }
                entries.add(entry);
            }
        }
        List<Case> cases = new ArrayList<>();
        for (MenuEntry entry : entries) {
            for (Platform platform : platforms) {
                cases.add(new Case(entry.path(), entry.title(), platform));
            }
        }
        return cases;
    }

    /**
     * The item {@code selector} names exactly: an index path, an id or a title at any depth, or a {@code >}-path of
     * them as GRUB's {@code default} takes; unlike {@code default}, no fallback to the first entry.
     */
    private static Optional<MenuItem> select(Menu menu, String selector) {
        for (MenuItem item : menu.allItems()) {
            if (item.path().equals(selector) || item.id().equals(selector) || item.title().equals(selector)) {
                return Optional.of(item);
            }
        }
        int separator = selector.indexOf('>');
        if (separator > 0 && menu.indexOf(selector.substring(0, separator)) >= 0) {
            return menu.resolve(selector).flatMap(menu::at);
        }
        return Optional.empty();
    }

    /** Shard {@code k} of {@code n} (1-based): every n-th case from the k-th, so that n machines split a config. */
    public static List<Case> shard(List<Case> cases, int k, int n) {
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException("shard " + k + "/" + n + ": K must be 1 to N");
        }
        List<Case> mine = new ArrayList<>();
        for (int i = k - 1; i < cases.size(); i += n) {
            mine.add(cases.get(i));
        }
        return mine;
    }

    /**
     * Boots {@code cases} from {@code image}, {@code jobs} machines at a time; {@code config} names the config
     * GRUB-style or is null for the one GRUB finds. Outcomes come in the order of {@code cases}.
     */
    public static List<Outcome> boot(Path image, String config, List<Case> cases, MachineOptions options, int jobs)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs), runnable -> {
            Thread thread = new Thread(runnable, "jgrub-entry-boot");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Outcome>> running = new ArrayList<>();
            for (Case c : cases) {
                running.add(pool.submit(() -> boot(image, config, c, options)));
            }
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : running) {
                try {
                    outcomes.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("an entry's boot failed unexpectedly", e.getCause());
                }
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One case, start to end; every failure is an outcome with GRUB's or the machine's message, never an exception. */
    static Outcome boot(Path image, String config, Case c, MachineOptions options) {
        long start = System.nanoTime();
        try (Disk disk = Disk.open(image)) {
            GrubBoot grub = GrubBoot.of(GrubConfig.onDisk(disk, config, c.platform()));
            LoaderCommands commands = grub.loaderCommands(EfiBoot.Options.defaults());
            EntryRun run = grub.run(c.path(), commands);
            BootProtocol protocol = commands.bootedBy(run);
            RunResult result = new Machine(options).boot(protocol);
            return new Outcome(c, result.success(), result.message(), result.lastLines(), since(start));
        } catch (BootException | MachineException | IOException e) {
            return new Outcome(c, false, e.getMessage(), List.of(), since(start));
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
