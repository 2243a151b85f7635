package jgrub.config.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One BootLoaderSpec Type #1 file as Fedora's GRUB reads it (rhboot/grub2 fedora-39, grub-core/commands/blscfg.c,
 * {@code read_entry}): its id is the file name less {@code .conf}; its keys are kept in file order, repeated keys
 * included ({@code initrd}, {@code grub_class}, {@code grub_arg} may repeat).
 *
 * @param id   the file name without {@code .conf}, as GRUB's {@code entry->filename}
 * @param keys each key with its value, in file order
 */
record BlsEntry(String id, List<Map.Entry<String, String>> keys) {

    BlsEntry {
        keys = List.copyOf(keys);
    }

    /**
     * Reads the lines as {@code read_entry} does, which is not quite what the specification says: carriage returns
     * are dropped anywhere ({@code grub_file_getline}); leading blanks are skipped; a line starting with {@code #} is
     * a comment; the key ends at the first space, or at the first tab when the line has no space at all; the value
     * is the rest after blanks, trailing blanks kept. A line with no separator or nothing after it (an empty line
     * too) ends the file: the keys after it are not read.
     */
    static BlsEntry parse(String id, String text) {
        List<Map.Entry<String, String>> keys = new ArrayList<>();
        String[] lines = text.replace("\r", "").split("\n", -1);
        // The fragment after the last newline is a line only when it is not empty (grub_file_getline).
        int count = lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int n = 0; n < count; n++) {
            String line = lines[n];
            int i = 0;
            while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            line = line.substring(i);
            if (line.startsWith("#")) {
                continue;
            }
            int separator = line.indexOf(' ');
            if (separator < 0) {
                separator = line.indexOf('\t');
            }
            if (separator < 0 || separator + 1 == line.length()) {
                break;
            }
            int value = separator + 1;
            while (value < line.length() && (line.charAt(value) == ' ' || line.charAt(value) == '\t')) {
                value++;
            }
            keys.add(Map.entry(line.substring(0, separator), line.substring(value)));
        }
        return new BlsEntry(id, keys);
    }

    /** The first value of {@code key} (GRUB's {@code bls_get_val} with no position), or null. */
    String value(String key) {
        for (Map.Entry<String, String> kv : keys) {
            if (kv.getKey().equals(key)) {
                return kv.getValue();
            }
        }
        return null;
    }

    /** Every value of {@code key}, in file order ({@code bls_make_list}). */
    List<String> values(String key) {
        return keys.stream().filter(kv -> kv.getKey().equals(key)).map(Map.Entry::getValue).toList();
    }
}
