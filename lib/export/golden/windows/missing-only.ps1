# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
$ErrorActionPreference = 'Stop'
$addresses = @(
  '3.74.148.10/32'
  '44.206.73.236/31'
  '52.1.37.96/32'
)
New-NetFirewallRule -Name 'fw1-missing-v4-delta-6269d8a0' -DisplayName 'fw1-missing-v4-delta-6269d8a0' -Group 'fw1-missing' -Description 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -Direction Inbound -Action Allow -Protocol TCP -LocalPort '443' -RemoteAddress $addresses | Out-Null
