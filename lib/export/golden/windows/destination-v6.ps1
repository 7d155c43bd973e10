# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
$ErrorActionPreference = 'Stop'
$addresses = @(
  '2406:da00:ff00::/48'
  '2600:1f18:4c12:9a00::/56'
  '2a05:d014:1c8::/63'
)
New-NetFirewallRule -Name 'freshworks-v6' -DisplayName 'freshworks-v6' -Group 'freshworks' -Description 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -Direction Inbound -Action Allow -Protocol UDP -LocalPort '443', '8443' -LocalAddress '2001:db8:10::/48' -RemoteAddress $addresses | Out-Null
