#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
set -eu
NETWORK="${NETWORK:-default}"
gcloud compute firewall-rules create allowlist-v4 \
  --network="$NETWORK" --direction=INGRESS --action=ALLOW --priority=999 \
  --rules=tcp:443 \
  --description='Acme "Corp" allowlist, v1 *filter COMMIT '\'' " \ ; # }' \
  --source-ranges=192.0.2.1/32,192.0.2.2/32
