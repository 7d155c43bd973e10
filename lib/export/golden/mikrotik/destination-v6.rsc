# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
/ipv6 firewall address-list
:do { add list=freshworks address=2406:da00:ff00::/48 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=2600:1f18:4c12:9a00::/56 comment="US Freshchat, Freddy Self-service" } on-error={}
:do { add list=freshworks address=2a05:d014:1c8::/63 comment="EU Freshchat" } on-error={}
/ipv6 firewall filter
:if ([:len [find comment="freshworks-in"]] = 0) do={
  :local first [find chain=forward]
  :if ([:len $first] > 0) do={ add chain=forward action=accept protocol=udp dst-port=443,8443 src-address-list=freshworks dst-address=2001:db8:10::/48 comment="freshworks-in" place-before=[:pick $first 0] } else={ add chain=forward action=accept protocol=udp dst-port=443,8443 src-address-list=freshworks dst-address=2001:db8:10::/48 comment="freshworks-in" }
}
