package jgrub.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one size syntax of every option that takes a size ({@code boot --memory}, {@code mkesp --size}): a whole number
 * with an optional unit, powers of 1024, any case: {@code B} bytes; {@code K}, {@code M}, {@code G}, {@code T} (also
 * written {@code KiB}, {@code MB} ...); a bare number is MiB, as QEMU's {@code -m} reads it. {@code 2048}, {@code 512M}
 * and {@code 2G} are sizes; {@code 1.5G} and {@code -1} are not.
 */
final class SizeConverter implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(?:([KMGT])(?:I?B)?|(B))?", Pattern.CASE_INSENSITIVE);

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /** The bytes {@code text} says; {@link TypeConversionException} naming the text when it is not a size. */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a size such as 2048 (MiB), 512M, 2G or 4096B");
        }
        int shift;
        if (m.group(3) != null) {
            shift = 0;
        } else if (m.group(2) == null) {
            shift = 20;
        } else {
            shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "K" -> 10;
                case "M" -> 20;
                case "G" -> 30;
                default -> 40;
            };
        }
        try {
            long number = Long.parseLong(m.group(1));
            if (number > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return number << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is too large a size");
        }
    }
}
