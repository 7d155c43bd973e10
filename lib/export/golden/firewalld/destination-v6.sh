#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what ipset freshworks_v6 lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# On a running firewalld: changes the permanent configuration, then runs firewall-cmd --reload.
# A reload drops runtime-only changes: make yours permanent first (firewall-cmd --runtime-to-permanent).
# Run as root: sh freshworks-all-firewalld.sh
set -eu
if firewall-cmd --state >/dev/null 2>&1; then running=1; else running=0; fi
fw() { if [ "$running" = 1 ]; then firewall-cmd --permanent "$@"; else firewall-offline-cmd "$@"; fi; }
fw --info-ipset=freshworks_v6 >/dev/null 2>&1 || fw --new-ipset=freshworks_v6 --type=hash:net --option=family=inet6
fw --ipset=freshworks_v6 --set-description='Freshworks full allowlist, 3 prefixes (US, EU). Catalog: freshworks v1 (sha256:4ce552359fe97bd7)'
fw --ipset=freshworks_v6 \
  --add-entry=2406:da00:ff00::/48 \
  --add-entry=2600:1f18:4c12:9a00::/56 \
  --add-entry=2a05:d014:1c8::/63
fw \
  --add-rich-rule='rule family="ipv6" source ipset="freshworks_v6" destination address="2001:db8:10::/48" port port="443" protocol="udp" accept' \
  --add-rich-rule='rule family="ipv6" source ipset="freshworks_v6" destination address="2001:db8:10::/48" port port="8443" protocol="udp" accept'
if [ "$running" = 1 ]; then firewall-cmd --reload; fi
