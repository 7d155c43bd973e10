#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: delta. Only adds to chain fw1-missing: nothing already allowed is revoked.
# Idempotent: running it again changes nothing.
# Run as root: sh freshworks-us-eu-missing-iptables.sh. Rules go into chain fw1-missing; one rule at the top of INPUT jumps to it.
# To undo: iptables -D INPUT -j fw1-missing; iptables -F fw1-missing; iptables -X fw1-missing
set -eu
ipt() { iptables -w "$@"; }
ipt -n -L fw1-missing >/dev/null 2>&1 || ipt -N fw1-missing
allow() { ipt -C fw1-missing "$@" 2>/dev/null || ipt -I fw1-missing "$@"; }
allow -s 3.74.148.10/32 -p tcp -m tcp --dport 443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
allow -s 44.206.73.236/31 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 52.1.37.96/32 -p tcp -m tcp --dport 443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
ipt -C INPUT -j fw1-missing 2>/dev/null || ipt -I INPUT -j fw1-missing
