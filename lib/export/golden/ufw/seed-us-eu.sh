#!/bin/sh
# Freshworks full allowlist, 14 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Adds rules only (ufw skips existing ones); remove outdated ones with: ufw status numbered, ufw delete N
set -e
ufw allow proto tcp from 3.71.140.232/32 to any port 443 comment 'EU Freshchat, Freddy Self-service'
ufw allow proto tcp from 3.74.148.8/30 to any port 443 comment 'EU Freshchat, Freddy Self-service'
ufw allow proto tcp from 18.184.146.22/32 to any port 443 comment 'EU Freshchat, Freddy Self-service'
ufw allow proto tcp from 18.194.170.216/32 to any port 443 comment 'EU Freshchat, Freddy Self-service'
ufw allow proto tcp from 18.197.127.133/32 to any port 443 comment 'EU Freshchat, Freddy Self-service'
ufw allow proto tcp from 18.208.240.77/32 to any port 443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto tcp from 34.231.139.135/32 to any port 443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto tcp from 34.231.245.167/32 to any port 443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto tcp from 44.206.73.232/29 to any port 443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto tcp from 52.1.32.88/32 to any port 443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto tcp from 52.1.37.96/32 to any port 443 comment 'US Freshchat, Freddy Self-service'
ufw allow proto tcp from 52.29.254.13/32 to any port 443 comment 'EU Freshchat, Freddy Self-service'
ufw allow proto tcp from 52.57.253.205/32 to any port 443 comment 'EU Freshchat, Freddy Self-service'
ufw allow proto tcp from 52.201.75.8/32 to any port 443 comment 'US Freshchat, Freddy Self-service'
