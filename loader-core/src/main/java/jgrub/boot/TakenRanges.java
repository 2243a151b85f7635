package jgrub.boot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The guest ranges a {@link GuestAllocator} has given out or must keep free, each with what it is, so that a
 * refusal names what is in the way.
 */
public final class TakenRanges implements Iterable<TakenRanges.Taken> {

    /** {@code [start, end)}, and what it is for messages ("module 1 (/boot/initrd.img) [0x..., 0x...)"). */
    public record Taken(long start, long end, String what) {
    }

    private final List<Taken> ranges = new ArrayList<>();

    public void add(long start, long end, String what) {
        ranges.add(new Taken(start, end, what));
    }

    /** Records {@code [start, end)} as taken by {@code name}. */
    public void take(String name, long start, long end) {
        add(start, end, name + " " + range(start, end));
    }

    /** Refuses {@code [start, end)} for {@code name} when it overlaps anything taken, naming the first such. */
    public void requireFree(String name, long start, long end) throws BootException {
        for (Taken t : ranges) {
            if (start < t.end && t.start < end) {
                throw new BootException(name + " at " + range(start, end) + " overlaps " + t.what);
            }
        }
    }

    @Override
    public Iterator<Taken> iterator() {
        return ranges.iterator();
    }

    /** {@code [0x..., 0x...)}, as every placement message writes a range. */
    public static String range(long start, long end) {
        return "[0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ")";
    }
}
