#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
set -eu
NETWORK="${NETWORK:-default}"
gcloud compute firewall-rules create freshworks-v6 \
  --network="$NETWORK" --direction=INGRESS --action=ALLOW --priority=999 \
  --rules=udp:443,udp:8443 \
  --destination-ranges=2001:db8:10::/48 \
  --description='Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' \
  --source-ranges=2406:da00:ff00::/48,2600:1f18:4c12:9a00::/56,2a05:d014:1c8::/63
