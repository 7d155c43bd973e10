#!/bin/sh
# Freshworks allowlist (sync), 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443, 8443 to any destination
# Deployment: dedicated. Only these sources may reach tcp 443, 8443; every other source is dropped on that port.
# Scope: sync. chain freshworks ends holding exactly these sources: the missing are added, every other member is removed (each removal is printed).
# Idempotent: running it again changes nothing.
# Run as root: sh freshworks-us-eu-sync-ip6tables.sh. Rules go into chain freshworks; one rule at the top of INPUT jumps to it.
# The chain ends with a drop of tcp 443, 8443: keep it the first rule of INPUT for that port.
# To undo: ip6tables -D INPUT -j freshworks; ip6tables -F freshworks; ip6tables -X freshworks
set -eu
ipt() { ip6tables -w "$@"; }
ipt -n -L freshworks >/dev/null 2>&1 || ipt -N freshworks
keep='
2406:da00:ff00::/48
2600:1f18:4c12:9a00::/56
2a05:d014:1c8::/63
'
ipt -S freshworks 2>/dev/null | sed -n 's/^-A freshworks -s \([^ ]*\) .*-j ACCEPT$/\1/p' | sort -u | while read -r member; do
  case "$keep" in *"
$member
"*) ;; *) echo "sync: removing $member from chain freshworks"; : "$member" ;; esac
done
ip6tables-restore -w --noflush <<'EOF'
*filter
:freshworks - [0:0]
-A freshworks -s 2406:da00:ff00::/48 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 2600:1f18:4c12:9a00::/56 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 2a05:d014:1c8::/63 -p tcp -m multiport --dports 443,8443 -m comment --comment "EU Freshchat" -j ACCEPT
-A freshworks -p tcp -m multiport --dports 443,8443 -j DROP
COMMIT
EOF
ipt -C INPUT -j freshworks 2>/dev/null || ipt -I INPUT -j freshworks
