package jgrub.boot;

import java.util.List;

/**
 * Everything a loader decided: what goes where in guest memory, and how the CPU enters the image; and, for boots in
 * jgrub's EFI environment, what that environment took for itself (already in guest memory, shown by {@code jgrub
 * plan}).
 */
public record BootPlan(String protocol, List<Segment> segments, EntryState entry, List<EnvironmentRegion> environment) {

    public BootPlan {
        segments = List.copyOf(segments);
        environment = List.copyOf(environment);
    }

    /** A plan with no environment of its own (the BIOS boots). */
    public BootPlan(String protocol, List<Segment> segments, EntryState entry) {
        this(protocol, segments, entry, List.of());
    }

    public BootPlan withEnvironment(List<EnvironmentRegion> regions) {
        return new BootPlan(protocol, segments, entry, regions);
    }
}
