#!/bin/sh
set -eu
ipt() { ip6tables -w "$@"; }
ipt -n -L freshworks >/dev/null 2>&1 || ipt -N freshworks
allow() { ipt -C freshworks "$@" 2>/dev/null || ipt -I freshworks "$@"; }
allow -s 2406:da00:ff00::/48 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 2600:1f18:4c12:9a00::/56 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 2a05:d014:1c8::/63 -p tcp -m tcp --dport 443 -j ACCEPT
ipt -C INPUT -j freshworks 2>/dev/null || ipt -I INPUT -j freshworks
