#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# First log in: mgmt_cli login user <admin> > sid.txt
set -e
mgmt_cli add group name 'fw1-missing' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -s sid.txt
mgmt_cli add host name 'fw1-missing-3.74.148.10_32' ip-address '3.74.148.10' groups.1 'fw1-missing' comments 'EU Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add network name 'fw1-missing-44.206.73.236_31' subnet4 '44.206.73.236' mask-length4 31 groups.1 'fw1-missing' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add host name 'fw1-missing-52.1.37.96_32' ip-address '52.1.37.96' groups.1 'fw1-missing' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add service-tcp name 'fw1-missing-tcp-443' port '443' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'top' name 'fw1-missing-in' source 'fw1-missing' destination 'Any' service.1 'fw1-missing-tcp-443' action 'Accept' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -s sid.txt
mgmt_cli publish -s sid.txt
