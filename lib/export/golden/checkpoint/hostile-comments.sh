#!/bin/sh
# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
# First log in: mgmt_cli login user <admin> > sid.txt
set -e
mgmt_cli add group name 'allowlist' comments 'Acme "Corp" allowlist, v1 *filter COMMIT '\'' " \ ; # }' -s sid.txt
mgmt_cli add host name 'allowlist-192.0.2.1_32' ip-address '192.0.2.1' groups.1 'allowlist' comments 'US =HYPERLINK("http://evil.example","x")' -s sid.txt
mgmt_cli add host name 'allowlist-192.0.2.2_32' ip-address '192.0.2.2' groups.1 'allowlist' comments 'EU -2+3, quote " back\slash '\''single'\'' newline; semi # hash' -s sid.txt
mgmt_cli add service-tcp name 'allowlist-tcp-443' port '443' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'top' name 'allowlist-in' source 'allowlist' destination 'Any' service.1 'allowlist-tcp-443' action 'Accept' comments 'Acme "Corp" allowlist, v1 *filter COMMIT '\'' " \ ; # }' -s sid.txt
mgmt_cli publish -s sid.txt
