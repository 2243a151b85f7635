package jgrub.config.eval;

/**
 * A GRUB file name split into device and path: {@code (hd0,gpt1)/boot/xen.gz}, or {@code /boot/xen.gz} on the device
 * in {@code $root}. The device may be empty when neither names one.
 */
public record GrubPath(String device, String path) {

    public static GrubPath resolve(String name, String root) {
        String device = root == null ? "" : root;
        String path = name;
        if (name.startsWith("(")) {
            int close = name.indexOf(')');
            if (close > 0) {
                device = name.substring(1, close);
                path = name.substring(close + 1);
            }
        }
        if (path.isEmpty()) {
            path = "/";
        }
        return new GrubPath(device, path);
    }

    @Override
    public String toString() {
        return "(" + device + ")" + path;
    }
}
