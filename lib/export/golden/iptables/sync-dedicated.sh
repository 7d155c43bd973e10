#!/bin/sh
# Freshworks allowlist (sync), 14 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443, 8443 to any destination
# Deployment: dedicated. Only these sources may reach tcp 443, 8443; every other source is dropped on that port.
# Scope: sync. chain freshworks ends holding exactly these sources: the missing are added, every other member is removed (each removal is printed).
# Idempotent: running it again changes nothing.
# Run as root: sh freshworks-us-eu-sync-iptables.sh. Rules go into chain freshworks; one rule at the top of INPUT jumps to it.
# The chain ends with a drop of tcp 443, 8443: keep it the first rule of INPUT for that port.
# To undo: iptables -D INPUT -j freshworks; iptables -F freshworks; iptables -X freshworks
set -eu
ipt() { iptables -w "$@"; }
ipt -n -L freshworks >/dev/null 2>&1 || ipt -N freshworks
keep='
3.71.140.232/32
3.74.148.8/30
18.184.146.22/32
18.194.170.216/32
18.197.127.133/32
18.208.240.77/32
34.231.139.135/32
34.231.245.167/32
44.206.73.232/29
52.1.32.88/32
52.1.37.96/32
52.29.254.13/32
52.57.253.205/32
52.201.75.8/32
'
ipt -S freshworks 2>/dev/null | sed -n 's/^-A freshworks -s \([^ ]*\) .*-j ACCEPT$/\1/p' | sort -u | while read -r member; do
  case "$keep" in *"
$member
"*) ;; *) echo "sync: removing $member from chain freshworks"; : "$member" ;; esac
done
iptables-restore -w --noflush <<'EOF'
*filter
:freshworks - [0:0]
-A freshworks -s 3.71.140.232/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 3.74.148.8/30 -p tcp -m multiport --dports 443,8443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 18.184.146.22/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 18.194.170.216/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 18.197.127.133/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 18.208.240.77/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 34.231.139.135/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 34.231.245.167/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 44.206.73.232/29 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 52.1.32.88/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 52.1.37.96/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 52.29.254.13/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 52.57.253.205/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "EU Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -s 52.201.75.8/32 -p tcp -m multiport --dports 443,8443 -m comment --comment "US Freshchat, Freddy Self-service" -j ACCEPT
-A freshworks -p tcp -m multiport --dports 443,8443 -j DROP
COMMIT
EOF
ipt -C INPUT -j freshworks 2>/dev/null || ipt -I INPUT -j freshworks
