#!/bin/sh
# Freshworks full allowlist, 14 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# Deployment: additive. Adds accept rules for these sources to your existing policy, which still decides everything else.
# Scope: full. Adds what set inet filter freshworks_v4 lacks and removes nothing (the sync scope removes what is no longer published).
# Idempotent: running it again changes nothing.
# Needs your base chain inet filter input (the Debian and RHEL default); set another with the nftables options.
# An accept rule per family is inserted at the top of that chain once; updates only touch the sets.
# Run as root: sh freshworks-us-eu-nftables.sh
set -eu
nft -f - <<'EOF'
add set inet filter freshworks_v4 { type ipv4_addr; flags interval; auto-merge; }
add element inet filter freshworks_v4 {
	3.71.140.232/32 comment "EU Freshchat, Freddy Self-service",
	3.74.148.8/30 comment "EU Freshchat, Freddy Self-service",
	18.184.146.22/32 comment "EU Freshchat, Freddy Self-service",
	18.194.170.216/32 comment "EU Freshchat, Freddy Self-service",
	18.197.127.133/32 comment "EU Freshchat, Freddy Self-service",
	18.208.240.77/32 comment "US Freshchat, Freddy Self-service",
	34.231.139.135/32 comment "US Freshchat, Freddy Self-service",
	34.231.245.167/32 comment "US Freshchat, Freddy Self-service",
	44.206.73.232/29 comment "US Freshchat, Freddy Self-service",
	52.1.32.88/32 comment "US Freshchat, Freddy Self-service",
	52.1.37.96/32 comment "US Freshchat, Freddy Self-service",
	52.29.254.13/32 comment "EU Freshchat, Freddy Self-service",
	52.57.253.205/32 comment "EU Freshchat, Freddy Self-service",
	52.201.75.8/32 comment "US Freshchat, Freddy Self-service"
}
EOF
nft list chain inet filter input | grep -qF 'comment "freshworks_v4"' || nft 'insert rule inet filter input ip saddr @freshworks_v4 tcp dport 443 accept comment "freshworks_v4"'
