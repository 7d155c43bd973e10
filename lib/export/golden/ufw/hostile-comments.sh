#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what the ufw rules commented "allowlist:" lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Rules are prepended: they come before your own rules of the same family.
# Run as root: sh acme-corp-all-ufw.sh
set -eu
ufw prepend allow proto tcp from 192.0.2.1/32 to any port 443 comment 'allowlist: US =HYPERLINK(http://evil.example,x)'
ufw prepend allow proto tcp from 192.0.2.2/32 to any port 443 comment 'allowlist: EU -2+3, quote back\slash single newline; semi # hash'
