package jgrub.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * What a test needs from outside the JVM: programs on the PATH and the payloads {@code scripts/setup} fetches.
 * Outside CI a missing prerequisite skips the test with a message that
 * names it; in CI ({@code CI=true}) it fails the test, because CI installs everything and a skip would hide a gap.
 */
public final class Prerequisites {

    private Prerequisites() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or in CI fails) the calling test, saying what is missing and how to get it. */
    public static void missing(String what) {
        String message = "missing prerequisite: " + what + " (scripts/setup installs it)";
        if (inCi()) {
            fail(message);
        }
        abort(message);
    }

    /** The absolute path of a program on the PATH, or a skip/failure naming it. */
    public static Path program(String name) {
        Optional<Path> found = findProgram(name);
        if (found.isEmpty()) {
            missing("program '" + name + "' on the PATH");
        }
        return found.orElseThrow();
    }

    public static Optional<Path> findProgram(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
                + "/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The repository's top folder (Maven passes it to every test as JGRUB_REPO_ROOT). */
    public static Path repositoryRoot() {
        String root = System.getenv("JGRUB_REPO_ROOT");
        if (root != null && !root.isBlank()) {
            return Paths.get(root).toAbsolutePath().normalize();
        }
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("jgrub"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root from " + Paths.get("").toAbsolutePath());
        }
        return dir;
    }

    /** The payload cache that {@code scripts/setup} fills: $JGRUB_CACHE, else ~/.cache/jgrub. */
    public static Path payloadCache() {
        String override = System.getenv("JGRUB_CACHE");
        return override != null && !override.isBlank()
                ? Paths.get(override)
                : Paths.get(System.getProperty("user.home"), ".cache", "jgrub");
    }

    /** A payload file by its name in the cache ({@code xen.gz}, {@code xen.efi}, {@code vmlinuz}, {@code initrd.img}). */
    public static Path payload(String name) {
        Path file = payloadCache().resolve("payloads").resolve(name);
        if (!Files.isRegularFile(file)) {
            missing("payload " + file);
        }
        return file;
    }

    /**
     * The installed Debian Xen host that {@code scripts/make-debian-host} builds (as root) and caches;
     * {@code scripts/test} names it in JGRUB_DEBIAN_HOST.
     */
    public static Path debianHost() {
        String named = System.getenv("JGRUB_DEBIAN_HOST");
        if (named == null || named.isBlank() || !Files.isRegularFile(Paths.get(named))) {
            missing("the installed Debian host image in JGRUB_DEBIAN_HOST (scripts/make-debian-host builds it as"
                    + " root; scripts/test runs it)");
        }
        return Paths.get(named);
    }
}
