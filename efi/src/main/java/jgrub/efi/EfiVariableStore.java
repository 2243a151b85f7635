package jgrub.efi;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The variables behind GetVariable, GetNextVariableName, SetVariable and QueryVariableInfo (UEFI 2.10 section 8.2),
 * with the specification's rules on attributes, deletion, enumeration and what stays visible after ExitBootServices.
 * Non-volatile variables can be saved to and loaded from a file so that they outlive a run.
 */
public final class EfiVariableStore {

    public static final int NON_VOLATILE = 0x1;
    public static final int BOOTSERVICE_ACCESS = 0x2;
    public static final int RUNTIME_ACCESS = 0x4;
    public static final int HARDWARE_ERROR_RECORD = 0x8;
    public static final int AUTHENTICATED_WRITE_ACCESS = 0x10;
    public static final int TIME_BASED_AUTHENTICATED_WRITE_ACCESS = 0x20;
    public static final int APPEND_WRITE = 0x40;

    /** What this store holds at most, in bytes of names and data; QueryVariableInfo reports it. */
    static final long STORAGE_SIZE = 64 * 1024;
    static final long MAX_VARIABLE_SIZE = 32 * 1024;

    /** A variable's identity: its name (without the terminating NUL) and vendor GUID. */
    public record Key(String name, EfiGuid vendor) {
    }

    public record Variable(int attributes, byte[] data) {
    }

    private final Map<Key, Variable> variables = new LinkedHashMap<>();
    private boolean runtime;

    /** After ExitBootServices only variables with RUNTIME_ACCESS exist for the caller (section 8.2). */
    public void exitBootServices() {
        runtime = true;
    }

    public Variable get(String name, EfiGuid vendor) throws EfiException {
        Variable v = variables.get(new Key(name, vendor));
        if (v == null || !visible(v.attributes())) {
            throw new EfiException(EfiStatus.NOT_FOUND, "variable " + vendor + ":" + name);
        }
        return v;
    }

