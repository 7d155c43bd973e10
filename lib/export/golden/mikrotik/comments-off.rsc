/ip firewall address-list
add list=freshworks address=3.71.140.232
add list=freshworks address=3.74.148.8/30
add list=freshworks address=18.184.146.22
add list=freshworks address=18.194.170.216
add list=freshworks address=18.197.127.133
add list=freshworks address=18.208.240.77
add list=freshworks address=34.231.139.135
add list=freshworks address=34.231.245.167
add list=freshworks address=44.206.73.232/29
add list=freshworks address=52.1.32.88
add list=freshworks address=52.1.37.96
add list=freshworks address=52.29.254.13
add list=freshworks address=52.57.253.205
add list=freshworks address=52.201.75.8
/ip firewall filter
add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=freshworks
/ipv6 firewall address-list
add list=freshworks address=2406:da00:ff00::/48
add list=freshworks address=2600:1f18:4c12:9a00::/56
add list=freshworks address=2a05:d014:1c8::/63
/ipv6 firewall filter
add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=freshworks
