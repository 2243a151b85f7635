package jgrub.config.eval;

import java.util.List;
import jgrub.config.ast.Position;

/**
 * One boot command as GRUB runs it: its name ({@code multiboot2}, {@code module2}, {@code linux}, {@code initrd},
 * {@code chainloader}, {@code boot}, ...), its arguments after expansion, the value of {@code $root} at that moment
 * (the device a path without {@code (device)} refers to), and where the command is written.
 */
public record BootCommand(String name, List<String> args, String root, Position position) {

    public BootCommand {
        args = List.copyOf(args);
    }

    /** The first argument that is not an option (the kernel, module or image file), or null. */
    public String file() {
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                return arg;
            }
        }
        return null;
    }

    /** The arguments after {@link #file()}: the command line GRUB passes to the image. */
    public List<String> commandLine() {
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("--")) {
            i++;
        }
        return i < args.size() ? args.subList(i + 1, args.size()) : List.of();
    }

    /**
     * Every file the command reads, each split into device and path: all the words of {@code initrd},
     * {@code initrd16} and {@code initrdefi} (GRUB's initrd takes no options and concatenates every file it is given),
     * none for {@code boot} and {@code fwsetup}, else {@link #file()}.
     */
    public List<GrubPath> files() {
        List<String> names = switch (name) {
            case "initrd", "initrd16", "initrdefi" -> args;
            case "boot", "fwsetup" -> List.of();
            default -> file() == null ? List.of() : List.of(file());
        };
        return names.stream().map(n -> GrubPath.resolve(n, root)).toList();
    }

    /** {@link #file()} split into device and path: {@code (hd0,gpt1)/x} or {@code /x} on {@link #root()}. */
    public GrubPath resolvedFile() {
        String file = file();
        return file == null ? null : GrubPath.resolve(file, root);
    }

    @Override
    public String toString() {
        return args.isEmpty() ? name : name + " " + String.join(" ", args);
    }
}
