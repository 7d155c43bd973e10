#!/bin/sh
# Freshworks allowlist (sync), 17 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443, 8443 to any destination
# Deployment: dedicated. Only these sources may reach tcp 443, 8443; every other source is dropped on that port.
# Scope: sync. table inet freshworks ends holding exactly these sources: the missing are added, every other member is removed.
# Idempotent: running it again changes nothing.
# Table inet freshworks drops tcp 443, 8443 from every other source before any other input chain runs.
# When chain inet filter input exists (a default-drop policy), a rule accepting the port is inserted at its top once.
# Run as root: sh freshworks-us-eu-sync-nftables.sh
set -eu
nft -f - <<'EOF'
add table inet freshworks
add set inet freshworks freshworks_v4 { type ipv4_addr; flags interval; auto-merge; }
flush set inet freshworks freshworks_v4
add element inet freshworks freshworks_v4 {
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
add set inet freshworks freshworks_v6 { type ipv6_addr; flags interval; auto-merge; }
flush set inet freshworks freshworks_v6
add element inet freshworks freshworks_v6 {
	2406:da00:ff00::/48 comment "US Freshchat, Freddy Self-service",
	2600:1f18:4c12:9a00::/56 comment "US Freshchat, Freddy Self-service",
	2a05:d014:1c8::/63 comment "EU Freshchat"
}
add chain inet freshworks guard { type filter hook input priority filter - 10; policy accept; }
flush chain inet freshworks guard
add rule inet freshworks guard ip saddr != @freshworks_v4 tcp dport { 443, 8443 } drop
add rule inet freshworks guard ip6 saddr != @freshworks_v6 tcp dport { 443, 8443 } drop
EOF
if nft list chain inet filter input >/dev/null 2>&1; then
  nft list chain inet filter input | grep -qF 'comment "freshworks"' || nft 'insert rule inet filter input tcp dport { 443, 8443 } accept comment "freshworks"'
fi
