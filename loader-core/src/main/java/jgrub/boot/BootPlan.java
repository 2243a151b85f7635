package jgrub.boot;

import java.util.List;

/** Everything a loader decided: what goes where in guest memory, and how the CPU enters the image. */
public record BootPlan(String protocol, List<Segment> segments, EntryState entry) {

    public BootPlan {
        segments = List.copyOf(segments);
    }
}
