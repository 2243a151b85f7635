package jgrub.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jgrub.testing.Prerequisites;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guest's disk as QEMU sees it from jgrub's arguments: each bus is accepted, and a write through the drive (QEMU's
 * own qemu-io, as a guest's would) reaches the image only when it is writable.
 */
class GuestDiskTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(GuestDisk.Bus.class)
    void aGuestWrite_goesToTheOverlay_unlessWritable(GuestDisk.Bus bus) throws Exception {
        for (boolean writable : new boolean[] {false, true}) {
            Path image = dir.resolve(bus + "-" + writable + ".img");
            byte[] before = new byte[1 << 20];
            Files.write(image, before);
            String reply = writeThroughQemu(new GuestDisk(image, GuestDisk.Format.of(image), bus, writable));
            assertTrue(reply.contains("wrote 512/512 bytes"), reply);
            byte[] after = Files.readAllBytes(image);
            if (writable) {
                assertEquals(0x55, after[0] & 0xff, "the write did not reach the writable image");
            } else {
                assertArrayEquals(before, after, "the image changed though the disk was not writable");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void qcow2IsToldAsQcow2() throws Exception {
        Path qemuImg = Prerequisites.program("qemu-img");
        Path image = dir.resolve("disk.qcow2");
        Process create = new ProcessBuilder(qemuImg.toString(), "create", "-q", "-f", "qcow2", image.toString(), "1M")
                .redirectErrorStream(true).start();
        assertEquals(0, create.waitFor(), new String(create.getInputStream().readAllBytes()));
        assertEquals(GuestDisk.Format.QCOW2, GuestDisk.Format.of(image));
        String reply = writeThroughQemu(new GuestDisk(image, GuestDisk.Format.QCOW2, GuestDisk.Bus.VIRTIO, false));
        assertTrue(reply.contains("wrote 512/512 bytes"), reply);
    }

    /** Starts QEMU stopped (-S) with the disk, writes 0x55 over its first sector through the drive, and quits. */
    private static String writeThroughQemu(GuestDisk disk) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Prerequisites.program("qemu-system-x86_64").toString(),
                "-nodefaults", "-no-user-config", "-display", "none", "-machine", "pc", "-S", "-qmp", "stdio"));
        command.addAll(QemuCommand.disk(disk));
        Process qemu = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (Writer in = new OutputStreamWriter(qemu.getOutputStream(), StandardCharsets.UTF_8);
                BufferedReader out = new BufferedReader(new InputStreamReader(qemu.getInputStream(),
                        StandardCharsets.UTF_8))) {
            in.write("{\"execute\":\"qmp_capabilities\"}\n");
            in.write("{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":"
                    + "\"qemu-io jgrub-disk \\\"write -P 0x55 0 512\\\"\"}}\n");
            in.write("{\"execute\":\"quit\"}\n");
            in.flush();
            StringBuilder replies = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                replies.append(line).append('\n');
            }
            return replies.toString();
        } finally {
            if (!qemu.waitFor(20, TimeUnit.SECONDS)) {
                qemu.destroyForcibly();
            }
        }
    }
}
