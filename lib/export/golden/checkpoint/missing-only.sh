#!/bin/sh
# Freshworks entries missing from the compared list, 3 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443 to any destination
# First log in: mgmt_cli login user <admin> > sid.txt
# Then fill in PACKAGE (the policy package whose 'Network' layer gets the rule) and GATEWAY (the gateway or
# cluster it is installed on): publish only saves the change; the gateway enforces it after install-policy.
PACKAGE=''
GATEWAY=''
set -e
: "${PACKAGE:?fill in PACKAGE at the top of this script}" "${GATEWAY:?fill in GATEWAY at the top of this script}"
once() { t="$1"; n="$2"; shift 2; mgmt_cli show "$t" name "$n" -s sid.txt >/dev/null 2>&1 || mgmt_cli add "$t" name "$n" "$@" -s sid.txt; }
once group 'fw1-missing' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)'
once host 'fw1-missing-3.74.148.10_32' ip-address '3.74.148.10' comments 'EU Freshchat, Freddy Self-service'
once network 'fw1-missing-44.206.73.236_31' subnet4 '44.206.73.236' mask-length4 31 comments 'US Freshchat, Freddy Self-service'
once host 'fw1-missing-52.1.37.96_32' ip-address '52.1.37.96' comments 'US Freshchat, Freddy Self-service'
mgmt_cli set group name 'fw1-missing' members.add.1 'fw1-missing-3.74.148.10_32' members.add.2 'fw1-missing-44.206.73.236_31' members.add.3 'fw1-missing-52.1.37.96_32' -s sid.txt
once service-tcp 'fw1-missing-tcp-443' port '443'
mgmt_cli show access-rule layer 'Network' name 'fw1-missing-in' -s sid.txt >/dev/null 2>&1 || mgmt_cli add access-rule layer 'Network' position 'top' name 'fw1-missing-in' source 'fw1-missing' destination 'Any' service.1 'fw1-missing-tcp-443' action 'Accept' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -s sid.txt
mgmt_cli publish -s sid.txt
mgmt_cli install-policy policy-package "$PACKAGE" access true targets.1 "$GATEWAY" -s sid.txt
