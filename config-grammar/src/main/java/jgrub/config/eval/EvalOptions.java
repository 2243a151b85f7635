package jgrub.config.eval;

import jgrub.boot.Platform;
import java.util.Map;

/**
 * How to evaluate a config.
 *
 * @param platform  the GRUB build ({@code $grub_platform}, {@code $grub_cpu}, the command set)
 * @param disk      the disk the config boots from, or {@link DiskView#NONE}
 * @param root      {@code $root} at start: the device GRUB found its config on, e.g. {@code hd0,gpt1}
 * @param prefix    {@code $prefix} at start, e.g. {@code (hd0,gpt1)/boot/grub}
 * @param variables more variables to set before the config runs (exported)
 * @param maxSteps  commands to run at most before the run is stopped as endless
 */
public record EvalOptions(Platform platform, DiskView disk, String root, String prefix, Map<String, String> variables,
        long maxSteps) {

    public static final long DEFAULT_MAX_STEPS = 2_000_000;

    public EvalOptions {
        variables = Map.copyOf(variables);
    }

    /** EFI, no disk, root {@code hd0,gpt1}, prefix {@code (hd0,gpt1)/boot/grub}. */
    public static EvalOptions defaults() {
        return new EvalOptions(Platform.EFI, DiskView.NONE, "hd0,gpt1", "(hd0,gpt1)/boot/grub", Map.of(),
                DEFAULT_MAX_STEPS);
    }

    public EvalOptions withPlatform(Platform p) {
        return new EvalOptions(p, disk, root, prefix, variables, maxSteps);
    }

    public EvalOptions withDisk(DiskView d) {
        return new EvalOptions(platform, d, root, prefix, variables, maxSteps);
    }

    public EvalOptions withRoot(String r, String p) {
        return new EvalOptions(platform, disk, r, p, variables, maxSteps);
    }

    public EvalOptions withVariables(Map<String, String> v) {
        return new EvalOptions(platform, disk, root, prefix, v, maxSteps);
    }

    public EvalOptions withMaxSteps(long steps) {
        return new EvalOptions(platform, disk, root, prefix, variables, steps);
    }
}
