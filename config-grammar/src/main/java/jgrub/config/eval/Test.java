package jgrub.config.eval;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** {@code test} and {@code [} (grub-core/commands/test.c, test_parse), files looked up on the disk. */
final class Test {

    private final Interpreter in;
    private final List<String> args;
    private int argn;
    private boolean invert;
    private boolean or;
    private boolean and = true;
    /** grub_errno after the numbers were read: GRUB prints it after a test that is true (false overwrites it). */
    private Status leftOver = Status.OK;

    private Test(Interpreter in, List<String> args) {
        this.in = in;
        this.args = args;
    }

    static Status run(Interpreter in, List<String> argv) {
        List<String> args = argv;
        if (!args.isEmpty() && "]".equals(args.get(args.size() - 1))) {
            args = args.subList(0, args.size() - 1);
        }
        Test test = new Test(in, args);
        if (!test.parse()) {
            return Status.error(GrubError.TEST_FAILURE, "false");
        }
        in.report(test.leftOver);
        return Status.OK;
    }

    private void update(boolean value) {
        and = and && (invert ? !value : value);
        invert = false;
    }

    /** test.c grub_strtosl: an int, so 4294967296 -eq 0 and 2147483648 -lt 0 hold, as in GRUB. */
    private int signed(String s) {
        boolean negative = s.startsWith("-");
        return negative ? -number(s.substring(1)).asInt() : number(s).asInt();
    }

    /** grub_strtoul(s, 0, 0), keeping its error as GRUB's grub_errno keeps it. */
    private Strtoul number(String s) {
        Strtoul n = Strtoul.parse(s, 0);
        if (!n.error().ok()) {
            leftOver = n.error();
        }
        return n;
    }

    private static int compare(String a, String b) {
        // grub_strcmp compares unsigned bytes of the UTF-8 text.
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int d = Byte.toUnsignedInt(x[i]) - Byte.toUnsignedInt(y[i]);
            if (d != 0) {
                return d;
            }
        }
        return x.length - y.length;
    }

    private boolean parse() {
        int argc = args.size();
        while (argn < argc) {
            if (argn + 2 < argc) {
                String a = args.get(argn);
                String op = args.get(argn + 1);
                String b = args.get(argn + 2);
                Boolean result = switch (op) {
                    case "=", "==" -> compare(a, b) == 0;
                    case "!=" -> compare(a, b) != 0;
                    case "<" -> compare(a, b) < 0;
                    case "<=" -> compare(a, b) <= 0;
                    case ">" -> compare(a, b) > 0;
                    case ">=" -> compare(a, b) >= 0;
                    case "-eq" -> signed(a) == signed(b);
                    case "-ge" -> signed(a) >= signed(b);
                    case "-gt" -> signed(a) > signed(b);
                    case "-le" -> signed(a) <= signed(b);
                    case "-lt" -> signed(a) < signed(b);
                    case "-ne" -> signed(a) != signed(b);
                    case "-pgt", "-plt" -> prefixCompare(a, b, op.equals("-pgt"));
                    default -> null;
                };
                if (result == null && (op.startsWith("-nt") || op.startsWith("-ot"))) {
                    // Modification times are not part of the disk view: a file that exists is newer than none.
                    boolean e1 = info(a).isPresent();
                    boolean e2 = info(b).isPresent();
                    result = op.startsWith("-nt") ? e1 && !e2 : !e1 && e2;
                }
                if (result != null) {
                    update(result);
                    argn += 3;
                    continue;
                }
            }
            if (argn + 1 < argc) {
                String op = args.get(argn);
                String file = args.get(argn + 1);
                Boolean result = switch (op) {
                    case "-d" -> info(file).map(DiskView.FileInfo::directory).orElse(false);
                    case "-e" -> info(file).isPresent();
                    case "-f" -> info(file).map(f -> !f.directory()).orElse(false);
                    case "-s" -> info(file).map(f -> !f.directory() && f.size() != 0).orElse(false);
                    case "-n" -> !file.isEmpty();
                    case "-z" -> file.isEmpty();
                    default -> null;
                };
                if (result != null) {
                    update(result);
                    argn += 2;
                    continue;
                }
            }
            String arg = args.get(argn);
            if (")".equals(arg)) {
                argn++;
                return or || and;
            }
            if ("(".equals(arg)) {
                argn++;
                Test inner = new Test(in, args);
                inner.argn = argn;
                boolean value = inner.parse();
                argn = inner.argn;
                update(value);
                continue;
            }
            if ("!".equals(arg)) {
                invert = !invert;
                argn++;
                continue;
            }
            if ("-a".equals(arg)) {
                argn++;
                continue;
            }
            if ("-o".equals(arg)) {
                or = or || and;
                and = true;
                argn++;
                continue;
            }
            update(!arg.isEmpty());
            argn++;
        }
        return or || and;
    }

    private boolean prefixCompare(String a, String b, boolean greater) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        i--;
        while (i > 0 && i < a.length() && Character.isDigit(a.charAt(i))) {
            i--;
        }
        i++;
        int order = Long.compareUnsigned(number(a.substring(Math.min(i, a.length()))).value(),
                number(b.substring(Math.min(i, b.length()))).value());
        return greater ? order > 0 : order < 0;
    }

    /** The file a test names, on the disk; nothing when there is no disk (the check is then noted as skipped). */
    private Optional<DiskView.FileInfo> info(String name) {
        DiskView disk = in.options.disk();
        GrubPath path = GrubPath.resolve(name, in.env.get("root"));
        if (!disk.readable(path.device())) {
            in.note(new Notice(Notice.Kind.DISK_SKIPPED, in.current, "test of " + path + " answered false ("
                    + Interpreter.unreadable(disk) + ")"));
            return Optional.empty();
        }
        String p = path.path();
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        try {
            return disk.stat(path.device(), p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
