#!/usr/bin/env bash
# Records what real GRUB 2 (Debian's grub-pc-bin, i386-pc) hands a Multiboot kernel, for the differential tests in
# jgrub.multiboot.GrubDifferentialTest. Boots dump-mbi.S (which prints EAX, EBX and the boot information on COM1)
# with GRUB under QEMU/SeaBIOS, once with multiboot2/module2 and once with multiboot/module, and writes the two serial
# logs into OUTDIR with the kernel and the two gzip modules, so that the tests load exactly the same files.
#
# usage: capture.sh multiboot/src/test/resources/jgrub/multiboot/grub
# needs: grub-pc-bin grub-common grub-efi-amd64-bin ovmf qemu-system-x86 binutils gzip dosfstools mtools
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: capture.sh OUTDIR}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

as --32 -o "$work/dump-mbi.o" "$here/dump-mbi.S"
mkdir -p "$work/files" "$out"
ld -m elf_i386 -N -Ttext=0x200000 -e _start --build-id=none --no-warn-rwx-segments -o "$work/files/k" "$work/dump-mbi.o"
# Modules: m1 gzip-compressed (unpacked by GRUB), m2 gzip-compressed but loaded --nounzip, m3 plain, 5000 bytes.
printf 'module one contents\n' | gzip -n -9 > "$work/files/m1.gz"
printf 'module two contents\n' | gzip -n -9 > "$work/files/m2.gz"
head -c 5000 /dev/zero | tr '\0' 'x' > "$work/files/m3"

# The menu entry both GRUBs run; quoted heredoc, so the file holds exactly these characters.
entry() {
  echo 'set timeout=0'
  echo 'insmod gzio'
  cat <<'CFG' | sed -e "s/^KERNEL/$1/" -e "s/^MODULE/$2/"
KERNEL /k placeholder console=com1 "two words" it\'s back\\slash
MODULE /m1.gz placeholder root=/dev/ram0 console=hvc0
MODULE --nounzip /m2.gz
MODULE /m3
boot
CFG
}

capture() {
  local cmd=$1 mod=$2 log=$3
  entry "$cmd" "$mod" > "$work/files/grub.cfg"
  (cd "$work/files" && tar cf "$work/memdisk.tar" k m1.gz m2.gz m3 grub.cfg)
  printf 'set root=(memdisk)\nset prefix=(memdisk)\nconfigfile (memdisk)/grub.cfg\n' > "$work/embed.cfg"
  grub-mkimage -O i386-pc -o "$work/core.img" -p '(memdisk)' -c "$work/embed.cfg" -m "$work/memdisk.tar" \
    biosdisk memdisk tar configfile normal echo multiboot multiboot2 gzio
  cat /usr/lib/grub/i386-pc/boot.img "$work/core.img" > "$work/disk.img"
  truncate -s 4M "$work/disk.img"
  timeout 60 qemu-system-x86_64 -accel tcg -machine pc -m 2048 -display none -monitor none -no-reboot \
    -drive file="$work/disk.img",format=raw,if=ide -serial file:"$work/serial.txt" -net none || true
  grep -a -E '^(EAX=|@|END)' "$work/serial.txt" > "$out/$log"
  grep -q '^END' "$out/$log" || { echo "capture.sh: no END in the $cmd run" >&2; exit 1; }
}
capture multiboot2 module2 grub-pc-mb2.txt
capture multiboot module grub-pc-mb1.txt

# The same multiboot2/module2 entry under real GRUB on UEFI (x86_64-efi on OVMF, via the repository's
# scripts/grub-reference-boot): the kernel's tags 7 and 9 make GRUB keep boot services and enter _start64 in long mode.
reference=$here/../../../../scripts/grub-reference-boot
entry multiboot2 module2 > "$work/esp-grub.cfg"
mkfs.fat -C "$work/esp.img" 16384 >/dev/null
mmd -i "$work/esp.img" ::/EFI ::/EFI/BOOT
mcopy -i "$work/esp.img" "$work/esp-grub.cfg" ::/EFI/BOOT/grub.cfg
mcopy -i "$work/esp.img" "$work/files/k" "$work/files/m1.gz" "$work/files/m2.gz" "$work/files/m3" ::/
"$reference" "$work/esp.img" "$work/efi-serial.txt" '^END' 120 || true
sed -E 's/^[0-9]+\.[0-9]+ //' "$work/efi-serial.txt" | tr -d '\r' | grep -a -E '^(EAX=|@|END)' > "$out/grub-efi-mb2.txt"
grep -q '^END' "$out/grub-efi-mb2.txt" || { echo "capture.sh: no END in the EFI run" >&2; exit 1; }
cp "$work/files/k" "$out/dump-mbi.elf"
cp "$work/files/m1.gz" "$work/files/m2.gz" "$out/"
