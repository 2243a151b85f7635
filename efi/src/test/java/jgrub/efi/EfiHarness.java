package jgrub.efi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import jgrub.boot.Framebuffer;
import jgrub.boot.MemoryRegion;
import jgrub.boot.MemoryType;

/**
 * An EFI environment on 64 MiB of heap "guest RAM", with an in-memory ESP, called the way the stubs call it: the
 * first four arguments in registers, the rest on a stack in guest memory. Scratch memory for arguments comes from a
 * region reserved for the test at 0x200000.
 */
final class EfiHarness {

    static final int RAM = 64 << 20;
    static final long SCRATCH = 0x200000;
    static final long STACK = 0x300000;

    final HeapMemory memory = new HeapMemory(RAM);
    final GuestPointers guest = new GuestPointers(memory, 0);
    final StringBuilder console = new StringBuilder();
    /** Keys the user "types" on jgrub's console, first first. */
    final java.util.ArrayDeque<Integer> keys = new java.util.ArrayDeque<>();
    final List<String> trace = new ArrayList<>();
    final EfiSystem efi;
    final long esp;
    final long image;
    private long scratch = SCRATCH;

    EfiHarness() throws EfiException {
        this(Optional.empty());
    }

    /** With a display whose framebuffer is {@code display}, served as the Graphics Output Protocol. */
    EfiHarness(Optional<Framebuffer> display) throws EfiException {
        List<MemoryRegion> e820 = List.of(
                new MemoryRegion(0, 0x9fc00, MemoryType.USABLE),
                new MemoryRegion(0x9fc00, 0x400, MemoryType.RESERVED),
                new MemoryRegion(0xf0000, 0x10000, MemoryType.RESERVED),
                new MemoryRegion(0x100000, RAM - 0x100000, MemoryType.USABLE));
        efi = EfiSystem.install(memory, e820, List.of(new MemoryRegion(0x1000, 0xf000, MemoryType.RESERVED),
                new MemoryRegion(SCRATCH, 0x200000, MemoryType.RESERVED)), display, Optional.empty(), 0,
                new EfiVariableStore(), new EfiConsole() {
                    public void print(String text) {
                        console.append(text);
                    }

                    public int readKey() {
                        Integer key = keys.poll();
                        return key == null ? -1 : key;
                    }
                });
        efi.trace(trace::add);
        EfiDevicePath disk = EfiDevicePath.of(new EfiDevicePath.Acpi(EfiDevicePath.Acpi.PNP0A03, 0),
                new EfiDevicePath.Pci(1, 1));
        EfiDevicePath part = disk.append(new EfiDevicePath.HardDrive(1, 2048, 8192,
                EfiGuid.parse("11111111-2222-3333-4444-555555555555"), 0));
        esp = efi.attachDisk(new ByteDevice(16 << 20), disk, new ByteDevice(4 << 20), part, volume());
        image = efi.createImage(0x1000000, 0x100000, esp,
                EfiDevicePath.of(new EfiDevicePath.FilePath("\\EFI\\xen\\xen.efi")), "xen.efi console=com1");
    }

    /** Notification functions the guest was asked to call, as "function(event, context)" in hex. */
    final List<String> notified = new ArrayList<>();

    /**
     * A service call as the stub would make it, with every notification function it runs first returning at once
     * (recorded in {@link #notified}); the call's answer.
     */
    long call(EfiService service, long... args) throws EfiException {
        EfiEvents.Answer answer = serve(service, args);
        while (answer instanceof EfiEvents.Answer.Notify notify) {
            notified.add(Long.toHexString(notify.function()) + "(" + Long.toHexString(notify.rcx()) + ", "
                    + Long.toHexString(notify.rdx()) + ")");
            answer = serve(EfiService.NOTIFY_RETURNED);
        }
        return ((EfiEvents.Answer.Done) answer).result();
    }

    /** One ring of the stub: the call's answer, or the notification function the guest must call first. */
    EfiEvents.Answer serve(EfiService service, long... args) throws EfiException {
        long[] regs = new long[4];
        System.arraycopy(args, 0, regs, 0, Math.min(4, args.length));
        for (int i = 4; i < args.length; i++) {
            guest.writeU64(STACK + 0x28 + 8L * (i - 4), args[i]);
        }
        return efi.serve(new EfiCall(service, regs[0], regs[1], regs[2], regs[3], STACK, guest));
    }

    /** The ESP's root directory, opened as Xen opens it: HandleProtocol(SimpleFileSystem), then OpenVolume. */
    long openRoot() throws EfiException {
        long fs = u64(0);
        call(EfiService.HANDLE_PROTOCOL, esp, guid(EfiGuid.SIMPLE_FILE_SYSTEM), fs);
        long root = u64(0);
        if (call(EfiService.FS_OPEN_VOLUME, readU64(fs), root) != EfiStatus.SUCCESS) {
            throw new AssertionError("OpenVolume failed");
        }
        return readU64(root);
    }

