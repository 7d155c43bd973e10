#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
set -eu
: "${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group of the network security group}"
: "${NSG_NAME:?set NSG_NAME to the network security group}"
for rule in 'fw1-missing-v4'; do
  if az network nsg rule show --resource-group "$RESOURCE_GROUP" --nsg-name "$NSG_NAME" --name "$rule" >/dev/null 2>&1; then
    echo "azure-nsg: rule $rule exists: creating it again would replace its sources with this delta's only. Nothing changed; apply the full export instead." >&2
    exit 1
  fi
done
az network nsg rule create \
  --resource-group "$RESOURCE_GROUP" --nsg-name "$NSG_NAME" \
  --name 'fw1-missing-v4' --priority 100 \
  --direction Inbound --access Allow --protocol Tcp \
  --source-address-prefixes \
    3.74.148.10/32 44.206.73.236/31 52.1.37.96/32 \
  --source-port-ranges '*' --destination-address-prefixes '*' \
  --destination-port-ranges 443 \
  --description 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)'
