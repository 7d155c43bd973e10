#!/bin/sh
# Freshworks full allowlist, 17 prefixes (EU, US)
# Catalog: freshworks v1
# Allows tcp 443, 8000-8100 to any destination
# First log in: mgmt_cli login user <admin> > sid.txt
set -e
mgmt_cli add group name 'freshworks' comments 'Freshworks allowlist, freshworks v1' -s sid.txt
mgmt_cli add host name 'freshworks-3.71.140.232_32' ip-address '3.71.140.232' groups.1 'freshworks' comments 'EU Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add network name 'freshworks-3.74.148.8_30' subnet4 '3.74.148.8' mask-length4 30 groups.1 'freshworks' comments 'EU Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-18.184.146.22_32' ip-address '18.184.146.22' groups.1 'freshworks' comments 'EU Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-18.194.170.216_32' ip-address '18.194.170.216' groups.1 'freshworks' comments 'EU Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-18.197.127.133_32' ip-address '18.197.127.133' groups.1 'freshworks' comments 'EU Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-18.208.240.77_32' ip-address '18.208.240.77' groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-34.231.139.135_32' ip-address '34.231.139.135' groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-34.231.245.167_32' ip-address '34.231.245.167' groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add network name 'freshworks-44.206.73.232_29' subnet4 '44.206.73.232' mask-length4 29 groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-52.1.32.88_32' ip-address '52.1.32.88' groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-52.1.37.96_32' ip-address '52.1.37.96' groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-52.29.254.13_32' ip-address '52.29.254.13' groups.1 'freshworks' comments 'EU Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-52.57.253.205_32' ip-address '52.57.253.205' groups.1 'freshworks' comments 'EU Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'freshworks-52.201.75.8_32' ip-address '52.201.75.8' groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add network name 'freshworks-2406-da00-ff00--_48' subnet6 '2406:da00:ff00::' mask-length6 48 groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add network name 'freshworks-2600-1f18-4c12-9a00--_56' subnet6 '2600:1f18:4c12:9a00::' mask-length6 56 groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add network name 'freshworks-2a05-d014-1c8--_63' subnet6 '2a05:d014:1c8::' mask-length6 63 groups.1 'freshworks' comments 'EU Freshchat' -s sid.txt
mgmt_cli add service-tcp name 'freshworks-tcp-443' port '443' -s sid.txt
mgmt_cli add service-tcp name 'freshworks-tcp-8000-8100' port '8000-8100' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'top' name 'freshworks-in' source 'freshworks' destination 'Any' service.1 'freshworks-tcp-443' service.2 'freshworks-tcp-8000-8100' action 'Accept' comments 'Freshworks allowlist, freshworks v1' -s sid.txt
mgmt_cli publish -s sid.txt
