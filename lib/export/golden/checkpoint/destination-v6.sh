#!/bin/sh
# Freshworks full allowlist, 3 prefixes (US, EU)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows udp 443, 8443 to 2001:db8:10::/48
# First log in: mgmt_cli login user <admin> > sid.txt
# Then fill in PACKAGE (the policy package whose 'Network' layer gets the rule) and GATEWAY (the gateway or
# cluster it is installed on): publish only saves the change; the gateway enforces it after install-policy.
PACKAGE=''
GATEWAY=''
set -e
: "${PACKAGE:?fill in PACKAGE at the top of this script}" "${GATEWAY:?fill in GATEWAY at the top of this script}"
once() { t="$1"; n="$2"; shift 2; mgmt_cli show "$t" name "$n" -s sid.txt >/dev/null 2>&1 || mgmt_cli add "$t" name "$n" "$@" -s sid.txt; }
once group 'freshworks' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)'
once network 'freshworks-2406-da00-ff00--_48' subnet6 '2406:da00:ff00::' mask-length6 48 comments 'US Freshchat, Freddy Self-service'
once network 'freshworks-2600-1f18-4c12-9a00--_56' subnet6 '2600:1f18:4c12:9a00::' mask-length6 56 comments 'US Freshchat, Freddy Self-service'
once network 'freshworks-2a05-d014-1c8--_63' subnet6 '2a05:d014:1c8::' mask-length6 63 comments 'EU Freshchat'
mgmt_cli set group name 'freshworks' members.add.1 'freshworks-2406-da00-ff00--_48' members.add.2 'freshworks-2600-1f18-4c12-9a00--_56' members.add.3 'freshworks-2a05-d014-1c8--_63' -s sid.txt
once network 'freshworks-dst' subnet6 '2001:db8:10::' mask-length6 48
once service-udp 'freshworks-udp-443' port '443'
once service-udp 'freshworks-udp-8443' port '8443'
mgmt_cli show access-rule layer 'Network' name 'freshworks-in' -s sid.txt >/dev/null 2>&1 || mgmt_cli add access-rule layer 'Network' position 'top' name 'freshworks-in' source 'freshworks' destination 'freshworks-dst' service.1 'freshworks-udp-443' service.2 'freshworks-udp-8443' action 'Accept' comments 'Freshworks allowlist, freshworks v1 (sha256:4ce552359fe97bd7)' -s sid.txt
mgmt_cli publish -s sid.txt
mgmt_cli install-policy policy-package "$PACKAGE" access true targets.1 "$GATEWAY" -s sid.txt
