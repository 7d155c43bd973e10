#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: delta. Only adds to the ufw rules commented "fw1-missing:": nothing already allowed is revoked.
# Idempotent: running it again changes nothing.
# Rules are prepended: they come before your own rules of the same family.
# Run as root: sh freshworks-us-eu-missing-ufw.sh
set -eu
ufw prepend allow proto tcp from 3.74.148.10/32 to any port 443 comment 'fw1-missing: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 44.206.73.236/31 to any port 443 comment 'fw1-missing: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.1.37.96/32 to any port 443 comment 'fw1-missing: US Freshchat, Freddy Self-service'
