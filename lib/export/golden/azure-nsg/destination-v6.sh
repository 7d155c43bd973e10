#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
set -eu
: "${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group of the network security group}"
: "${NSG_NAME:?set NSG_NAME to the network security group}"
az network nsg rule create \
  --resource-group "$RESOURCE_GROUP" --nsg-name "$NSG_NAME" \
  --name 'freshworks-v6' --priority 100 \
  --direction Inbound --access Allow --protocol Udp \
  --source-address-prefixes \
    2406:da00:ff00::/48 2600:1f18:4c12:9a00::/56 2a05:d014:1c8::/63 \
  --source-port-ranges '*' --destination-address-prefixes 2001:db8:10::/48 \
  --destination-port-ranges 443 8443 \
  --description 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)'