    /**
     * The variable after {@code name}/{@code vendor} in enumeration order; an empty name starts the enumeration. A
     * name that is not a variable is INVALID_PARAMETER (section 8.2, since 2.8); past the last, NOT_FOUND.
     */
    public Key next(String name, EfiGuid vendor) throws EfiException {
        List<Key> keys = variables.entrySet().stream()
                .filter(e -> visible(e.getValue().attributes()))
                .map(Map.Entry::getKey)
                .toList();
        int index = 0;
        if (!name.isEmpty()) {
            index = keys.indexOf(new Key(name, vendor));
            if (index < 0) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "variable " + vendor + ":" + name
                        + " does not exist");
            }
            index++;
        }
        if (index >= keys.size()) {
            throw new EfiException(EfiStatus.NOT_FOUND, "no more variables");
        }
        return keys.get(index);
    }

    /** SetVariable: creates, replaces, appends to or (empty data, no APPEND_WRITE) deletes a variable. */
    public void set(String name, EfiGuid vendor, int attributes, byte[] data) throws EfiException {
        if (name.isEmpty()) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "empty variable name");
        }
        if ((attributes & RUNTIME_ACCESS) != 0 && (attributes & BOOTSERVICE_ACCESS) == 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "RUNTIME_ACCESS without BOOTSERVICE_ACCESS");
        }
        if ((attributes & (AUTHENTICATED_WRITE_ACCESS | TIME_BASED_AUTHENTICATED_WRITE_ACCESS
                | HARDWARE_ERROR_RECORD)) != 0) {
            throw new EfiException(EfiStatus.UNSUPPORTED, "authenticated or hardware-error variables");
        }
        if ((attributes & ~0x7F) != 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "unknown attributes 0x"
                    + Integer.toHexString(attributes));
        }
        if (runtime && (attributes & (RUNTIME_ACCESS | NON_VOLATILE)) != (RUNTIME_ACCESS | NON_VOLATILE)
                && !(data.length == 0 && (attributes & APPEND_WRITE) == 0)) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER,
                    "after ExitBootServices only non-volatile runtime variables can be set");
        }
        Key key = new Key(name, vendor);
        Variable existing = variables.get(key);
        if (existing != null && !visible(existing.attributes())) {
            throw new EfiException(EfiStatus.WRITE_PROTECTED, "variable " + vendor + ":" + name
                    + " is not accessible at runtime");
        }
        boolean append = (attributes & APPEND_WRITE) != 0;
        if (data.length == 0 && !append || attributes == 0) {
            if (existing == null) {
                throw new EfiException(EfiStatus.NOT_FOUND, "variable " + vendor + ":" + name);
            }
            variables.remove(key);
            return;
        }
        int stored = attributes & ~APPEND_WRITE;
        if (existing != null && existing.attributes() != stored) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "attributes 0x" + Integer.toHexString(stored)
                    + " differ from the variable's 0x" + Integer.toHexString(existing.attributes()));
        }
        byte[] value = append && existing != null ? concat(existing.data(), data) : data.clone();
        long size = value.length + 2L * (name.length() + 1);
        if (size > MAX_VARIABLE_SIZE || used() - sizeOf(key, existing) + size > STORAGE_SIZE) {
            throw new EfiException(EfiStatus.OUT_OF_RESOURCES, "variable store is full");
        }
        variables.put(key, new Variable(stored, value));
    }

    /** QueryVariableInfo: maximum storage, remaining storage, maximum variable size for the given attributes. */
    public long[] query(int attributes) throws EfiException {
        if ((attributes & (BOOTSERVICE_ACCESS | RUNTIME_ACCESS)) == 0 || (attributes & ~0x7F) != 0) {
            throw new EfiException(EfiStatus.INVALID_PARAMETER, "attributes 0x" + Integer.toHexString(attributes));
        }
        return new long[] {STORAGE_SIZE, STORAGE_SIZE - used(), MAX_VARIABLE_SIZE};
    }

    private boolean visible(int attributes) {
        return !runtime || (attributes & RUNTIME_ACCESS) != 0;
    }

    private long used() {
        long sum = 0;
        for (Map.Entry<Key, Variable> e : variables.entrySet()) {
            sum += sizeOf(e.getKey(), e.getValue());
        }
        return sum;
    }

    private static long sizeOf(Key key, Variable v) {
        return v == null ? 0 : v.data().length + 2L * (key.name().length() + 1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Writes the non-volatile variables in jgrub's own file format ("JGRUBVAR", version 1, then records). */
    public void save(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeLong(FILE_MAGIC);
        data.writeInt(1);
        List<Map.Entry<Key, Variable>> kept = variables.entrySet().stream()
                .filter(e -> (e.getValue().attributes() & NON_VOLATILE) != 0)
                .toList();
        data.writeInt(kept.size());
        for (Map.Entry<Key, Variable> e : kept) {
            data.writeUTF(e.getKey().name());
            data.write(e.getKey().vendor().toBytes());
            data.writeInt(e.getValue().attributes());
            data.writeInt(e.getValue().data().length);
            data.write(e.getValue().data());
        }
        data.flush();
    }

    static final long FILE_MAGIC = 0x4a47525542564152L; // "JGRUBVAR"

    /** Reads a file written by {@link #save}; a damaged file is reported, never half-loaded. */
    public static EfiVariableStore load(InputStream in, String fileName) throws IOException {
        DataInputStream data = new DataInputStream(in);
        EfiVariableStore store = new EfiVariableStore();
        try {
            if (data.readLong() != FILE_MAGIC || data.readInt() != 1) {
                throw new IOException(fileName + ": not a jgrub EFI variable file (bad magic or version)");
            }
            int count = data.readInt();
            if (count < 0 || count > 4096) {
                throw new IOException(fileName + ": corrupt EFI variable file: variable count " + count);
            }
            for (int i = 0; i < count; i++) {
                String name = data.readUTF();
                byte[] guid = new byte[EfiGuid.SIZE];
                data.readFully(guid);
                int attributes = data.readInt();
                int length = data.readInt();
                if (length < 0 || length > MAX_VARIABLE_SIZE) {
                    throw new IOException(fileName + ": corrupt EFI variable file: variable " + name + " has size "
                            + length);
                }
                byte[] value = new byte[length];
                data.readFully(value);
                try {
                    store.set(name, EfiGuid.fromBytes(guid), attributes, value);
                } catch (EfiException e) {
                    throw new IOException(fileName + ": corrupt EFI variable file: variable " + name + ": "
                            + e.getMessage());
                }
            }
        } catch (java.io.EOFException e) {
            throw new IOException(fileName + ": truncated EFI variable file");
        }
        return store;
    }
}
