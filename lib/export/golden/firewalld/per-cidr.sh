#!/bin/sh
# Freshworks full allowlist, 28 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Run once: --new-ipset fails when freshworks_v4 / freshworks_v6 already exists.
set -e
firewall-offline-cmd --new-ipset=freshworks_v4 --type=hash:net --option=family=inet
firewall-offline-cmd --ipset=freshworks_v4 --set-description='Freshworks full allowlist, 28 prefixes (EU, US). Catalog: freshworks v1 (sha256:4ce552359fe97bd7)'
firewall-offline-cmd --ipset=freshworks_v4 \
  --add-entry=3.71.140.232/32 \
  --add-entry=3.74.148.8/32 \
  --add-entry=3.74.148.9/32 \
  --add-entry=3.74.148.10/32 \
  --add-entry=3.74.148.11/32 \
  --add-entry=18.184.146.22/32 \
  --add-entry=18.194.170.216/32 \
  --add-entry=18.197.127.133/32 \
  --add-entry=18.208.240.77/32 \
  --add-entry=34.231.139.135/32 \
  --add-entry=34.231.245.167/32 \
  --add-entry=44.206.73.232/32 \
  --add-entry=44.206.73.233/32 \
  --add-entry=44.206.73.234/32 \
  --add-entry=44.206.73.235/32 \
  --add-entry=44.206.73.236/32 \
  --add-entry=44.206.73.237/32 \
  --add-entry=44.206.73.238/32 \
  --add-entry=44.206.73.239/32 \
  --add-entry=52.1.32.88/32 \
  --add-entry=52.1.37.96/32 \
  --add-entry=52.29.254.13/32 \
  --add-entry=52.57.253.205/32 \
  --add-entry=52.201.75.8/32
firewall-offline-cmd --add-rich-rule='rule family="ipv4" source ipset="freshworks_v4" port port="443" protocol="tcp" accept'
firewall-offline-cmd --new-ipset=freshworks_v6 --type=hash:net --option=family=inet6
firewall-offline-cmd --ipset=freshworks_v6 --set-description='Freshworks full allowlist, 28 prefixes (EU, US). Catalog: freshworks v1 (sha256:4ce552359fe97bd7)'
firewall-offline-cmd --ipset=freshworks_v6 \
  --add-entry=2406:da00:ff00::/48 \
  --add-entry=2600:1f18:4c12:9a00::/56 \
  --add-entry=2a05:d014:1c8::/64 \
  --add-entry=2a05:d014:1c8:1::/64
firewall-offline-cmd --add-rich-rule='rule family="ipv6" source ipset="freshworks_v6" port port="443" protocol="tcp" accept'
