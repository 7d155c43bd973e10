#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 80, 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what chain freshworks lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Run as root: sh freshworks-all-ip6tables.sh. Rules go into chain freshworks; one rule at the top of INPUT jumps to it.
# To undo: ip6tables -D INPUT -j freshworks; ip6tables -F freshworks; ip6tables -X freshworks
set -eu
ipt() { ip6tables -w "$@"; }
ipt -n -L freshworks >/dev/null 2>&1 || ipt -N freshworks
allow() { ipt -C freshworks "$@" 2>/dev/null || ipt -I freshworks "$@"; }
allow -s 2406:da00:ff00::/48 -p tcp -m multiport --dports 80,443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 2600:1f18:4c12:9a00::/56 -p tcp -m multiport --dports 80,443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
allow -s 2a05:d014:1c8::/63 -p tcp -m multiport --dports 80,443 -m comment --comment "EU Freshchat" -j ACCEPT
ipt -C INPUT -j freshworks 2>/dev/null || ipt -I INPUT -j freshworks
