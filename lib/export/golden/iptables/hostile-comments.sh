#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what chain allowlist lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Run as root: sh acme-corp-all-iptables.sh. Rules go into chain allowlist; one rule at the top of INPUT jumps to it.
# To undo: iptables -D INPUT -j allowlist; iptables -F allowlist; iptables -X allowlist
set -eu
ipt() { iptables -w "$@"; }
ipt -n -L allowlist >/dev/null 2>&1 || ipt -N allowlist
allow() { ipt -C allowlist "$@" 2>/dev/null || ipt -I allowlist "$@"; }
allow -s 192.0.2.1/32 -p tcp -m tcp --dport 443 -m comment --comment "US =HYPERLINK(http://evil.example,x)" -j ACCEPT
allow -s 192.0.2.2/32 -p tcp -m tcp --dport 443 -m comment --comment "EU -2+3, quote backslash 'single' newline; semi # hash" -j ACCEPT
ipt -C INPUT -j allowlist 2>/dev/null || ipt -I INPUT -j allowlist
