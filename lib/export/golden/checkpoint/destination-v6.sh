#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
# First log in: mgmt_cli login user <admin> > sid.txt
set -e
mgmt_cli add group name 'freshworks' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -s sid.txt
mgmt_cli add network name 'freshworks-2406-da00-ff00--_48' subnet6 '2406:da00:ff00::' mask-length6 48 groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add network name 'freshworks-2600-1f18-4c12-9a00--_56' subnet6 '2600:1f18:4c12:9a00::' mask-length6 56 groups.1 'freshworks' comments 'US Freshchat, Freddy Self-service' -s sid.txt
mgmt_cli add network name 'freshworks-2a05-d014-1c8--_63' subnet6 '2a05:d014:1c8::' mask-length6 63 groups.1 'freshworks' comments 'EU Freshchat' -s sid.txt
mgmt_cli add network name 'freshworks-dst' subnet6 '2001:db8:10::' mask-length6 48 -s sid.txt
mgmt_cli add service-udp name 'freshworks-udp-443' port '443' -s sid.txt
mgmt_cli add service-udp name 'freshworks-udp-8443' port '8443' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'top' name 'freshworks-in' source 'freshworks' destination 'freshworks-dst' service.1 'freshworks-udp-443' service.2 'freshworks-udp-8443' action 'Accept' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -s sid.txt
mgmt_cli publish -s sid.txt
