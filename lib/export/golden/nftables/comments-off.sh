#!/bin/sh
set -eu
nft -f - <<'EOF'
add set inet filter freshworks_v4 { type ipv4_addr; flags interval; auto-merge; }
add element inet filter freshworks_v4 {
	3.71.140.232/32,
	3.74.148.8/30,
	18.184.146.22/32,
	18.194.170.216/32,
	18.197.127.133/32,
	18.208.240.77/32,
	34.231.139.135/32,
	34.231.245.167/32,
	44.206.73.232/29,
	52.1.32.88/32,
	52.1.37.96/32,
	52.29.254.13/32,
	52.57.253.205/32,
	52.201.75.8/32
}
add set inet filter freshworks_v6 { type ipv6_addr; flags interval; auto-merge; }
add element inet filter freshworks_v6 {
	2406:da00:ff00::/48,
	2600:1f18:4c12:9a00::/56,
	2a05:d014:1c8::/63
}
EOF
nft list chain inet filter input | grep -qF 'comment "freshworks_v4"' || nft 'insert rule inet filter input ip saddr @freshworks_v4 tcp dport 443 accept comment "freshworks_v4"'
nft list chain inet filter input | grep -qF 'comment "freshworks_v6"' || nft 'insert rule inet filter input ip6 saddr @freshworks_v6 tcp dport 443 accept comment "freshworks_v6"'
