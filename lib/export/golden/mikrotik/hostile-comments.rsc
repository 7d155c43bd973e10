# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
/ip firewall address-list
:do { add list=allowlist address=192.0.2.1 comment="US =HYPERLINK(http://evil.example,x)" } on-error={}
:do { add list=allowlist address=192.0.2.2 comment="EU -2+3, quote backslash 'single' newline; semi # hash" } on-error={}
/ip firewall filter
:if ([:len [find comment="allowlist-in"]] = 0) do={
  :local first [find chain=forward]
  :if ([:len $first] > 0) do={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=allowlist comment="allowlist-in" place-before=[:pick $first 0] } else={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=allowlist comment="allowlist-in" }
}
