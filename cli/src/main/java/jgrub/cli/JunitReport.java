package jgrub.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import jgrub.grub.EntryBoots;

/**
 * The JUnit XML report of {@code check --boot}, in the format Ant's JUnit task writes and GitLab CI, GitHub Actions
 * and Jenkins read ({@code junit.xsd} beside this class describes what jgrub writes): one {@code testsuite} for the
 * config, one {@code testcase} per entry and platform, a {@code failure} with the reason and the console's last lines
 * for an entry that did not boot.
 */
final class JunitReport {

    private JunitReport() {
    }

    static String write(String config, List<EntryBoots.Outcome> outcomes, Instant started) {
        long failures = outcomes.stream().filter(o -> !o.passed()).count();
        Duration total = outcomes.stream().map(EntryBoots.Outcome::elapsed).reduce(Duration.ZERO, Duration::plus);
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append("<testsuites name=\"jgrub check --boot\" tests=\"").append(outcomes.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" time=\"").append(seconds(total))
                .append("\">\n");
        xml.append("  <testsuite name=\"").append(escape(config)).append("\" tests=\"").append(outcomes.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"0\" time=\"")
                .append(seconds(total)).append("\" timestamp=\"")
                .append(started.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", "")).append("\">\n");
        for (EntryBoots.Outcome o : outcomes) {
            xml.append("    <testcase classname=\"jgrub.boot.").append(o.boot().platform().grubPlatform())
                    .append("\" name=\"").append(escape(o.boot().path() + " " + o.boot().title()))
                    .append("\" time=\"").append(seconds(o.elapsed())).append('"');
            if (o.passed()) {
                xml.append("/>\n");
                continue;
            }
            xml.append(">\n      <failure type=\"boot\" message=\"").append(escape(o.message())).append("\">")
                    .append(escape(o.message()));
            if (!o.console().isEmpty()) {
                xml.append("\n\nlast console lines:\n").append(escape(String.join("\n", o.console())));
            }
            xml.append("</failure>\n    </testcase>\n");
        }
        return xml.append("  </testsuite>\n</testsuites>\n").toString();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0);
    }

    /** Text and attribute values: the five XML escapes; characters XML 1.0 cannot hold (console noise) as U+FFFD. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0xfffe || c == 0xffff
                        ? '\ufffd' : c);
            }
        }
        return out.toString();
    }
}
