/**
 * Pastes of edit commands, n of each, shaped to make a reader that searches or splices per command take time growing
 * with the square: deletions of what was added (from the end), inserts at a position, moves, redefinitions. Used by
 * `npm run bench:linear` (n and 4n: linear reading takes about 4×, a search per edit 16×) and by the hang guard in
 * lib/parse/hostile.test.ts. Each of these once took from 3 to 180 s at 80,000 edits.
 */
import type { FormatId } from "../types";

export interface EditSample {
  readonly format: FormatId;
  readonly lines: (n: number) => string[];
}

/** 10.x.y.z from i: distinct for every i below 2^24. */
const ip = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const times = (n: number, line: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => line(i));

/** n netsh inbound allow rules, R0 … R(n-1), one address each. */
const netshRules = (n: number): string[] =>
  times(
    n,
    (i) =>
      `netsh advfirewall firewall add rule name="R${i}" dir=in action=allow protocol=tcp localport=443 remoteip=${ip(i)}`,
  );

export const editSamples: Readonly<Record<string, EditSample>> = {
  "panos: address set again": {
    format: "panos",
    lines: (n) => [
      ...times(n, (i) => `set address A-${i} ip-netmask ${ip(i)}`),
      ...times(n, (i) => `set address A-${i} ip-netmask ${ip(i + n)}`),
    ],
  },
  "cisco-asa: no access-list": {
    format: "cisco-asa",
    lines: (n) => [
      ...times(n, (i) => `access-list IN extended permit tcp host ${ip(i)} any eq 443`),
      ...times(n, (i) => `no access-list IN extended permit tcp host ${ip(n - 1 - i)} any eq 443`),
      "access-group IN in interface outside",
    ],
  },
  "cisco-asa: access-list line 1": {
    format: "cisco-asa",
    lines: (n) => [
      ...times(n, (i) => `access-list IN line 1 extended permit tcp host ${ip(i)} any eq 443`),
      "access-group IN in interface outside",
    ],
  },
  "cisco-asa: no access-group": {
    format: "cisco-asa",
    lines: (n) => [
      "access-list IN extended permit tcp any any eq 443",
      ...times(
        n,
        (i) =>
          `interface GigabitEthernet0/${i}\n nameif if${i}\n security-level 0\naccess-group IN in interface if${i}`,
      ),
      ...times(n, (i) => `no access-group IN in interface if${n - 1 - i}`),
    ],
  },
  "cisco-ios: no ip access-group": {
    format: "cisco-ios",
    lines: (n) => [
      "ip access-list extended IN",
      " permit tcp any any eq 443",
      ...times(n, (i) => `interface GigabitEthernet0/${i}\n ip access-group IN in`),
      ...times(n, (i) => `interface GigabitEthernet0/${n - 1 - i}\n no ip access-group IN in`),
    ],
  },
  "iptables: -D CHAIN rule": {
    format: "iptables",
    lines: (n) => [
      "*filter",
      ":INPUT DROP [0:0]",
      ...times(n, (i) => `-A INPUT -s ${ip(i)}/32 -j ACCEPT`),
      ...times(n, (i) => `-D INPUT -s ${ip(n - 1 - i)}/32 -j ACCEPT`),
      "COMMIT",
    ],
  },
  "iptables: -I CHAIN 2": {
    format: "iptables",
    lines: (n) => [
      "*filter",
      ":INPUT DROP [0:0]",
      "-A INPUT -s 192.0.2.1 -j ACCEPT",
      ...times(n, (i) => `-I INPUT 2 -s ${ip(i)}/32 -j ACCEPT`),
      "COMMIT",
    ],
  },
  "ipset: del": {
    format: "ipset",
    lines: (n) => [
      "create S hash:ip",
      ...times(n, (i) => `add S ${ip(i)}`),
      ...times(n, (i) => `del S ${ip(n - 1 - i)}`),
    ],
  },
  "junos: insert … before": {
    format: "junos",
    lines: (n) => [
      ...times(n, (i) => `set security policies from-zone untrust to-zone trust policy P${i} match source-address any`),
      ...times(
        n,
        (i) => `insert security policies from-zone untrust to-zone trust policy P${n - 1 - i} before policy P0`,
      ),
    ],
  },
  "fortigate: move": {
    format: "fortigate",
    lines: (n) => [
      "config firewall policy",
      ...times(n, (i) => `edit ${i + 1}\nset srcaddr "all"\nnext`),
      ...times(n, (i) => `move ${n - i} before 1`),
      "end",
    ],
  },
  "nftables: insert rule … index 1": {
    format: "nftables",
    lines: (n) => [
      "table inet f {",
      " chain input {",
      "  type filter hook input priority 0; policy drop;",
      // nft inserts only before a rule that is there ("index 1" is the second): two rules first.
      "  ip saddr 192.0.2.1 accept",
      "  ip saddr 192.0.2.2 accept",
      " }",
      "}",
      ...times(n, (i) => `insert rule inet f input index 1 ip saddr ${ip(i)} accept`),
    ],
  },
  "iptables: -E CHAIN back and forth": {
    format: "iptables",
    lines: (n) => [
      "iptables -N WEB",
      "iptables -A INPUT -p tcp --dport 443 -j WEB",
      ...times(n, (i) => `iptables -A INPUT -s ${ip(i)} -j ACCEPT`),
      // Each rename looks for the jumps to the chain, until REFERENCE_SCAN_LIMIT rules were looked at.
      ...times(n, (i) => (i % 2 === 0 ? "iptables -E WEB WEB2" : "iptables -E WEB2 WEB")),
    ],
  },
  "ufw: delete RULE, delete 1, insert 2": {
    format: "ufw",
    lines: (n) => [
      ...times(n, (i) => `ufw allow from ${ip(i)} to any port 443 proto tcp`),
      ...times(n / 2, (i) => `ufw delete allow from ${ip(n - 1 - i)} to any port 443 proto tcp\nufw delete 1`),
      // ufw inserts only where a rule is ("Invalid position" past the last): two rules first.
      `ufw allow from ${ip(2 * n)} to any port 443 proto tcp`,
      `ufw allow from ${ip(2 * n + 1)} to any port 443 proto tcp`,
      ...times(n, (i) => `ufw insert 2 allow from ${ip(n + i)} to any port 443 proto tcp`),
    ],
  },
  "ufw: insert 2 of rules for both families": {
    format: "ufw",
    lines: (n) => [
      // A rule from anywhere is one IPv4 and one IPv6 rule; each insert finds where its IPv6 half goes through the
      // IPv6 twin of an IPv4 rule (ufw's find_other_position).
      "ufw allow 1/tcp",
      "ufw allow 2/tcp",
      ...times(n, (i) => `ufw insert 2 allow ${3 + (i % 60_000)}/tcp`),
      ...times(n, () => "ufw --force delete 3"),
    ],
  },
  "fortigate: append and unselect member": {
    format: "fortigate",
    lines: (n) => [
      "config firewall address",
      ...times(n, (i) => `edit "A${i}"\nset subnet ${ip(i)} 255.255.255.255\nnext`),
      "end",
      "config firewall addrgrp",
      'edit "G"',
      ...times(n, (i) => `append member "A${i}"`),
      ...times(n / 2, (i) => `unselect member "A${2 * i}"`),
      "next",
      "end",
      "config firewall policy",
      'edit 1\nset srcaddr "G"\nset action accept\nnext',
      "end",
    ],
  },
  "panos: move … top": {
    format: "panos",
    lines: (n) => [
      ...times(
        n,
        (i) =>
          `set rulebase security rules R${i} from any to any source ${ip(i)} destination any application any service any action allow`,
      ),
      ...times(n, (i) => `move rulebase security rules R${i} top`),
    ],
  },
  "firewalld: --remove-source": {
    format: "firewalld",
    lines: (n) => [
      ...times(n, (i) => `firewall-cmd --permanent --zone=trusted --add-source=${ip(i)}`),
      ...times(n, (i) => `firewall-cmd --permanent --zone=trusted --remove-source=${ip(n - 1 - i)}`),
    ],
  },
  // Ports 1 … n (distinct up to n = 65,535), removed last first.
  // Each resequence renumbers the whole ACL: past RESEQUENCE_LIMIT entries renumbered, each one is a finding.
  "cisco-ios: ip access-list resequence": {
    format: "cisco-ios",
    lines: (n) => [
      "ip access-list extended IN",
      ...times(n, (i) => ` permit tcp host ${ip(i)} any eq 443`),
      ...times(n, () => "ip access-list resequence IN 10 10"),
    ],
  },
  // Address-list entries made, then removed one by one by address, last first (an index by address and by list).
  "mikrotik: remove [find address=…]": {
    format: "mikrotik",
    lines: (n) => [
      "/ip firewall address-list",
      ...times(n, (i) => `add list=l address=${ip(i)}`),
      ...times(n, (i) => `remove [find list=l address=${ip(n - 1 - i)}]`),
    ],
  },
  // The update idiom, n times over: the list emptied, one entry added back.
  "mikrotik: remove [find list=…] and add again": {
    format: "mikrotik",
    lines: (n) => [
      "/ip firewall address-list",
      ...times(n, (i) => `remove [find list=l]\nadd list=l address=${ip(i)}`),
    ],
  },
  // netsh rules made and deleted by name, last first (a name index: a scan per delete took n² steps).
  "windows: netsh delete rule name=": {
    format: "windows",
    lines: (n) => [...netshRules(n), ...times(n, (i) => `netsh advfirewall firewall delete rule name="R${n - 1 - i}"`)],
  },
  // name=all compares every rule: n of them against n rules stop at NETSH_SCAN_LIMIT, each one past it a finding.
  "windows: netsh delete rule name=all, matching none": {
    format: "windows",
    lines: (n) => [
      ...netshRules(n),
      ...times(n, (i) => `netsh advfirewall firewall delete rule name=all remoteip=${ip(i + n)} dir=out`),
    ],
  },
  "firewalld: --remove-port": {
    format: "firewalld",
    lines: (n) => [
      ...times(n, (i) => `firewall-cmd --permanent --zone=public --add-port=${(i % 65535) + 1}/tcp`),
      ...times(n, (i) => `firewall-cmd --permanent --zone=public --remove-port=${((n - 1 - i) % 65535) + 1}/tcp`),
    ],
  },
  "firewalld: --remove-rich-rule": {
    format: "firewalld",
    lines: (n) => [
      ...times(
        n,
        (i) => `firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="${ip(i)}" accept'`,
      ),
      ...times(
        n,
        (i) =>
          `firewall-cmd --permanent --remove-rich-rule='rule family="ipv4" source address="${ip(n - 1 - i)}" accept'`,
      ),
    ],
  },
  // A removal of what the zone lacks searched all its rules.
  "firewalld: --remove-service, absent": {
    format: "firewalld",
    lines: (n) => [
      ...times(
        n,
        (i) => `firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="${ip(i)}" accept'`,
      ),
      ...times(n, () => "firewall-cmd --permanent --remove-service=ssh"),
    ],
  },
};
