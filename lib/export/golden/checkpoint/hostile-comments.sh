#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
# First log in: mgmt_cli login user <admin> > sid.txt
# Then fill in PACKAGE (the policy package whose 'Network' layer gets the rule) and GATEWAY (the gateway or
# cluster it is installed on): publish only saves the change; the gateway enforces it after install-policy.
PACKAGE=''
GATEWAY=''
set -e
: "${PACKAGE:?fill in PACKAGE at the top of this script}" "${GATEWAY:?fill in GATEWAY at the top of this script}"
once() { t="$1"; n="$2"; shift 2; mgmt_cli show "$t" name "$n" -s sid.txt >/dev/null 2>&1 || mgmt_cli add "$t" name "$n" "$@" -s sid.txt; }
once group 'allowlist' comments 'Acme "Corp" allowlist, v1 *filter COMMIT '\'' " \ ; # }'
once host 'allowlist-192.0.2.1_32' ip-address '192.0.2.1' comments 'US =HYPERLINK("http://evil.example","x")'
once host 'allowlist-192.0.2.2_32' ip-address '192.0.2.2' comments 'EU -2+3, quote " back\slash '\''single'\'' newline; semi # hash'
mgmt_cli set group name 'allowlist' members.add.1 'allowlist-192.0.2.1_32' members.add.2 'allowlist-192.0.2.2_32' -s sid.txt
once service-tcp 'allowlist-tcp-443' port '443'
mgmt_cli show access-rule layer 'Network' name 'allowlist-in' -s sid.txt >/dev/null 2>&1 || mgmt_cli add access-rule layer 'Network' position 'top' name 'allowlist-in' source 'allowlist' destination 'Any' service.1 'allowlist-tcp-443' action 'Accept' comments 'Acme "Corp" allowlist, v1 *filter COMMIT '\'' " \ ; # }' -s sid.txt
mgmt_cli publish -s sid.txt
mgmt_cli install-policy policy-package "$PACKAGE" access true targets.1 "$GATEWAY" -s sid.txt
