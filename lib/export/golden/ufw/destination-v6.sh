#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
# Adds rules only (ufw skips existing ones); remove outdated ones with: ufw status numbered, ufw delete N
set -e
ufw allow proto udp from 2406:da00:ff00::/48 to 2001:db8:10::/48 port 443,8443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto udp from 2600:1f18:4c12:9a00::/56 to 2001:db8:10::/48 port 443,8443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto udp from 2a05:d014:1c8::/63 to 2001:db8:10::/48 port 443,8443 comment 'EU Freshchat'
