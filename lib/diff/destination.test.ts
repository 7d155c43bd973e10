import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress } from "../ip/address";
import { parseText } from "../parse/registry";
import type { FormatId } from "../parse/types";
import { diff } from "./engines/objects";
import { withPublishedDestinations } from "./kernel/destination";
import { runDiff } from "./run";
import { SEED_CATALOG } from "./seed.fixture";
import { trace } from "./trace";

const ONE = (to: string) =>
  `Never met by a new inbound connection: only traffic to ${to}, a published NAT IP: the vendor connects from it, never to it (source and destination swapped?).`;
const MANY = (to: string) =>
  `Never met by a new inbound connection: only traffic to ${to}, published NAT IPs: the vendor connects from them, never to them (source and destination swapped?).`;

/** The covered US entries and the "Never met" findings (line, message) of a diff of `text`. */
function verdict(text: string, format: FormatId) {
  const r = runDiff({ text, format, regions: ["US"], port: 443, catalog: SEED_CATALOG });
  assert.equal(r.engine, "objects");
  if (r.engine !== "objects") return undefined;
  return {
    covered: r.result.published.filter((p) => p.status === "covered").map((p) => p.entry.cidr),
    // One row per entry: "any" of the ASA is two (IPv4 and IPv6), one finding on the line.
    never: [
      ...new Set(
        r.result.entries.filter((v) => v.status === "inactive").map((v) => JSON.stringify([v.line, v.message])),
      ),
    ].map((x) => JSON.parse(x) as [number, string]),
  };
}

