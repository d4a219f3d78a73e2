#!/bin/busybox sh
# /init of the display tests' Linux initramfs: loads bochs-drm and the virtio input
# driver, reports on the serial console what the guest's DRM and framebuffer console set
# up, writes lines on the framebuffer console, then prints the tablet's events.
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
# the absolute pointer: the event device of the virtio tablet, its events on the serial
# console as od prints struct input_event (i386: 8 bytes of time, type, code, value)
ev=""
for _ in $(seq 1 50); do
    grep -qx "QEMU Virtio Tablet" /sys/class/input/event*/device/name 2>/dev/null && break
    sleep 0.2
done
for d in /sys/class/input/event*; do
    name=$(cat "$d/device/name" 2>/dev/null)
    echo "MIMIC-INPUT: ${d##*/} $name"
    [ "$name" = "QEMU Virtio Tablet" ] && ev=/dev/input/${d##*/}
done
echo "MIMIC-INPUTS-LISTED"
if [ -n "$ev" ]; then
    od -An -tx2 -w16 -v "$ev" >/dev/ttyS0 &
    sleep 1
    echo "MIMIC-TABLET-READY $ev"
fi
while true; do sleep 1; done
