package jgrub.fs;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jgrub.testing.Prerequisites;

/** Runs the real FAT and partitioning tools (dosfstools, mtools, fdisk) that build and check test images. */
public final class Tools {

    private Tools() {
    }

    /** Runs {@code program args...} and returns its stdout as bytes; a non-zero exit fails the test. */
    public static byte[] run(byte[] stdin, String program, String... args) throws IOException {
        Result r = exec(stdin, program, args);
        if (r.code() != 0) {
            fail(program + " " + String.join(" ", args) + " exited " + r.code() + ": " + r.err());
        }
        return r.out();
    }

    /** What a program did: its exit code, stdout and stderr. */
    public record Result(int code, byte[] out, String err) {
    }

    /** Runs {@code program args...} whatever its exit code (an oracle that is expected to refuse, too). */
    public static Result exec(byte[] stdin, String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Prerequisites.program(program).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("MTOOLS_SKIP_CHECK", "1");
        env.put("LANG", "C.UTF-8");
        env.put("LC_ALL", "C.UTF-8");
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
        errReader.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            int code = p.waitFor();
            errReader.join();
            return new Result(code, out, err.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public static String text(String program, String... args) throws IOException {
        return new String(run(null, program, args), StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process died; its exit code tells
        }
    }

    /** mtools' image argument for a file system at byte {@code offset} of {@code image}. */
    public static String mtoolsImage(Path image, long offset) {
        return offset == 0 ? image.toString() : image + "@@" + offset;
    }

    /** mkfs.fat on a new file of {@code kib} KiB (or, with {@code offsetSectors}, into an existing disk). */
    public static void mkfs(Path image, long offsetSectors, long kib, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of(options));
        if (offsetSectors >= 0) {
            args.add("--offset=" + offsetSectors);
        } else {
            args.add("-C");
        }
        args.add(image.toString());
        args.add(Long.toString(kib));
        run(null, "mkfs.fat", args.toArray(String[]::new));
    }

    /** Writes a partition table with sfdisk, for example {@code "label: gpt\nsize=8M, type=U\n"}. */
    public static void sfdisk(Path image, String script) throws IOException {
        run(script.getBytes(StandardCharsets.UTF_8), "sfdisk", "-q", image.toString());
    }
}
