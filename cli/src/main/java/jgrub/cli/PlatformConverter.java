package jgrub.cli;

import jgrub.boot.Platform;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --platform efi|pc}, as GRUB names its builds in {@code $grub_platform}; any case. */
final class PlatformConverter implements ITypeConverter<Platform> {

    @Override
    public Platform convert(String value) {
        Platform platform = Platform.byName(value);
        if (platform == null) {
            throw new TypeConversionException("efi or pc, not '" + value + "'");
        }
        return platform;
    }
}
