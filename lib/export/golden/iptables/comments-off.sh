#!/bin/sh
set -eu
ipt() { iptables -w "$@"; }
ipt -n -L freshworks >/dev/null 2>&1 || ipt -N freshworks
allow() { ipt -C freshworks "$@" 2>/dev/null || ipt -I freshworks "$@"; }
allow -s 3.71.140.232/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 3.74.148.8/30 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 18.184.146.22/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 18.194.170.216/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 18.197.127.133/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 18.208.240.77/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 34.231.139.135/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 34.231.245.167/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 44.206.73.232/29 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 52.1.32.88/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 52.29.254.13/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 52.57.253.205/32 -p tcp -m tcp --dport 443 -j ACCEPT
allow -s 52.201.75.8/32 -p tcp -m tcp --dport 443 -j ACCEPT
ipt -C INPUT -j freshworks 2>/dev/null || ipt -I INPUT -j freshworks
