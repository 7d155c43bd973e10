#!/bin/sh
# Freshworks allowlist (sync), 17 prefixes (EU, US)
# Catalog: freshworks v1 (sha256:4ce552359fe97bd7)
# Allows tcp 443, 8443 to any destination
# Deployment: dedicated. Only these sources may reach tcp 443, 8443; every other source is dropped on that port.
# Scope: sync. the ufw rules commented "freshworks:" ends holding exactly these sources: the missing are added, every other member is removed (each removal is printed).
# Idempotent: running it again changes nothing.
# Rules are prepended: they come before your own rules of the same family.
# A deny of tcp 443, 8443 for every other source follows; it replaces your "allow 443,8443/tcp from anywhere" rule if you have one.
# Run as root: sh freshworks-us-eu-sync-ufw.sh
set -eu
unallow() { ufw show added | grep -F "ufw allow from $1 " | grep -F " comment 'freshworks:" | sed "s/^ufw //; s/ comment '.*$//" | while read -r rule; do ufw delete $rule; done; }
keep='
3.71.140.232/32
3.71.140.232
3.74.148.8/30
18.184.146.22/32
18.184.146.22
18.194.170.216/32
18.194.170.216
18.197.127.133/32
18.197.127.133
18.208.240.77/32
18.208.240.77
34.231.139.135/32
34.231.139.135
34.231.245.167/32
34.231.245.167
44.206.73.232/29
52.1.32.88/32
52.1.32.88
52.1.37.96/32
52.1.37.96
52.29.254.13/32
52.29.254.13
52.57.253.205/32
52.57.253.205
52.201.75.8/32
52.201.75.8
2406:da00:ff00::/48
2600:1f18:4c12:9a00::/56
2a05:d014:1c8::/63
'
ufw show added | grep -F " comment 'freshworks:" | sed -n 's/^ufw allow from \([^ ]*\) .*/\1/p' | sort -u | while read -r member; do
  case "$keep" in *"
$member
"*) ;; *) echo "sync: removing $member from ufw"; unallow "$member" ;; esac
done
ufw deny proto tcp to any port 443,8443
ufw prepend allow proto tcp from 3.71.140.232/32 to any port 443,8443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 3.74.148.8/30 to any port 443,8443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 18.184.146.22/32 to any port 443,8443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 18.194.170.216/32 to any port 443,8443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 18.197.127.133/32 to any port 443,8443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 18.208.240.77/32 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 34.231.139.135/32 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 34.231.245.167/32 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 44.206.73.232/29 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.1.32.88/32 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.1.37.96/32 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.29.254.13/32 to any port 443,8443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.57.253.205/32 to any port 443,8443 comment 'freshworks: EU Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 52.201.75.8/32 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 2406:da00:ff00::/48 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 2600:1f18:4c12:9a00::/56 to any port 443,8443 comment 'freshworks: US Freshchat, Freddy Self-service'
ufw prepend allow proto tcp from 2a05:d014:1c8::/63 to any port 443,8443 comment 'freshworks: EU Freshchat'
