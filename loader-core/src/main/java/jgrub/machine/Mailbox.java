package jgrub.machine;

/**
 * The page at {@link GuestLayout#MAILBOX} through which guest code (the option ROM now, EFI service stubs later) asks
 * jgrub for something. The guest writes a request code and arguments, sets the status to {@link #PENDING}, rings the
 * doorbell (one byte, the request code, to {@link GuestLayout#DOORBELL_PORT}) and spins until the status changes;
 * jgrub writes its reply and then sets {@link #DONE} with release semantics, or {@link #STOP} to end the run.
 *
 * <pre>
 * offset size  field      written by
 * 0x00   4     signature  guest: "JGRB" once the option ROM runs
 * 0x04   4     version    guest: 1
 * 0x08   4     request    guest: a request code
 * 0x0C   4     status     guest: PENDING; jgrub: DONE or STOP
 * 0x10   8x6   arguments  guest
 * 0x40   8x10  reply      jgrub
 * 0x100  16    fw_cfg DMA access (FWCfgDmaAccess), jgrub, for the reply's last word
 * 0x110  ...   the data that access writes (the ramfb configuration)
 * </pre>
 *
 * FIRMWARE_READY: argument 0 is the number of E820 entries at {@link GuestLayout#E820_BUFFER}, argument 1 their size;
 * the reply is the entry state: mode (1 protected 32-bit, 2 long mode, 3 real mode), RIP, RAX, RBX, RCX, RDX, RSP,
 * CR3, RSI (read in protected mode only: Linux's 32-bit entry takes boot_params in ESI). Real mode uses RIP for IP,
 * RCX for CS, RDX for the data segment (DS, ES, FS, GS, SS) and RSP for SP. The tenth reply word is the address of an
 * fw_cfg DMA access the ROM starts before it enters the image (0: none); jgrub sets the ramfb display's mode so.
 */
public final class Mailbox {

    static final int SIGNATURE = 0x4252474a;
    static final int VERSION = 1;

    static final int OFFSET_SIGNATURE = 0x00;
    static final int OFFSET_VERSION = 0x04;
    static final int OFFSET_REQUEST = 0x08;
    static final int OFFSET_STATUS = 0x0c;
    static final int OFFSET_ARGUMENTS = 0x10;
    static final int ARGUMENTS = 6;
    static final int OFFSET_REPLY = 0x40;
    static final int REPLIES = 10;
    /** Reply word: the fw_cfg DMA access the ROM starts before the entry, 0 for none. */
    static final int REPLY_FW_CFG_DMA = 9;
    static final int OFFSET_FW_CFG_DMA_ACCESS = 0x100;
    static final int OFFSET_FW_CFG_DMA_DATA = 0x110;

    public static final int PENDING = 1;
    public static final int DONE = 2;
    public static final int STOP = 3;

    /** The option ROM has the firmware's memory map and waits for the entry state. */
    public static final int FIRMWARE_READY = 1;

    public static final int MODE_PROTECTED32 = 1;
    public static final int MODE_LONG64 = 2;
    public static final int MODE_REAL16 = 3;

    private final GuestMemory memory;

    public Mailbox(GuestMemory memory) {
        this.memory = memory;
    }

    private static long at(int offset) {
        return GuestLayout.MAILBOX + offset;
    }

    public boolean signed() throws GuestMemoryException {
        return memory.readU32(at(OFFSET_SIGNATURE)) == SIGNATURE && memory.readU32(at(OFFSET_VERSION)) == VERSION;
    }

    public int request() throws GuestMemoryException {
        return memory.readU32(at(OFFSET_REQUEST));
    }

    public int status() throws GuestMemoryException {
        return memory.readU32Acquire(at(OFFSET_STATUS));
    }

    public long argument(int index) throws GuestMemoryException {
        if (index < 0 || index >= ARGUMENTS) {
            throw new IndexOutOfBoundsException(index);
        }
        return memory.readU64(at(OFFSET_ARGUMENTS + 8 * index));
    }

    /** Writes the reply words, then releases the guest with {@link #DONE}. */
    public void complete(long... reply) throws GuestMemoryException {
        if (reply.length > REPLIES) {
            throw new IllegalArgumentException("a reply has at most " + REPLIES + " words");
        }
        for (int i = 0; i < reply.length; i++) {
            memory.writeU64(at(OFFSET_REPLY + 8 * i), reply[i]);
        }
        memory.writeU32Release(at(OFFSET_STATUS), DONE);
    }

    /** Tells the waiting guest to halt: jgrub ends the run. */
    public void stop() throws GuestMemoryException {
        memory.writeU32Release(at(OFFSET_STATUS), STOP);
    }
}
