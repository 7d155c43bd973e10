#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Run once: --new-ipset fails when fw1-missing_v4 already exists.
set -e
firewall-offline-cmd --new-ipset=fw1-missing_v4 --type=hash:net --option=family=inet
firewall-offline-cmd --ipset=fw1-missing_v4 --set-description='Freshworks entries missing from the compared list, 3 prefixes (EU, US). Catalog: freshworks v1 (sha256:4ce552359fe97bd7)'
firewall-offline-cmd --ipset=fw1-missing_v4 \
  --add-entry=3.74.148.10/32 \
  --add-entry=44.206.73.236/31 \
  --add-entry=52.1.37.96/32
firewall-offline-cmd --add-rich-rule='rule family="ipv4" source ipset="fw1-missing_v4" port port="443" protocol="tcp" accept'
