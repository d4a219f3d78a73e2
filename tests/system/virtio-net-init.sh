#!/bin/sh
# /init of the virtio-net guest tests (virtio-net-lib.sh): loads /mod/order, gets an
# address from slirp's DHCP server with udhcpc, fetches the host's file over HTTP through
# the gateway (10.0.2.2) and prints its md5sum, then serves a marker with httpd on port 80
# for the host to reach through hostfwd, and waits for a line on the console to power off.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /tmp
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
# mimic_args_MODULE=PARAM=VALUE on the command line: a parameter for that module
for m in $(cat /mod/order); do insmod "/mod/$m" $(arg "mimic_args_${m%.ko}"); done
port=$(arg mimic_port)
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/class/net/eth0 ] && break; sleep 0.5; done
echo "MIMIC-MAC $(cat /sys/class/net/eth0/address)"
echo "MIMIC-FEATURES $(cat /sys/class/net/eth0/device/features)"
ip link set eth0 up
udhcpc -i eth0 -n -q -t 5 -s /udhcpc.sh || echo "MIMIC-DHCP failed"
echo "MIMIC-ROUTE $(ip route | grep default)"
wget -q -O /tmp/file "http://10.0.2.2:$port/file" || echo "MIMIC-WGET failed"
echo "MIMIC-MD5 $(md5sum < /tmp/file | cut -c1-32) $(wc -c < /tmp/file)"
mkdir -p /www
echo "MIMIC-GUEST-MARKER $(cat /sys/class/net/eth0/address)" > /www/marker
httpd -p 80 -h /www
echo "MIMIC-SERVING"
read line
echo "MIMIC-DONE $line"
poweroff -f
