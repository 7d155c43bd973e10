#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
# Run once: --new-ipset fails when freshworks_v6 already exists.
set -e
firewall-offline-cmd --new-ipset=freshworks_v6 --type=hash:net --option=family=inet6
firewall-offline-cmd --ipset=freshworks_v6 --set-description='Freshworks full allowlist, 3 prefixes (US, EU). Catalog: freshworks v1 (sha256:4ce552359fe97bd7)'
firewall-offline-cmd --ipset=freshworks_v6 \
  --add-entry=2406:da00:ff00::/48 \
  --add-entry=2600:1f18:4c12:9a00::/56 \
  --add-entry=2a05:d014:1c8::/63
firewall-offline-cmd --add-rich-rule='rule family="ipv6" source ipset="freshworks_v6" destination address="2001:db8:10::/48" port port="443" protocol="udp" accept'
firewall-offline-cmd --add-rich-rule='rule family="ipv6" source ipset="freshworks_v6" destination address="2001:db8:10::/48" port port="8443" protocol="udp" accept'
