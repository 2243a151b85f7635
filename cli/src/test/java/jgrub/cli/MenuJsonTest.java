package jgrub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jgrub.fat.write.EspBuilder;
import jgrub.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jgrub menu --json}: what each entry boots, checked against its schema and against the disk's bytes. */
class MenuJsonTest {

    static final String CONFIG = """
            set timeout=5
            set default=xen
            set fallback="1 2"
            set kopts="root=/dev/ram0 console=hvc0"
            menuentry 'Debian GNU/Linux, with Xen' --class xen --id xen {
                insmod part_gpt
                multiboot2 /boot/xen.gz placeholder console=com1
                module2 /boot/vmlinuz placeholder $kopts
                module2 --nounzip /boot/initrd.img
            }
            submenu 'Advanced' --id adv {
                menuentry 'Linux' --hotkey=l { linux /boot/vmlinuz ro quiet; initrd /boot/initrd.img /boot/extra.img; }
            }
            menuentry 'Nothing' { echo nothing to boot; }
            """;

    @TempDir
    static Path dir;
    static Path image;
    static Path hostConfig;

    @BeforeAll
    static void disk() throws IOException {
        hostConfig = Files.writeString(dir.resolve("grub.cfg"), CONFIG);
        Files.write(dir.resolve("xen.gz"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("vmlinuz"), new byte[200_000]);
        Files.writeString(dir.resolve("initrd.img"), "initrd");
        image = dir.resolve("disk.img");
        new EspBuilder(16 << 20).add(hostConfig, "/EFI/BOOT/grub.cfg").add(dir.resolve("xen.gz"), "/boot/xen.gz")
                .add(dir.resolve("vmlinuz"), "/boot/vmlinuz").add(dir.resolve("initrd.img"), "/boot/initrd.img")
                .write(image, false);
    }

    static Map<?, ?> menuJson(String... args) throws IOException {
        MainTest.Run run = MainTest.Run.of(args);
        assertEquals(0, run.code(), run.err());
        Set<ValidationMessage> problems = schema().validate(new ObjectMapper().readTree(run.out()));
        assertEquals(Set.of(), problems, run.out());
        return (Map<?, ?>) Json.parse(run.out().strip());
    }

    static JsonSchema schema() throws IOException {
        try (InputStream in = MenuJson.class.getResourceAsStream("menu.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @Test
    void onTheDisk_everyEntrysCommandsAndFiles_withSizesAndHashes() throws Exception {
        Map<?, ?> menu = menuJson("menu", "--json", "--disk", image.toString());
        assertEquals("(hd0,gpt1)/EFI/BOOT/grub.cfg", menu.get("config"));
        assertEquals(true, menu.get("diskChecked"));
        assertEquals(5L, menu.get("timeout"));
        assertEquals("xen", menu.get("default"));
        assertEquals("0", menu.get("defaultPath"));
        assertEquals(List.of("1", "2"), menu.get("fallback"));
        List<?> entries = (List<?>) menu.get("entries");
        assertEquals(3, entries.size());

        Map<?, ?> xen = (Map<?, ?>) entries.get(0);
        assertEquals(List.of("xen"), xen.get("classes"));
        assertEquals(true, xen.get("boots"));
        List<?> commands = (List<?>) xen.get("commands");
        assertEquals(List.of("multiboot2", "module2", "module2", "boot"),
                commands.stream().map(c -> ((Map<?, ?>) c).get("name")).toList());
        Map<?, ?> kernel = (Map<?, ?>) commands.get(1);
        assertEquals(List.of("/boot/vmlinuz", "placeholder", "root=/dev/ram0", "console=hvc0"), kernel.get("args"));
        Map<?, ?> vmlinuz = (Map<?, ?>) ((List<?>) kernel.get("files")).get(0);
        assertEquals("hd0,gpt1", vmlinuz.get("device"));
        assertEquals(200_000L, vmlinuz.get("size"));
        assertEquals(sha256(new byte[200_000]), vmlinuz.get("sha256"));
        Map<?, ?> initrd = (Map<?, ?>) ((List<?>) ((Map<?, ?>) commands.get(2)).get("files")).get(0);
        assertEquals("/boot/initrd.img", initrd.get("path"));

        Map<?, ?> advanced = (Map<?, ?>) entries.get(1);
        assertEquals("submenu", advanced.get("type"));
        Map<?, ?> linux = (Map<?, ?>) ((List<?>) advanced.get("entries")).get(0);
        assertEquals("1>0", linux.get("path"));
        assertEquals("l", linux.get("hotkey"));
        Map<?, ?> initrds = (Map<?, ?>) ((List<?>) linux.get("commands")).get(1);
        List<?> files = (List<?>) initrds.get("files");
        assertEquals(2, files.size(), "every initrd is a file");
        Map<?, ?> missing = (Map<?, ?>) files.get(1);
        assertEquals("/boot/extra.img", missing.get("path"));
        assertEquals(null, missing.get("size"));
        assertTrue(((String) initrds.get("error")).contains("extra.img"), initrds.toString());
        assertEquals(true, linux.get("boots"), "GRUB goes on after a failed initrd and boots the kernel without it");

        Map<?, ?> nothing = (Map<?, ?>) entries.get(2);
        assertEquals(false, nothing.get("boots"));
        assertEquals(List.of(), nothing.get("commands"));
    }

    @Test
    void aHostConfigAlone_resolvesFilesWithoutSizes() throws Exception {
        Map<?, ?> menu = menuJson("menu", "--json", "--platform", "pc", hostConfig.toString());
        assertEquals("pc", menu.get("platform"));
        assertEquals(false, menu.get("diskChecked"));
        Map<?, ?> xen = (Map<?, ?>) ((List<?>) menu.get("entries")).get(0);
        Map<?, ?> file = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) xen.get("commands")).get(0)).get("files")).get(0);
        assertEquals("/boot/xen.gz", file.get("path"));
        assertEquals(null, file.get("sha256"));
    }

    @Test
    void jsonWithInteractive_isAUsageError() {
        assertEquals(2, MainTest.Run.of("menu", "--json", "--interactive", hostConfig.toString()).code());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
