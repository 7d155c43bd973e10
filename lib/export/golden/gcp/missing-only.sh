#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
set -eu
NETWORK="${NETWORK:-default}"
gcloud compute firewall-rules create fw1-missing-v4-delta-6269d8a0 \
  --network="$NETWORK" --direction=INGRESS --action=ALLOW --priority=999 \
  --rules=tcp:443 \
  --description='Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' \
  --source-ranges=3.74.148.10/32,44.206.73.236/31,52.1.37.96/32