    /** Fresh scratch memory for an argument. */
    long alloc(int size) {
        long at = scratch;
        scratch += (size + 15) & -16;
        return at;
    }

    long guid(EfiGuid guid) throws EfiException {
        long at = alloc(16);
        guest.write(at, guid.toBytes());
        return at;
    }

    long ucs2(String text) throws EfiException {
        long at = alloc(2 * text.length() + 2);
        guest.writeUcs2(at, text);
        return at;
    }

    long u64(long value) throws EfiException {
        long at = alloc(8);
        guest.writeU64(at, value);
        return at;
    }

    long readU64(long at) throws EfiException {
        return guest.readU64(at);
    }

    ByteBuffer systemTable() throws EfiException {
        return memory.slice(efi.systemTable(), EfiTables.SYSTEM_TABLE_SIZE);
    }

    /** A disk of zeros with its block index in the first bytes of each block. */
    static final class ByteDevice implements EfiBlockDevice {
        private final long size;

        ByteDevice(long size) {
            this.size = size;
        }

        public int blockSize() {
            return 512;
        }

        public long size() {
            return size;
        }

        public void read(long offset, ByteBuffer target) {
            while (target.hasRemaining()) {
                long at = offset + target.position();
                target.put((byte) (at % 512 == 0 ? at / 512 : 0));
            }
        }
    }

    static final String XEN_CFG = "[global]\ndefault=xen\n\n[xen]\noptions=console=com1\nkernel=vmlinuz\n";

    /** /EFI/xen/{xen.cfg, vmlinuz} and /EFI/BOOT/. */
    static EfiVolume volume() {
        Map<String, byte[]> files = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        files.put("/EFI/xen/xen.cfg", XEN_CFG.getBytes(StandardCharsets.US_ASCII));
        byte[] kernel = new byte[3 << 20];
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (byte) (i * 7);
        }
        files.put("/EFI/xen/vmlinuz", kernel);
        files.put("/EFI/test/hello.efi", FakeImages.image(FakeImages.APPLICATION, 0x2345));
        return new EfiVolume() {
            public String label() {
                return "JGRUB-ESP";
            }

            public long totalBytes() {
                return 4 << 20;
            }

            public long freeBytes() {
                return 1 << 20;
            }

            public int blockSize() {
                return 512;
            }

            public Entry lookup(String path) {
                String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    if (f.getKey().equalsIgnoreCase(p)) {
                        return file(f.getKey(), f.getValue());
                    }
                }
                boolean dir = p.equals("/") || files.keySet().stream()
                        .anyMatch(k -> k.toLowerCase().startsWith(p.toLowerCase() + "/"));
                return dir ? directory(p) : null;
            }

            private Entry file(String path, byte[] bytes) {
                return new Entry() {
                    public String name() {
                        return path.substring(path.lastIndexOf('/') + 1);
                    }

                    public boolean isDirectory() {
                        return false;
                    }

                    public long size() {
                        return bytes.length;
                    }

                    public long modified() {
                        return 1_700_000_000L;
                    }

                    public long attributes() {
                        return 0x20;
                    }

                    public int read(long position, ByteBuffer target) {
                        int n = (int) Math.min(target.remaining(), bytes.length - position);
                        target.put(bytes, (int) position, n);
                        return n;
                    }

                    public List<Entry> list() throws IOException {
                        throw new IOException("not a directory");
                    }
                };
            }

            private Entry directory(String path) {
                EfiVolume self = this;
                return new Entry() {
                    public String name() {
                        return path.equals("/") ? "" : path.substring(path.lastIndexOf('/') + 1);
                    }

                    public boolean isDirectory() {
                        return true;
                    }

                    public long size() {
                        return 0;
                    }

                    public long modified() {
                        return 1_700_000_000L;
                    }

                    public long attributes() {
                        return 0x10;
                    }

                    public int read(long position, ByteBuffer target) throws IOException {
                        throw new IOException("a directory");
                    }

                    public List<Entry> list() throws IOException {
                        String prefix = path.equals("/") ? "/" : path + "/";
                        List<String> names = files.keySet().stream()
                                .filter(k -> k.toLowerCase().startsWith(prefix.toLowerCase()))
                                .map(k -> k.substring(prefix.length()).split("/")[0])
                                .distinct().toList();
                        List<Entry> out = new ArrayList<>();
                        for (String n : names) {
                            out.add(self.lookup(prefix + n));
                        }
                        return out;
                    }
                };
            }
        };
    }
}
