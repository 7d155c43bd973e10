#!/bin/sh
# Freshworks full allowlist, 17 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 80, 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what the ufw rules commented "freshworks:" lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Rules are prepended: they come before your own rules of the same family.
# Run as root: sh freshworks-all-ufw.sh
set -eu
ufw prepend allow proto tcp from 3.71.140.232/32 to any port 80,443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 3.74.148.8/30 to any port 80,443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 18.184.146.22/32 to any port 80,443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 18.194.170.216/32 to any port 80,443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 18.197.127.133/32 to any port 80,443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 18.208.240.77/32 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 34.231.139.135/32 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 34.231.245.167/32 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 44.206.73.232/29 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.1.32.88/32 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.1.37.96/32 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.29.254.13/32 to any port 80,443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.57.253.205/32 to any port 80,443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.201.75.8/32 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 2406:da00:ff00::/48 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 2600:1f18:4c12:9a00::/56 to any port 80,443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 2a05:d014:1c8::/63 to any port 80,443 comment 'freshworks: EU Freshchat'
