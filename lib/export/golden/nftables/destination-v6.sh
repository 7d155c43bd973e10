#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what set inet filter freshworks_v6 lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Needs your base chain inet filter input (the Debian and RHEL default); set another with the nftables options.
# An accept rule per family is inserted at the top of that chain once; updates only touch the sets.
# Run as root: sh freshworks-all-nftables.sh
set -eu
nft -f - <<'EOF'
add set inet filter freshworks_v6 { type ipv6_addr; flags interval; auto-merge; }
add element inet filter freshworks_v6 {
	2406:da00:ff00::/48 comment "US Freshchat, Freddy Self-service",
	2600:1f18:4c12:9a00::/56 comment "US Freshchat, Freddy Self-service",
	2a05:d014:1c8::/63 comment "EU Freshchat"
}
EOF
nft list chain inet filter input | grep -qF 'comment "freshworks_v6"' || nft 'insert rule inet filter input ip6 saddr @freshworks_v6 ip6 daddr 2001:db8:10::/48 udp dport { 443, 8443 } accept comment "freshworks_v6"'
