#!/bin/busybox sh
# /init of the display tests' Linux initramfs: loads bochs-drm (and the virtio input
# driver), reports on the serial console what the guest's DRM and framebuffer console set
# up, writes a marker line on the framebuffer console, then waits for the host's input.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do insmod "$m" 2>/dev/null || echo "MIMIC-INSMOD-FAILED $m"; done </lib/modules/order
for _ in $(seq 1 50); do [ -e /sys/class/graphics/fb0 ] && break; sleep 0.2; done
sleep 1
echo "MIMIC-FB-NAME: $(cat /sys/class/graphics/fb0/name 2>/dev/null)"
echo "MIMIC-FB-SIZE: $(cat /sys/class/graphics/fb0/virtual_size 2>/dev/null)"
echo "MIMIC-FB-BPP: $(cat /sys/class/graphics/fb0/bits_per_pixel 2>/dev/null)"
for c in /sys/class/drm/card0-*; do
    [ -e "$c/status" ] && echo "MIMIC-DRM: ${c##*/} $(cat "$c/status") $(head -n 1 "$c/modes")"
done
dmesg | grep -iE 'bochs|fbcon|drm' | sed 's/^/MIMIC-DMESG: /'
printf '\033[2J\033[H' >/dev/tty1
for i in 1 2 3; do echo "FBCON LINE $i OF 3 ON BOCHS DRI FB" >/dev/tty1; done
echo "MIMIC-FBCON-WRITTEN"
case "$(cat /proc/cmdline)" in
*mimic.test=tablet*)
    # the absolute pointer: its name and the events the host's clicks produce
    for d in /sys/class/input/event*; do
        echo "MIMIC-INPUT: ${d##*/} $(cat "$d/device/name")"
    done
    ;;
esac
while true; do sleep 1; done
