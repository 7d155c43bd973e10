# Acme "Corp" full allowlist, 2 prefixes (US, EU)
# Catalog: v1 *filter COMMIT ' " \ ; # }
# Allows tcp 443 to any destination
/ip firewall address-list
add list=allowlist address=192.0.2.1 comment="US =HYPERLINK(http://evil.example,x)"
add list=allowlist address=192.0.2.2 comment="EU -2+3, quote backslash 'single' newline; semi # hash"
/ip firewall filter
add chain=forward action=accept protocol=tcp dst-port=443 src-address-list=allowlist comment="Acme Corp allowlist, v1 *filter COMMIT ' ; # }"
