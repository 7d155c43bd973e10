#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Adds rules only (ufw skips existing ones); remove outdated ones with: ufw status numbered, ufw delete N
set -e
ufw allow proto tcp from 3.74.148.10/32 to any port 443 comment 'EU Freshchat, Freddy Self-service'
ufw allow proto tcp from 44.206.73.236/31 to any port 443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto tcp from 52.1.37.96/32 to any port 443 comment 'US Freshchat, Freddy Self-service'
