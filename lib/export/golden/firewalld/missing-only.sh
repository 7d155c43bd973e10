#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: delta. Only adds to ipset fw1-missing_v4: nothing already allowed is revoked.
# Idempotent: running it again changes nothing.
# On a running firewalld: changes the permanent configuration, then runs firewall-cmd --reload.
# A reload drops runtime-only changes: make yours permanent first (firewall-cmd --runtime-to-permanent).
# Run as root: sh freshworks-us-eu-missing-firewalld.sh
set -eu
if firewall-cmd --state >/dev/null 2>&1; then running=1; else running=0; fi
fw() { if [ "$running" = 1 ]; then firewall-cmd --permanent "$@"; else firewall-offline-cmd "$@"; fi; }
fw --info-ipset=fw1-missing_v4 >/dev/null 2>&1 || fw --new-ipset=fw1-missing_v4 --type=hash:net --option=family=inet
fw --ipset=fw1-missing_v4 --set-description='Freshworks entries missing from the compared list, 3 prefixes (EU, US). Catalog: freshworks v1 (sha256:4ce552359fe97bd7)'
fw --ipset=fw1-missing_v4 \
  --add-entry=3.74.148.10/32 \
  --add-entry=44.206.73.236/31 \
  --add-entry=52.1.37.96/32
fw \
  --add-rich-rule='rule family="ipv4" source ipset="fw1-missing_v4" port port="443" protocol="tcp" accept'
if [ "$running" = 1 ]; then firewall-cmd --reload; fi
