/ip firewall address-list
:do { add list=freshworks address=3.71.140.232 } on-error={}
:do { add list=freshworks address=3.74.148.8/30 } on-error={}
:do { add list=freshworks address=18.184.146.22 } on-error={}
:do { add list=freshworks address=18.194.170.216 } on-error={}
:do { add list=freshworks address=18.197.127.133 } on-error={}
:do { add list=freshworks address=18.208.240.77 } on-error={}
:do { add list=freshworks address=34.231.139.135 } on-error={}
:do { add list=freshworks address=34.231.245.167 } on-error={}
:do { add list=freshworks address=44.206.73.232/29 } on-error={}
:do { add list=freshworks address=52.1.32.88 } on-error={}
:do { add list=freshworks address=52.1.37.96 } on-error={}
:do { add list=freshworks address=52.29.254.13 } on-error={}
:do { add list=freshworks address=52.57.253.205 } on-error={}
:do { add list=freshworks address=52.201.75.8 } on-error={}
/ip firewall filter
:if ([:len [find comment="freshworks-in"]] = 0) do={
  :local first [find chain=forward]
  :if ([:len $first] > 0) do={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=freshworks comment="freshworks-in" place-before=[:pick $first 0] } else={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=freshworks comment="freshworks-in" }
}
/ipv6 firewall address-list
:do { add list=freshworks address=2406:da00:ff00::/48 } on-error={}
:do { add list=freshworks address=2600:1f18:4c12:9a00::/56 } on-error={}
:do { add list=freshworks address=2a05:d014:1c8::/63 } on-error={}
/ipv6 firewall filter
:if ([:len [find comment="freshworks-in"]] = 0) do={
  :local first [find chain=forward]
  :if ([:len $first] > 0) do={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=freshworks comment="freshworks-in" place-before=[:pick $first 0] } else={ add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=freshworks comment="freshworks-in" }
}
