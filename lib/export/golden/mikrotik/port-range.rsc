# Freshworks full allowlist, 17 prefixes (EU, US)
# Catalog: freshworks v1
# Allows tcp 443, 8000-8100 to any destination
/ip firewall address-list
:do { add list=freshworks address=3.71.140.232 comment="EU Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=3.74.148.8/30 comment="EU Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=18.184.146.22 comment="EU Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=18.194.170.216 comment="EU Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=18.197.127.133 comment="EU Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=18.208.240.77 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=34.231.139.135 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=34.231.245.167 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=44.206.73.232/29 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=52.1.32.88 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=52.1.37.96 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=52.29.254.13 comment="EU Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=52.57.253.205 comment="EU Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=52.201.75.8 comment="US Freshchat, Freddy Self-service" } on-error={}
/ip firewall filter
:if ([:len [find comment="freshworks-in"]] = 0) do={
  :local first [find chain=forward]
  :if ([:len $first] > 0) do={ add chain=forward action=accept protocol=tcp dst-port=443,8000-8100 src-address-list=freshworks comment="freshworks-in" place-before=[:pick $first 0] } else={ add chain=forward action=accept protocol=tcp dst-port=443,8000-8100 src-address-list=freshworks comment="freshworks-in" }
}
/ipv6 firewall address-list
:do { add list=freshworks address=2406:da00:ff00::/48 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=2600:1f18:4c12:9a00::/56 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=2a05:d014:1c8::/63 comment="EU Freshchat" } on-error={}
/ipv6 firewall filter
:if ([:len [find comment="freshworks-in"]] = 0) do={
  :local first [find chain=forward]
  :if ([:len $first] > 0) do={ add chain=forward action=accept protocol=tcp dst-port=443,8000-8100 src-address-list=freshworks comment="freshworks-in" place-before=[:pick $first 0] } else={ add chain=forward action=accept protocol=tcp dst-port=443,8000-8100 src-address-list=freshworks comment="freshworks-in" }
}
