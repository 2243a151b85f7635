package jgrub.config.eval;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * GRUB's variables (grub-core/kern/env.c, normal/context.c): a stack of contexts; a new context (submenu,
 * configfile) starts with copies of the exported variables only and is thrown away when closed.
 */
final class Environment {

    private static final class Variable {
        String value;
        boolean exported;

        Variable(String value, boolean exported) {
            this.value = value;
            this.exported = exported;
        }
    }

    private final Deque<Map<String, Variable>> contexts = new ArrayDeque<>();
    /** Characters of all names and values in all contexts, for {@link Budget#MAX_STORED}. */
    private long chars;

    Environment() {
        contexts.push(new LinkedHashMap<>());
    }

    private Environment(Environment other) {
        chars = other.chars;
        for (var it = other.contexts.descendingIterator(); it.hasNext(); ) {
            Map<String, Variable> copy = new LinkedHashMap<>();
            it.next().forEach((k, v) -> copy.put(k, new Variable(v.value, v.exported)));
            contexts.push(copy);
        }
    }

    /** An independent copy: dry runs of entries must not see each other's changes. */
    Environment copy() {
        return new Environment(this);
    }

    String get(String name) {
        Variable v = contexts.peek().get(name);
        return v == null ? null : v.value;
    }

    void set(String name, String value) {
        Map<String, Variable> current = contexts.peek();
        Variable v = current.get(name);
        // GRUB's write hook on root strips one pair of parentheses: set root=(hd0,gpt1) stores hd0,gpt1.
        if ("root".equals(name) && value.length() >= 2 && value.startsWith("(") && value.endsWith(")")) {
            value = value.substring(1, value.length() - 1);
        }
        if (v == null) {
            current.put(name, new Variable(value, false));
            chars += name.length() + value.length();
        } else {
            chars += value.length() - v.value.length();
            v.value = value;
        }
    }

    void unset(String name) {
        Variable v = contexts.peek().remove(name);
        if (v != null) {
            chars -= name.length() + v.value.length();
        }
    }

    void export(String name) {
        Variable v = contexts.peek().get(name);
        if (v == null) {
            contexts.peek().put(name, new Variable("", true));
            chars += name.length();
        } else {
            v.exported = true;
        }
    }

    void open() {
        Map<String, Variable> next = new LinkedHashMap<>();
        contexts.peek().forEach((k, v) -> {
            if (v.exported) {
                next.put(k, new Variable(v.value, true));
            }
        });
        chars += size(next);
        contexts.push(next);
    }

    void close() {
        if (contexts.size() > 1) {
            chars -= size(contexts.pop());
        }
    }

    private static long size(Map<String, Variable> context) {
        long size = 0;
        for (Map.Entry<String, Variable> e : context.entrySet()) {
            size += e.getKey().length() + e.getValue().value.length();
        }
        return size;
    }

    /** Characters of all names and values in all contexts. */
    long chars() {
        return chars;
    }

    /** All variables of the current context, sorted by name as GRUB's {@code set} lists them. */
    Map<String, String> sorted() {
        Map<String, String> out = new TreeMap<>();
        contexts.peek().forEach((k, v) -> out.put(k, v.value));
        return out;
    }
}
