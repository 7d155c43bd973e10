#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
# Adds rules only (ufw skips existing ones); remove outdated ones with: ufw status numbered, ufw delete N
set -e
ufw allow proto tcp from 192.0.2.1/32 to any port 443 comment 'US =HYPERLINK(http://evil.example,x)'
ufw allow proto tcp from 192.0.2.2/32 to any port 443 comment 'EU -2+3, quote back\slash single newline; semi # hash'
