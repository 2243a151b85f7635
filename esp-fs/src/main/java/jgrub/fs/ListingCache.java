package jgrub.fs;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Directory listings a file system keeps, least recently used first out, bounded by the entries they hold rather than
 * by their number, so that one huge directory cannot pin the heap. Thread-safe.
 *
 * @param <V> a listing
 */
public final class ListingCache<V> {

    /** Reads the listing of a directory not in the cache. */
    @FunctionalInterface
    public interface Loader<V> {
        V load() throws IOException;
    }

    private final long maxEntries;
    private final ToIntFunction<V> entries;
    private final Map<Long, V> listings = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedEntries;

    /** Keeps listings of {@code maxEntries} entries in all; {@code entries} counts one listing's. */
    public ListingCache(long maxEntries, ToIntFunction<V> entries) {
        this.maxEntries = maxEntries;
        this.entries = entries;
    }

    /** The listing kept for {@code key} (a directory's first cluster or inode), else the one {@code loader} reads. */
    public synchronized V get(long key, Loader<V> loader) throws IOException {
        V listing = listings.get(key);
        if (listing == null) {
            listing = loader.load();
            listings.put(key, listing);
            cachedEntries += entries.applyAsInt(listing) + 1;
            Iterator<V> eldest = listings.values().iterator();
            while (cachedEntries > maxEntries && listings.size() > 1) {
                cachedEntries -= entries.applyAsInt(eldest.next()) + 1;
                eldest.remove();
            }
        }
        return listing;
    }
}
