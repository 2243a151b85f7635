package jgrub.cli;

import java.util.List;
import jgrub.boot.Platform;
import picocli.CommandLine.ITypeConverter;

/** The platforms an option names: one, or both ({@code efi} then {@code pc}) where a command runs each. */
record Platforms(List<Platform> each) {

    Platforms {
        each = List.copyOf(each);
    }

    /** {@code efi}, {@code pc} or {@code both}. */
    static final class Converter implements ITypeConverter<Platforms> {
        @Override
        public Platforms convert(String value) {
            if (value.equalsIgnoreCase("both")) {
                return new Platforms(List.of(Platform.EFI, Platform.PC));
            }
            return new Platforms(List.of(new PlatformConverter().convert(value)));
        }
    }
}
