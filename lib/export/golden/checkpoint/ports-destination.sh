#!/bin/sh
# Freshworks full allowlist, 14 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 8000-8100 to 203.0.113.0/24
# First log in: mgmt_cli login user <admin> > sid.txt
# Then fill in PACKAGE (the policy package whose 'Network' layer gets the rule) and GATEWAY (the gateway or
# cluster it is installed on): publish only saves the change; the gateway enforces it after install-policy.
PACKAGE=''
GATEWAY=''
set -e
: "${PACKAGE:?fill in PACKAGE at the top of this script}" "${GATEWAY:?fill in GATEWAY at the top of this script}"
once() { t="$1"; n="$2"; shift 2; mgmt_cli show "$t" name "$n" -s sid.txt >/dev/null 2>&1 || mgmt_cli add "$t" name "$n" "$@" -s sid.txt; }
once group 'freshworks' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)'
once host 'freshworks-3.71.140.232_32' ip-address '3.71.140.232' comments 'EU Freshchat, Freddy Self-service'
once network 'freshworks-3.74.148.8_30' subnet4 '3.74.148.8' mask-length4 30 comments 'EU Freshchat, Freddy Self-service'
once host 'freshworks-18.184.146.22_32' ip-address '18.184.146.22' comments 'EU Freshchat, Freddy Self-service'
once host 'freshworks-18.194.170.216_32' ip-address '18.194.170.216' comments 'EU Freshchat, Freddy Self-service'
once host 'freshworks-18.197.127.133_32' ip-address '18.197.127.133' comments 'EU Freshchat, Freddy Self-service'
once host 'freshworks-18.208.240.77_32' ip-address '18.208.240.77' comments 'US Freshchat, Freddy Self-service'
once host 'freshworks-34.231.139.135_32' ip-address '34.231.139.135' comments 'US Freshchat, Freddy Self-service'
once host 'freshworks-34.231.245.167_32' ip-address '34.231.245.167' comments 'US Freshchat, Freddy Self-service'
once network 'freshworks-44.206.73.232_29' subnet4 '44.206.73.232' mask-length4 29 comments 'US Freshchat, Freddy Self-service'
once host 'freshworks-52.1.32.88_32' ip-address '52.1.32.88' comments 'US Freshchat, Freddy Self-service'
once host 'freshworks-52.1.37.96_32' ip-address '52.1.37.96' comments 'US Freshchat, Freddy Self-service'
once host 'freshworks-52.29.254.13_32' ip-address '52.29.254.13' comments 'EU Freshchat, Freddy Self-service'
once host 'freshworks-52.57.253.205_32' ip-address '52.57.253.205' comments 'EU Freshchat, Freddy Self-service'
once host 'freshworks-52.201.75.8_32' ip-address '52.201.75.8' comments 'US Freshchat, Freddy Self-service'
mgmt_cli set group name 'freshworks' members.add.1 'freshworks-3.71.140.232_32' members.add.2 'freshworks-3.74.148.8_30' members.add.3 'freshworks-18.184.146.22_32' members.add.4 'freshworks-18.194.170.216_32' members.add.5 'freshworks-18.197.127.133_32' members.add.6 'freshworks-18.208.240.77_32' members.add.7 'freshworks-34.231.139.135_32' members.add.8 'freshworks-34.231.245.167_32' members.add.9 'freshworks-44.206.73.232_29' members.add.10 'freshworks-52.1.32.88_32' members.add.11 'freshworks-52.1.37.96_32' members.add.12 'freshworks-52.29.254.13_32' members.add.13 'freshworks-52.57.253.205_32' members.add.14 'freshworks-52.201.75.8_32' -s sid.txt
once network 'freshworks-dst' subnet4 '203.0.113.0' mask-length4 24
once service-tcp 'freshworks-tcp-8000-8100' port '8000-8100'
mgmt_cli show access-rule layer 'Network' name 'freshworks-in' -s sid.txt >/dev/null 2>&1 || mgmt_cli add access-rule layer 'Network' position 'top' name 'freshworks-in' source 'freshworks' destination 'freshworks-dst' service.1 'freshworks-tcp-8000-8100' action 'Accept' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -s sid.txt
mgmt_cli publish -s sid.txt
mgmt_cli install-policy policy-package "$PACKAGE" access true targets.1 "$GATEWAY" -s sid.txt
