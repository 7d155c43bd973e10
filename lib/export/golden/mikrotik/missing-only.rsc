# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
/ip firewall address-list
:do { add list=fw1-missing address=3.74.148.10 comment="EU Freshchat, Freddy Self-service" } on-error={}
:do { add list=fw1-missing address=44.206.73.236/31 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=fw1-missing address=52.1.37.96 comment="US Freshchat, Freddy Self-service" } on-error={}
/ip firewall filter
:if ([:len [find comment="fw1-missing-in"]] = 0) do={
  :local first [find chain=forward]
  :if ([:len $first] > 0) do={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=fw1-missing comment="fw1-missing-in" place-before=[:pick $first 0] } else={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=fw1-missing comment="fw1-missing-in" }
}
