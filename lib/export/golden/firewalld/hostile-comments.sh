#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what ipset allowlist_v4 lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# On a running firewalld: changes the permanent configuration, then runs firewall-cmd --reload.
# A reload drops runtime-only changes: make yours permanent first (firewall-cmd --runtime-to-permanent).
# Run as root: sh acme-corp-all-firewalld.sh
set -eu
if firewall-cmd --state >/dev/null 2>&1; then running=1; else running=0; fi
fw() { if [ "$running" = 1 ]; then firewall-cmd --permanent "$@"; else firewall-offline-cmd "$@"; fi; }
fw --info-ipset=allowlist_v4 >/dev/null 2>&1 || fw --new-ipset=allowlist_v4 --type=hash:net --option=family=inet
fw --ipset=allowlist_v4 --set-description='Acme "Corp" full allowlist, 2 prefixes (US, EU). Catalog: v1 *filter COMMIT '\'' " \ ; # }'
fw --ipset=allowlist_v4 \
  --add-entry=192.0.2.1/32 \
  --add-entry=192.0.2.2/32
fw \
  --add-rich-rule='rule family="ipv4" source ipset="allowlist_v4" port port="443" protocol="tcp" accept'
if [ "$running" = 1 ]; then firewall-cmd --reload; fi
