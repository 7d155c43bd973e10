#!/bin/sh
# Freshworks full allowlist, 24 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what chain freshworks lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Run as root: sh freshworks-all-iptables.sh. Rules go into chain freshworks; one rule at the top of INPUT jumps to it.
# To undo: iptables -D INPUT -j freshworks; iptables -F freshworks; iptables -X freshworks
set -eu
ipt() { iptables -w "$@"; }
ipt -n -L freshworks >/dev/null 2>&1 || ipt -N freshworks
allow() { ipt -C freshworks "$@" 2>/dev/null || ipt -I freshworks "$@"; }
allow -s 3.71.140.232/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 3.74.148.8/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 3.74.148.9/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 3.74.148.10/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 3.74.148.11/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 18.184.146.22/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 18.194.170.216/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 18.197.127.133/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 18.208.240.77/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 34.231.139.135/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 34.231.245.167/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.232/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.233/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.234/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.235/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.236/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.237/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.238/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.239/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 52.1.32.88/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 52.29.254.13/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 52.57.253.205/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 52.201.75.8/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
ipt -C INPUT -j freshworks 2>/dev/null || ipt -I INPUT -j freshworks
