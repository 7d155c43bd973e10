#!/bin/sh
# Freshworks full allowlist, 14 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 8000-8100 to 203.0.113.0/24
set -eu
NETWORK="${NETWORK:-default}"
gcloud compute firewall-rules create freshworks-v4 \
  --network="$NETWORK" --direction=INGRESS --action=ALLOW --priority=999 \
  --rules=tcp:8000-8100 \
  --destination-ranges=203.0.113.0/24 \
  --description='Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' \
  --source-ranges=3.71.140.232/32,3.74.148.8/30,18.184.146.22/32,18.194.170.216/32,18.197.127.133/32,18.208.240.77/32,34.231.139.135/32,34.231.245.167/32,44.206.73.232/29,52.1.32.88/32,52.1.37.96/32,52.29.254.13/32,52.57.253.205/32,52.201.75.8/32