describe("a rule only to published NAT IPs is never met (source and destination swapped)", () => {
  test("iptables: -d with one published address, with two; -s with -d to the host still counts", () => {
    const text = `*filter
:INPUT DROP [0:0]
-A INPUT -d 52.1.37.96/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -d 52.1.32.88,18.208.240.77 -p tcp --dport 443 -j ACCEPT
-A INPUT -s 52.201.75.8/32 -d 10.0.0.5/32 -p tcp -m tcp --dport 443 -j ACCEPT
-A INPUT -d 52.1.37.96/30 -p tcp --dport 443 -j ACCEPT
COMMIT
`;
    // 52.1.37.96/30 holds addresses nobody published: it may be the customer's own, and is read as met (as before).
    assert.deepEqual(verdict(text, "iptables"), {
      covered: SEED_CATALOG.filter((p) => p.region === "US").map((p) => p.cidr),
      never: [
        [3, ONE("52.1.37.96/32")],
        [4, MANY("52.1.32.88,18.208.240.77")],
      ],
    });
    const without = verdict(text.replace(/^-A INPUT -d 52\.1\.37\.96\/30.*\n/m, ""), "iptables")!;
    assert.deepEqual(without.covered, ["52.201.75.8/32"]);
  });

  test("nftables: ip daddr, an anonymous set; a named set is not looked into", () => {
    const text = `table inet filter {
  set fw { type ipv4_addr; elements = { 52.1.37.96 } }
  chain input {
    type filter hook input priority 0; policy drop;
    ip daddr 52.1.37.96 tcp dport 443 accept
    ip daddr { 52.1.32.88, 18.208.240.77 } tcp dport 443 accept
    ip saddr 52.201.75.8 tcp dport 443 accept
  }
}
`;
    assert.deepEqual(verdict(text, "nftables"), {
      covered: ["52.201.75.8/32"],
      never: [
        [5, ONE("52.1.37.96")],
        [6, MANY("{ 52.1.32.88, 18.208.240.77 }")],
      ],
    });
  });

  test("ufw: a command, a status listing row and a user.rules tuple", () => {
    assert.deepEqual(
      verdict(
        "ufw default deny incoming\nufw allow from any to 52.1.37.96 port 443 proto tcp\nufw allow from 52.1.32.88 to any port 443 proto tcp\n",
        "ufw",
      ),
      { covered: ["52.1.32.88/32"], never: [[2, ONE("52.1.37.96")]] },
    );
    assert.deepEqual(
      verdict(
        "Status: active\n\nTo                         Action      From\n--                         ------      ----\n52.1.37.96 443/tcp         ALLOW IN    Anywhere\n443/tcp                    ALLOW IN    52.1.32.88\n",
        "ufw",
      ),
      { covered: ["52.1.32.88/32"], never: [[5, ONE("52.1.37.96")]] },
    );
    assert.deepEqual(
      verdict(
        "*filter\n:ufw-user-input - [0:0]\n### tuple ### allow tcp 443 52.1.37.96 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp -d 52.1.37.96 --dport 443 -j ACCEPT\nCOMMIT\n",
        "ufw",
      ),
      { covered: [], never: [[3, ONE("52.1.37.96")]] },
    );
  });

  test("Cisco IOS and ASA: an ACE to a host, to an object-group of published addresses", () => {
    const ios = `interface GigabitEthernet0/0
 ip access-group WAN-IN in
ip access-list extended WAN-IN
 permit tcp any host 52.1.37.96 eq 443
 permit tcp host 52.1.32.88 host 203.0.113.10 eq 443
`;
    assert.deepEqual(verdict(ios, "cisco-ios"), { covered: ["52.1.32.88/32"], never: [[4, ONE("host 52.1.37.96")]] });
    const asa = `interface GigabitEthernet0/0
 nameif outside
object-group network FRESHWORKS-US
 network-object host 52.1.37.96
 network-object host 52.1.32.88
access-list OUTSIDE_IN extended permit tcp any object-group FRESHWORKS-US eq https
access-list OUTSIDE_IN extended permit tcp host 18.208.240.77 any eq https
access-group OUTSIDE_IN in interface outside
`;
    assert.deepEqual(verdict(asa, "cisco-asa"), {
      covered: ["18.208.240.77/32"],
      never: [[6, MANY("object-group FRESHWORKS-US")]],
    });
  });

  // The same for the appliance, cloud and host formats whose rules name a destination: Junos destination-address,
  // PAN-OS destination, FortiGate dstaddr, Azure destinationAddressPrefix, GCP destinationRanges (of an ingress rule),
  // MikroTik dst-address, pfSense's destination address, firewalld's rich rule destination address.
  const OTHERS: [FormatId, string, number, string][] = [
    [
      "junos",
      "set security zones security-zone untrust interfaces ge-0/0/0.0\nset security zones security-zone trust interfaces ge-0/0/1.0\nset security address-book global address FW-US-1 52.1.37.96/32\nset security address-book global address FW-US-2 52.1.32.88/32\nset security address-book global address WEB 10.0.0.10/32\nset security policies from-zone untrust to-zone trust policy swapped match source-address any\nset security policies from-zone untrust to-zone trust policy swapped match destination-address FW-US-1\nset security policies from-zone untrust to-zone trust policy swapped match application junos-https\nset security policies from-zone untrust to-zone trust policy swapped then permit\nset security policies from-zone untrust to-zone trust policy good match source-address FW-US-2\nset security policies from-zone untrust to-zone trust policy good match destination-address WEB\nset security policies from-zone untrust to-zone trust policy good match application junos-https\nset security policies from-zone untrust to-zone trust policy good then permit\n",
      6,
      "FW-US-1",
    ],
    [
      "panos",
      "set address FW-US-1 ip-netmask 52.1.37.96/32\nset address WEB ip-netmask 10.0.0.10/32\nset rulebase security rules swapped from untrust to trust source any destination FW-US-1 application any service service-https action allow\nset rulebase security rules good from untrust to trust source 52.1.32.88 destination WEB application any service service-https action allow\n",
      3,
      "FW-US-1",
    ],
    [
      "fortigate",
      'config system interface\n    edit "wan1"\n        set role wan\n    next\nend\nconfig firewall address\n    edit "FW-US-1"\n        set subnet 52.1.37.96 255.255.255.255\n    next\n    edit "FW-US-2"\n        set subnet 52.1.32.88 255.255.255.255\n    next\n    edit "web"\n        set subnet 10.0.0.10 255.255.255.255\n    next\nend\nconfig firewall policy\n    edit 1\n        set srcintf "wan1"\n        set dstintf "lan"\n        set srcaddr "all"\n        set dstaddr "FW-US-1"\n        set action accept\n        set schedule "always"\n        set service "HTTPS"\n    next\n    edit 2\n        set srcintf "wan1"\n        set dstintf "lan"\n        set srcaddr "FW-US-2"\n        set dstaddr "web"\n        set action accept\n        set schedule "always"\n        set service "HTTPS"\n    next\nend\n',
      21,
      "FW-US-1",
    ],
    [
      "azure-nsg",
      '{\n  "name": "nsg-web",\n  "securityRules": [\n    {\n      "name": "Allow-FW-swapped",\n      "properties": {\n        "priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",\n        "sourceAddressPrefix": "*", "sourcePortRange": "*",\n        "destinationAddressPrefix": "52.1.37.96/32", "destinationPortRange": "443"\n      }\n    },\n    {\n      "name": "Allow-FW-good",\n      "properties": {\n        "priority": 110, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",\n        "sourceAddressPrefix": "52.1.32.88/32", "sourcePortRange": "*",\n        "destinationAddressPrefix": "10.0.0.10", "destinationPortRange": "443"\n      }\n    }\n  ]\n}\n',
      8,
      "52.1.37.96/32",
    ],
    [
      "gcp",
      '[\n  {"name": "allow-fw-swapped", "network": "projects/p/global/networks/default", "direction": "INGRESS", "priority": 900,\n   "sourceRanges": ["0.0.0.0/0"], "destinationRanges": ["52.1.37.96/32"], "allowed": [{"IPProtocol": "tcp", "ports": ["443"]}]},\n  {"name": "allow-fw", "network": "projects/p/global/networks/default", "direction": "INGRESS", "priority": 900,\n   "sourceRanges": ["52.1.32.88/32"], "destinationRanges": ["10.128.0.5/32"], "allowed": [{"IPProtocol": "tcp", "ports": ["443"]}]},\n  {"name": "deny-all", "network": "projects/p/global/networks/default", "direction": "INGRESS", "priority": 65534,\n   "sourceRanges": ["0.0.0.0/0"], "denied": [{"IPProtocol": "all"}]}\n]\n',
      3,
      "52.1.37.96/32",
    ],
    [
      "mikrotik",
      "/ip firewall filter\nadd action=accept chain=forward dst-address=52.1.37.96 dst-port=443 protocol=tcp\nadd action=accept chain=forward src-address=52.1.32.88 dst-address=192.168.88.10 dst-port=443 protocol=tcp\nadd action=drop chain=forward\n",
      2,
      "52.1.37.96",
    ],
    [
      "pfsense",
      '<?xml version="1.0"?>\n<pfsense>\n\t<interfaces>\n\t\t<wan><enable></enable><if>igb0</if><ipaddr>198.51.100.2</ipaddr><subnet>29</subnet></wan>\n\t</interfaces>\n\t<filter>\n\t\t<rule>\n\t\t\t<type>pass</type>\n\t\t\t<interface>wan</interface>\n\t\t\t<protocol>tcp</protocol>\n\t\t\t<source><any></any></source>\n\t\t\t<destination><address>52.1.37.96</address><port>443</port></destination>\n\t\t</rule>\n\t\t<rule>\n\t\t\t<type>pass</type>\n\t\t\t<interface>wan</interface>\n\t\t\t<protocol>tcp</protocol>\n\t\t\t<source><address>52.1.32.88</address></source>\n\t\t\t<destination><network>wanip</network><port>443</port></destination>\n\t\t</rule>\n\t</filter>\n</pfsense>\n',
      7,
      "52.1.37.96",
    ],
    [
      "firewalld",
      'firewall-cmd --permanent --zone=public --add-rich-rule=\'rule family="ipv4" destination address="52.1.37.96" port port="443" protocol="tcp" accept\'\nfirewall-cmd --permanent --zone=public --add-rich-rule=\'rule family="ipv4" source address="52.1.32.88" destination address="203.0.113.5" port port="443" protocol="tcp" accept\'\n',
      1,
      "52.1.37.96",
    ],
  ];
  for (const [format, text, line, to] of OTHERS)
    test(`${format}: a rule only to a published NAT IP is never met; a rule to the service's own address counts`, () => {
      assert.deepEqual(verdict(text, format), { covered: ["52.1.32.88/32"], never: [[line, ONE(to)]] });
    });

  test("the trace says the same, and a parse without destinations is returned as it is", () => {
    const text = "*filter\n:INPUT DROP [0:0]\n-A INPUT -d 52.1.37.96 -p tcp --dport 443 -j ACCEPT\nCOMMIT\n";
    const parsed = parseText(text, "iptables");
    const t = trace(parsed, mustParseAddress("52.1.37.96"), { catalog: SEED_CATALOG });
    assert.equal(t.allowed, false);
    assert.deepEqual(
      t.contexts[0]!.steps.map((s) => [s.line, s.matched, s.why]),
      [[3, false, ONE("52.1.37.96").slice("Never met by a new inbound connection: ".length, -1)]],
    );
    // The diff marks the parse it is given the same way (callers that parse and diff themselves).
    assert.equal(diff(SEED_CATALOG, parsed, { regions: ["US"] }).summary.covered, 0);
    const plain = parseText("-A INPUT -s 52.1.37.96 -j ACCEPT\n", "iptables");
    assert.equal(withPublishedDestinations(plain, SEED_CATALOG), plain);
    // An egress rule to a published address is the usual way to let the host call the vendor: left as it is.
    const out = parseText("*filter\n-A OUTPUT -d 52.1.37.96 -p tcp --dport 443 -j ACCEPT\nCOMMIT\n", "iptables");
    assert.equal(withPublishedDestinations(out, SEED_CATALOG), out);
  });
});
