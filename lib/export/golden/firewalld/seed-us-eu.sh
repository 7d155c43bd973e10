#!/bin/sh
# Freshworks full allowlist, 14 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what ipset freshworks_v4 lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# On a running firewalld: changes the permanent configuration, then runs firewall-cmd --reload.
# A reload drops runtime-only changes: make yours permanent first (firewall-cmd --runtime-to-permanent).
# Run as root: sh freshworks-us-eu-firewalld.sh
set -eu
if firewall-cmd --state >/dev/null 2>&1; then running=1; else running=0; fi
fw() { if [ "$running" = 1 ]; then firewall-cmd --permanent "$@"; else firewall-offline-cmd "$@"; fi; }
fw --info-ipset=freshworks_v4 >/dev/null 2>&1 || fw --new-ipset=freshworks_v4 --type=hash:net --option=family=inet
fw --ipset=freshworks_v4 --set-description='Freshworks full allowlist, 14 prefixes (EU, US). Catalog: freshworks v1 (sha256:4ce552359fe97bd7)'
fw --ipset=freshworks_v4 \
  --add-entry=3.71.140.232/32 \
  --add-entry=3.74.148.8/30 \
  --add-entry=18.184.146.22/32 \
  --add-entry=18.194.170.216/32 \
  --add-entry=18.197.127.133/32 \
  --add-entry=18.208.240.77/32 \
  --add-entry=34.231.139.135/32 \
  --add-entry=34.231.245.167/32 \
  --add-entry=44.206.73.232/29 \
  --add-entry=52.1.32.88/32 \
  --add-entry=52.1.37.96/32 \
  --add-entry=52.29.254.13/32 \
  --add-entry=52.57.253.205/32 \
  --add-entry=52.201.75.8/32
fw \
  --add-rich-rule='rule family="ipv4" source ipset="freshworks_v4" port port="443" protocol="tcp" accept'
if [ "$running" = 1 ]; then firewall-cmd --reload; fi
