package jgrub.efi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Device paths (UEFI 2.10 chapter 10): the nodes jgrub builds for its disk, partition and files, their encoding,
 * checked decoding of paths a guest passes, and the text form of the Device Path To Text protocol (section 10.6).
 */
public record EfiDevicePath(List<Node> nodes) {

    /** Longest device path jgrub reads from the guest; real ones are a few hundred bytes. */
    public static final int MAX_BYTES = 4096;

    public EfiDevicePath {
        nodes = List.copyOf(nodes);
    }

    public static EfiDevicePath of(Node... nodes) {
        return new EfiDevicePath(List.of(nodes));
    }

    /** One media file-path node for a file on a volume: {@code /EFI/xen/xen.efi} becomes {@code \EFI\xen\xen.efi}. */
    public static EfiDevicePath file(String path) {
        String efiPath = path.replace('/', '\\');
        return of(new FilePath(efiPath.startsWith("\\") ? efiPath : "\\" + efiPath));
    }

    /** One node; {@link #type()} and {@link #subType()} are the specification's numbers. */
    public sealed interface Node {
        int type();

        int subType();

        byte[] body();

        String text();
    }

    /** ACPI device path, _HID and _UID (section 10.3.3); PciRoot is HID PNP0A03. */
    public record Acpi(int hid, int uid) implements Node {
        public static final int PNP0A03 = 0x0A0341D0;

        public int type() {
            return 2;
        }

        public int subType() {
            return 1;
        }

        public byte[] body() {
            return le().putInt(hid).putInt(uid).array();
        }

        public String text() {
            return hid == PNP0A03 ? "PciRoot(0x" + Integer.toHexString(uid) + ")"
                    : String.format("Acpi(0x%08X,0x%x)", hid, uid);
        }

        private static ByteBuffer le() {
            return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** PCI device path (section 10.3.2). */
    public record Pci(int device, int function) implements Node {
        public int type() {
            return 1;
        }

        public int subType() {
            return 1;
        }

        public byte[] body() {
            return new byte[] {(byte) function, (byte) device};
        }

        public String text() {
            return "Pci(0x" + Integer.toHexString(device) + ",0x" + Integer.toHexString(function) + ")";
        }
    }

    /** Hard drive media device path (section 10.3.5.1): one partition of the disk, by number, place and signature. */
    public record HardDrive(int partition, long startLba, long sizeLba, EfiGuid gptSignature, int mbrSignature)
            implements Node {
        public int type() {
            return 4;
        }

        public int subType() {
            return 1;
        }

        public byte[] body() {
            ByteBuffer b = ByteBuffer.allocate(38).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(partition).putLong(startLba).putLong(sizeLba);
            if (gptSignature != null) {
                b.put(gptSignature.toBytes()).put((byte) 2).put((byte) 2);
            } else {
                b.putInt(mbrSignature).put(new byte[12]).put((byte) 1).put((byte) (mbrSignature == 0 ? 0 : 1));
            }
            return b.array();
        }

        public String text() {
            String signature = gptSignature != null ? "GPT," + gptSignature
                    : "MBR,0x" + Integer.toHexString(mbrSignature).toUpperCase(Locale.ROOT);
            return "HD(" + partition + "," + signature + ",0x" + Long.toHexString(startLba) + ",0x"
                    + Long.toHexString(sizeLba) + ")";
        }
    }

    /** File path media device path (section 10.3.5.4): a path with backslashes, NUL-terminated UCS-2. */
    public record FilePath(String path) implements Node {
        public int type() {
            return 4;
        }

        public int subType() {
            return 4;
        }

        public byte[] body() {
            return (path + "\0").getBytes(StandardCharsets.UTF_16LE);
        }

        public String text() {
            return path;
        }
    }

    /**
     * Vendor-defined media device path (section 10.3.5.3) without vendor data: a GUID that says what the node means,
     * such as the node Linux's EFI stub finds its initrd's LoadFile2 handle by. A node with data stays {@link Other}.
     */
    public record VendorMedia(EfiGuid vendor) implements Node {
        public int type() {
            return 4;
        }

        public int subType() {
            return 3;
        }

        public byte[] body() {
            return vendor.toBytes();
        }

        public String text() {
            return "VenMedia(" + vendor + ")";
        }
    }

    /** Any other node, kept as it came. */
    public record Other(int type, int subType, byte[] body) implements Node {
        public String text() {
            return String.format("Path(%d,%d)", type, subType);
        }
    }

    static final int END_TYPE = 0x7F;
    static final int END_ENTIRE = 0xFF;
    static final int HEADER = 4;

    /** The encoded path, ending with an End Entire Device Path node. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node node : nodes) {
            writeNode(out, node.type(), node.subType(), node.body());
        }
        writeNode(out, END_TYPE, END_ENTIRE, new byte[0]);
        return out.toByteArray();
    }

    private static void writeNode(ByteArrayOutputStream out, int type, int subType, byte[] body) {
        int length = HEADER + body.length;
        out.write(type);
        out.write(subType);
        out.write(length & 0xFF);
        out.write(length >>> 8);
        out.writeBytes(body);
    }

    /**
     * Decodes a path from guest bytes. Every node's length is checked against what is there; a path without an end
     * node within {@link #MAX_BYTES} is invalid.
     */
    public static EfiDevicePath decode(ByteBuffer source) throws EfiException {
        ByteBuffer b = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        List<Node> nodes = new ArrayList<>();
        int at = 0;
        while (true) {
            if (b.limit() - at < HEADER) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "device path has no end node within "
                        + b.limit() + " bytes");
            }
            int type = Byte.toUnsignedInt(b.get(at));
            int subType = Byte.toUnsignedInt(b.get(at + 1));
            int length = Short.toUnsignedInt(b.getShort(at + 2));
            if (length < HEADER || length > b.limit() - at) {
                throw new EfiException(EfiStatus.INVALID_PARAMETER, "device path node at byte " + at
                        + " has length " + length);
            }
            if (type == END_TYPE && subType == END_ENTIRE) {
                return new EfiDevicePath(nodes);
            }
            byte[] body = new byte[length - HEADER];
            b.get(at + HEADER, body);
            nodes.add(node(type, subType, body));
            at += length;
        }
    }

