package jgrub.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The seeded raw register agrees with the JDK's CRC32C, which starts from ~0 and inverts at the end. */
class Crc32cTest {

    @Test
    void rawRegisterFromAllOnes_isTheJdksCrc32cInverted() {
        Random random = new Random(3);
        for (int length : new int[] {0, 1, 4, 60, 1020, 4096}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            CRC32C jdk = new CRC32C();
            jdk.update(data);
            int raw = Crc32c.update(-1, ByteBuffer.wrap(data), 0, length);
            assertEquals(jdk.getValue(), Integer.toUnsignedLong(~raw), "length " + length);
        }
    }

    @Test
    void intsAndZeros_matchTheirBytes() {
        ByteBuffer b = ByteBuffer.allocate(10).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x12345678);
        assertEquals(Crc32c.update(7, b, 0, 10), Crc32c.updateZeros(Crc32c.updateInt(7, 0x12345678), 6));
    }
}
