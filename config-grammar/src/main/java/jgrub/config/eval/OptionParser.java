package jgrub.config.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GRUB's option parser for extended commands (grub-core/lib/arg.c, grub_arg_parse), messages included. */
final class OptionParser {

    enum Type { NONE, STRING, INT }

    /** One option; {@code shortName} 0 when it has none. */
    record Option(String longName, char shortName, Type type, boolean optional, boolean repeatable) {

        /** The name options are found under: the long name, or the short letter when there is none. */
        String key() {
            return longName != null ? longName : String.valueOf(shortName);
        }

        static Option flag(String longName, char shortName) {
            return new Option(longName, shortName, Type.NONE, false, false);
        }

        static Option string(String longName, char shortName) {
            return new Option(longName, shortName, Type.STRING, false, false);
        }
    }

    /** Options found (value list; empty list for a flag) and the other arguments, or the error GRUB gives. */
    record Parsed(Map<String, List<String>> options, List<String> args, Status error) {

        boolean has(String name) {
            return options.containsKey(name);
        }

        String value(String name) {
            List<String> values = options.get(name);
            return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
        }

        List<String> values(String name) {
            return options.getOrDefault(name, List.of());
        }
    }

    private final List<Option> options;
    private final boolean acceptDash;
    private final boolean optionsAtStart;

    OptionParser(boolean acceptDash, boolean optionsAtStart, Option... options) {
        List<Option> all = new ArrayList<>(List.of(options));
        // Every extended command also takes --help and --usage (lib/arg.c, help_options).
        all.add(Option.flag("help", (char) 0));
        all.add(Option.flag("usage", (char) 0));
        this.options = all;
        this.acceptDash = acceptDash;
        this.optionsAtStart = optionsAtStart;
    }

    private Option findShort(char c) {
        for (Option o : options) {
            if (o.shortName == c && c != 0) {
                return o;
            }
        }
        return null;
    }

    private Option findLong(String name) {
        for (Option o : options) {
            if (o.longName != null && o.longName.equals(name)) {
                return o;
            }
        }
        return null;
    }

    Parsed parse(List<String> argv) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        for (int cur = 0; cur < argv.size(); cur++) {
            String arg = argv.get(cur);
            Option opt;
            String value = null;
            if ((!args.isEmpty() && optionsAtStart) || !arg.startsWith("-") || arg.length() == 1) {
                args.add(arg);
                continue;
            }
            if (arg.charAt(1) != '-') {
                if (acceptDash) {
                    boolean allKnown = true;
                    for (int i = 1; i < arg.length(); i++) {
                        if (findShort(arg.charAt(i)) == null) {
                            allKnown = false;
                            break;
                        }
                    }
                    if (!allKnown) {
                        args.add(arg);
                        continue;
                    }
                }
                int i = 1;
                while (true) {
                    opt = findShort(arg.charAt(i));
                    if (opt == null) {
                        return fail("unknown argument `-" + arg.charAt(i) + "'");
                    }
                    i++;
                    if (i < arg.length()) {
                        if (opt.type != Type.NONE && !opt.optional) {
                            return fail("missing mandatory option for `" + opt.longName + "'");
                        }
                        found.computeIfAbsent(opt.key(), k -> new ArrayList<>());
                    } else {
                        if (opt.type != Type.NONE && cur + 1 < argv.size()) {
                            String next = argv.get(cur + 1);
                            if (!opt.optional || next.length() < 2 || next.charAt(0) != '-') {
                                value = argv.get(++cur);
                            }
                        }
                        break;
                    }
                }
            } else {
                if (arg.length() == 2) {
                    args.addAll(argv.subList(cur + 1, argv.size()));
                    break;
                }
                int eq = arg.indexOf('=');
                String name = eq >= 0 ? arg.substring(2, eq) : arg.substring(2);
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                }
                opt = findLong(name);
                if (value == null && cur + 1 < argv.size() && !argv.get(cur + 1).startsWith("-") && opt != null
                        && opt.type != Type.NONE) {
                    value = argv.get(++cur);
                }
                if (opt == null && acceptDash) {
                    args.add(arg);
                    continue;
                }
                if (opt == null) {
                    return fail("unknown argument `" + arg + "'");
                }
            }
            if (!(opt.type == Type.NONE || (value == null && opt.optional))) {
                if (value == null) {
                    return fail("missing mandatory option for `" + opt.longName + "'");
                }
                if (opt.type == Type.INT && !value.matches("(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)")) {
                    return fail("the argument `" + arg + "' requires an integer");
                }
                List<String> values = found.computeIfAbsent(opt.key(), k -> new ArrayList<>());
                if (!opt.repeatable) {
                    values.clear();
                }
                values.add(value);
            } else {
                if (value != null) {
                    return fail("a value was assigned to the argument `" + arg
                            + "' while it doesn't require an argument");
                }
                found.computeIfAbsent(opt.key(), k -> new ArrayList<>());
            }
        }
        return new Parsed(found, args, Status.OK);
    }

    private static Parsed fail(String message) {
        return new Parsed(Map.of(), List.of(), Status.error(GrubError.BAD_ARGUMENT, message));
    }
}
