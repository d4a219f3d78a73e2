#!/bin/sh
# udhcpc's event script for the virtio-net guest tests: configures the leased address and
# the default route, and prints them.
case "$1" in
bound|renew)
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
    gw=${router%% *}
    route add default gw "$gw" dev "$interface"
    echo "MIMIC-DHCP $ip router=$gw dns=$dns"
    ;;
esac
