#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what the ufw rules commented "freshworks:" lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Rules are prepended: they come before your own rules of the same family.
# Run as root: sh freshworks-all-ufw.sh
set -eu
ufw prepend allow proto udp from 2406:da00:ff00::/48 to 2001:db8:10::/48 port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto udp from 2600:1f18:4c12:9a00::/56 to 2001:db8:10::/48 port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto udp from 2a05:d014:1c8::/63 to 2001:db8:10::/48 port 443,8443 comment 'freshworks: EU Freshchat'
