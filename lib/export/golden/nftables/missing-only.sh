#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: delta. Only adds to set inet filter fw1-missing_v4: nothing already allowed is revoked.
# Idempotent: running it again changes nothing.
# Needs your base chain inet filter input (the Debian and RHEL default); set another with the nftables options.
# An accept rule per family is inserted at the top of that chain once; updates only touch the sets.
# Run as root: sh freshworks-us-eu-missing-nftables.sh
set -eu
nft -f - <<'EOF'
add set inet filter fw1-missing_v4 { type ipv4_addr; flags interval; auto-merge; }
add element inet filter fw1-missing_v4 {
	3.74.148.10/32 comment "EU Freshchat, Freddy Self-service",
	44.206.73.236/31 comment "US Freshchat, Freddy Self-service",
	52.1.37.96/32 comment "US Freshchat, Freddy Self-service"
}
EOF
nft list chain inet filter input | grep -qF 'comment "fw1-missing_v4"' || nft 'insert rule inet filter input ip saddr @fw1-missing_v4 tcp dport 443 accept comment "fw1-missing_v4"'
