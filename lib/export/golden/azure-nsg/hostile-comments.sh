#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
set -eu
: "${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group of the network security group}"
: "${NSG_NAME:?set NSG_NAME to the network security group}"
az network nsg rule create \
  --resource-group "$RESOURCE_GROUP" --nsg-name "$NSG_NAME" \
  --name 'allowlist-v4' --priority 100 \
  --direction Inbound --access Allow --protocol Tcp \
  --source-address-prefixes \
    192.0.2.1/32 192.0.2.2/32 \
  --source-port-ranges '*' --destination-address-prefixes '*' \
  --destination-port-ranges 443 \
  --description 'Acme "Corp" allowlist, v1 *filter COMMIT '\'' " \ ; # }'