    private static Node node(int type, int subType, byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
        if (type == 4 && subType == 4 && body.length % 2 == 0) {
            String path = new String(body, StandardCharsets.UTF_16LE);
            int nul = path.indexOf('\0');
            return new FilePath(nul >= 0 ? path.substring(0, nul) : path);
        }
        if (type == 4 && subType == 3 && body.length == EfiGuid.SIZE) {
            return new VendorMedia(EfiGuid.fromBytes(body));
        }
        if (type == 2 && subType == 1 && body.length == 8) {
            return new Acpi(b.getInt(0), b.getInt(4));
        }
        if (type == 1 && subType == 1 && body.length == 2) {
            return new Pci(Byte.toUnsignedInt(body[1]), Byte.toUnsignedInt(body[0]));
        }
        if (type == 4 && subType == 1 && body.length == 38) {
            int signatureType = Byte.toUnsignedInt(body[37]);
            EfiGuid guid = signatureType == 2 ? EfiGuid.read(b.slice(20, 16)) : null;
            return new HardDrive(b.getInt(0), b.getLong(4), b.getLong(12), guid, signatureType == 1 ? b.getInt(20) : 0);
        }
        return new Other(type, subType, body);
    }

    /** This path followed by {@code more}. */
    public EfiDevicePath append(Node... more) {
        List<Node> all = new ArrayList<>(nodes);
        all.addAll(List.of(more));
        return new EfiDevicePath(all);
    }

    /** Whether this path begins with every node of {@code prefix}. */
    public boolean startsWith(EfiDevicePath prefix) {
        if (prefix.nodes.size() > nodes.size()) {
            return false;
        }
        for (int i = 0; i < prefix.nodes.size(); i++) {
            Node a = nodes.get(i);
            Node b = prefix.nodes.get(i);
            if (a.type() != b.type() || a.subType() != b.subType() || !java.util.Arrays.equals(a.body(), b.body())) {
                return false;
            }
        }
        return true;
    }

    /** The file-path nodes joined, as the path of a file on the device the rest of the path names. */
    public String filePath() {
        StringBuilder path = new StringBuilder();
        for (Node node : nodes) {
            if (node instanceof FilePath f) {
                if (path.length() > 0 && path.charAt(path.length() - 1) != '\\' && !f.path().startsWith("\\")) {
                    path.append('\\');
                }
                path.append(f.path());
            }
        }
        return path.toString();
    }

    /** The text form (ConvertDevicePathToText with DisplayOnly false). */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(node.text());
        }
        return out.toString();
    }
}
