#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what set inet filter allowlist_v4 lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Needs your base chain inet filter input (the Debian and RHEL default); set another with the nftables options.
# An accept rule per family is inserted at the top of that chain once; updates only touch the sets.
# Run as root: sh acme-corp-all-nftables.sh
set -eu
nft -f - <<'EOF'
add set inet filter allowlist_v4 { type ipv4_addr; flags interval; auto-merge; }
add element inet filter allowlist_v4 {
	192.0.2.1/32 comment "US =HYPERLINK(http://evil.example,x)",
	192.0.2.2/32 comment "EU -2+3, quote backslash 'single' newline; semi # hash"
}
EOF
nft list chain inet filter input | grep -qF 'comment "allowlist_v4"' || nft 'insert rule inet filter input ip saddr @allowlist_v4 tcp dport 443 accept comment "allowlist_v4"'
