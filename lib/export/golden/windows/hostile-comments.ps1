# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
$ErrorActionPreference = 'Stop'
$addresses = @(
  '192.0.2.1/32'
  '192.0.2.2/32'
)
New-NetFirewallRule -Name 'allowlist-v4' -DisplayName 'allowlist-v4' -Group 'allowlist' -Description 'Acme "Corp" allowlist, v1 *filter COMMIT '' " \ ; # }' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -RemoteAddress $addresses | Out-Null
