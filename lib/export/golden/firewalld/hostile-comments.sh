#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
# Run once: --new-ipset fails when allowlist_v4 already exists.
set -e
firewall-offline-cmd --new-ipset=allowlist_v4 --type=hash:net --option=family=inet
firewall-offline-cmd --ipset=allowlist_v4 --set-description='Acme "Corp" full allowlist, 2 prefixes (US, EU). Catalog: v1 *filter COMMIT '\'' " \ ; # }'
firewall-offline-cmd --ipset=allowlist_v4 \
  --add-entry=192.0.2.1/32 \
  --add-entry=192.0.2.2/32
firewall-offline-cmd --add-rich-rule='rule family="ipv4" source ipset="allowlist_v4" port port="443" protocol="tcp" accept'
