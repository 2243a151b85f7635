package jgrub.config.eval;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A disk in memory for tests: devices in the order given, each with files by absolute path; directories are the
 * paths' prefixes and list their names in the order the files were added (a FAT directory's order).
 */
final class MemoryDisk implements DiskView {

    private final Map<String, Map<String, byte[]>> devices = new LinkedHashMap<>();

    MemoryDisk device(String name) {
        devices.computeIfAbsent(name, n -> new LinkedHashMap<>());
        return this;
    }

    MemoryDisk file(String device, String path, String text) {
        device(device);
        devices.get(device).put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    MemoryDisk file(String device, String path, byte[] bytes) {
        device(device);
        devices.get(device).put(path, bytes);
        return this;
    }

    @Override
    public List<Device> devices() {
        return devices.keySet().stream().map(n -> new Device(n, Optional.empty(), Optional.empty())).toList();
    }

    @Override
    public Optional<FileInfo> stat(String device, String path) {
        Map<String, byte[]> files = devices.getOrDefault(device, Map.of());
        if (files.containsKey(path)) {
            return Optional.of(new FileInfo(false, files.get(path).length));
        }
        String dir = path.endsWith("/") ? path : path + "/";
        boolean isDir = files.keySet().stream().anyMatch(f -> f.startsWith(dir));
        return isDir ? Optional.of(new FileInfo(true, 0)) : Optional.empty();
    }

    @Override
    public byte[] read(String device, String path) throws NoSuchFileException {
        byte[] bytes = devices.getOrDefault(device, Map.of()).get(path);
        if (bytes == null) {
            throw new NoSuchFileException("(" + device + ")" + path);
        }
        return bytes.clone();
    }

    @Override
    public List<DirEntry> list(String device, String path) throws java.io.IOException {
        Optional<FileInfo> info = stat(device, path);
        if (info.isEmpty()) {
            throw new NoSuchFileException("(" + device + ")" + path);
        }
        if (!info.get().directory()) {
            throw new NotDirectoryException("(" + device + ")" + path);
        }
        String dir = path.endsWith("/") ? path : path + "/";
        List<DirEntry> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        devices.get(device).forEach((file, bytes) -> {
            if (!file.startsWith(dir)) {
                return;
            }
            String rest = file.substring(dir.length());
            int slash = rest.indexOf('/');
            String name = slash < 0 ? rest : rest.substring(0, slash);
            if (!seen.contains(name)) {
                seen.add(name);
                out.add(new DirEntry(name, slash >= 0, slash >= 0 ? 0 : bytes.length));
            }
        });
        return out;
    }
}
