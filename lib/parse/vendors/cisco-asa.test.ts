import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ciscoAsaParser } from "./cisco-asa";
import { MAX_EXPANSION } from "./common";
import { detection, project } from "./network.testkit";
import { parseWith, pathRows, statuses } from "./path.testkit";

const CONFIG_1 = `: Saved
:
ASA Version 9.16(4)
!
hostname fw-edge
names
name 18.208.240.10 FW-US-HOOK description Freshchat webhook
!
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
!
object network FW-US-1
 subnet 18.208.240.0 255.255.255.0
object network FW-RANGE
 range 52.1.1.10 52.1.1.20
object network FW-V6
 subnet 2406:da00:ff00::/64
object network WEB-SERVER
 host 10.1.1.10
object network UNUSED-OBJ
 host 192.0.2.99
object-group network FRESHWORKS
 description Freshworks NAT IPs
 network-object object FW-US-1
 network-object host 3.1.2.3
 network-object 13.232.152.0 255.255.255.128
 group-object FW-EXTRA
object-group network FW-EXTRA
 network-object object FW-RANGE
 network-object object FW-V6
 network-object host FW-US-HOOK
object-group service WEB-PORTS tcp
 port-object eq https
 port-object range 8443 8445
access-list OUTSIDE_IN remark Freshworks webhooks
access-list OUTSIDE_IN extended deny ip host 3.1.2.3 any
access-list OUTSIDE_IN extended permit tcp object-group FRESHWORKS object WEB-SERVER object-group WEB-PORTS
access-list OUTSIDE_IN extended permit tcp 198.51.100.0 255.255.255.0 eq 1024 any eq www log
access-list OUTSIDE_IN extended permit ip any4 host 10.1.1.10 inactive
access-list INSIDE_OUT extended permit ip 10.0.0.0 255.0.0.0 any
access-list UNBOUND extended permit tcp host 192.0.2.1 any range 100 200
access-group OUTSIDE_IN in interface outside
access-group INSIDE_OUT out interface inside
route outside 0.0.0.0 0.0.0.0 203.0.113.1 1
ssh 10.0.0.0 255.0.0.0 inside
foo 1.2.3.4
object network NAT-REAL
 host 10.1.1.20
object-group network NAT-MAPPED
 network-object object NAT-INNER
object network NAT-INNER
 host 203.0.113.20
nat (inside,outside) source static NAT-REAL NAT-MAPPED
object network WEB-SERVER
 nat (inside,outside) static 203.0.113.10
: end
`;

const CONFIG_2 = `ASA Version 9.18(2)
hostname asa-dc
object service HTTPS-SVC
 service tcp destination eq https
object-group service MIXED
 service-object object HTTPS-SVC
 service-object tcp-udp destination range 5000 5001
 service-object tcp source eq 1024 destination eq 8443
object-group protocol TCPUDP
 protocol-object tcp
 protocol-object udp
object-group network LOOP-A
 group-object LOOP-B
object-group network LOOP-B
 network-object 203.0.113.0 255.255.255.0
 group-object LOOP-A
access-list GLOBAL_ACL extended permit object-group MIXED host 18.208.240.10 any
access-list GLOBAL_ACL extended permit object-group TCPUDP any6 any eq 443
access-list GLOBAL_ACL extended permit tcp host 2406:da00:ff00::1 any neq 22
access-list GLOBAL_ACL extended permit tcp object-group LOOP-A any lt 1024
access-list GLOBAL_ACL extended permit tcp object-group NOT-THERE any gt 1023
access-list GLOBAL_ACL extended permit tcp 10.0.0.0 255.0.255.0 any
access-list GLOBAL_ACL extended deny ip any any
access-group GLOBAL_ACL global
access-list ROUTES standard permit 10.0.0.0 255.0.0.0
`;

const CONFIG_3 = `object-group network FRESHWORKS-US
 description Freshworks US NAT IPs
 network-object host 18.208.240.10
 network-object 3.1.2.0 255.255.255.0
 network-object 2406:da00:ff00::/64
 group-object FRESHWORKS-EU
object network WEBHOOK-HOST
 host 52.1.1.1
 fqdn v4 hooks.example.com
`;

describe("cisco-asa parser", () => {
  test("ASA edge: objects, nested groups, name aliases, port groups, in/out/unbound ACLs, inactive entries, object and twice NAT", () => {
    assert.deepEqual(project(ciscoAsaParser.parse(CONFIG_1)), {
      entries: [
        [38, "3.1.2.3", "deny", "in", "", "", "", 0],
        [15, "18.208.240.0/24", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS>FW-US-1", 39],
        [27, "3.1.2.3", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS", 39],
        [28, "13.232.152.0/25", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS", 39],
        [17, "52.1.1.10-52.1.1.20", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS>FW-EXTRA>FW-RANGE", 39],
        [19, "2406:da00:ff00::/64", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS>FW-EXTRA>FW-V6", 39],
        [33, "18.208.240.10", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS>FW-EXTRA", 39],
        [40, "198.51.100.0/24", "allow", "in", "tcp", "80", "", 0],
        [41, "0.0.0.0/0", "allow", "in", "", "", "", 0],
        // INSIDE_OUT is bound "out interface inside": it filters connections leaving toward inside, the service's side.
        [42, "10.0.0.0/8", "allow", "in", "", "", "", 0],
        [43, "192.0.2.1", "allow", "unknown", "tcp", "100-200", "", 0],
      ],
      findings: [
        [22, "unused-object", 'Object "UNUSED-OBJ" is defined but no allow rule uses it.'],
        [48, "not-understood", "This line holds an address but is not understood."],
      ],
      notes: [],
    });
  });

  test("ASA: service and protocol groups, access-group global, any6, neq/lt, loops, undefined names, non-contiguous netmask, standard ACL", () => {
    assert.deepEqual(project(ciscoAsaParser.parse(CONFIG_2)), {
      entries: [
        // "tcp source eq 1024 destination eq 8443" needs source port 1024: not met by an ephemeral port, so not read.
        [17, "18.208.240.10", "allow", "in", "tcp", "443,5000-5001", "", 0],
        [17, "18.208.240.10", "allow", "in", "udp", "5000-5001", "", 0],
        [18, "::/0", "allow", "in", "tcp", "443", "", 0],
        [18, "::/0", "allow", "in", "udp", "443", "", 0],
        [19, "2406:da00:ff00::1", "allow", "in", "tcp", "0-21,23-65535", "", 0],
        [15, "203.0.113.0/24", "allow", "in", "tcp", "0-1023", "LOOP-A>LOOP-B", 20],
        [23, "0.0.0.0/0", "deny", "in", "", "", "", 0],
        [23, "::/0", "deny", "in", "", "", "", 0],
      ],
      findings: [
        [16, "reference-loop", '"LOOP-A" includes itself through LOOP-A → LOOP-B → LOOP-A.'],
        [21, "undefined-reference", '"NOT-THERE" is not defined in this paste.'],
        [
          22,
          "invalid",
          '"10.0.0.0 255.0.255.0": netmask is not contiguous (ones followed only by zeros); it cannot be read as one address block.',
        ],
        [
          25,
          "note",
          '"ROUTES" is a standard ACL: on an ASA it matches route destinations, not traffic, so it is not read.',
        ],
      ],
      notes: [],
    });
  });

  test("ASA objects-only paste is read as the allowlist", () => {
    assert.deepEqual(project(ciscoAsaParser.parse(CONFIG_3)), {
      entries: [
        [3, "18.208.240.10", "allow", "in", "", "", "FRESHWORKS-US", 0],
        [4, "3.1.2.0/24", "allow", "in", "", "", "FRESHWORKS-US", 0],
        [5, "2406:da00:ff00::/64", "allow", "in", "", "", "FRESHWORKS-US", 0],
        [8, "52.1.1.1", "allow", "in", "", "", "WEBHOOK-HOST", 0],
      ],
      findings: [
        [6, "undefined-reference", '"FRESHWORKS-EU" is not defined in this paste.'],
        [9, "hostname", '"hooks.example.com" is a DNS name: it cannot be checked.'],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("each sample is detected as cisco-asa", () => {
    for (const c of [CONFIG_1, CONFIG_2, CONFIG_3]) {
      const d = detection(c, "cisco-asa");
      assert.deepEqual([d.own >= 0.5, d.own > d.plain], [true, true], "cisco-asa does not win detection");
      assert.deepEqual(d.claims, []);
    }
  });
});

// A service object or service-object that names only source ports ("service tcp source eq 443") matches packets whose
// SOURCE port is 443, any destination port: a webhook sender's ephemeral source port does not meet it. ASA 9.16
// "Objects for Access Control", Configure Service Objects (`service tcp [source OP PORT] [destination OP PORT]`):
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-objects.html
describe("cisco-asa: source ports in service objects", () => {
  const SRC = `ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
object service SRC-443
 service tcp source eq https
object-group service MIXED
 service-object tcp source eq 443
 service-object tcp destination eq 443
object service SRC-ANY
 service tcp source range 1 65535 destination eq 443
object-group service SRC-ONLY
 service-object tcp source eq 443
 service-object udp source eq 443
access-list OUTSIDE_IN extended permit object SRC-443 host 52.1.37.96 any
access-list OUTSIDE_IN extended permit object-group MIXED host 52.1.32.88 any
access-list OUTSIDE_IN extended permit object SRC-ANY host 3.74.148.8 any
access-list OUTSIDE_IN extended deny object SRC-443 host 3.74.148.9 any
access-list OUTSIDE_IN extended permit tcp host 3.74.148.9 any eq 443
access-list OUTSIDE_IN extended permit object-group SRC-ONLY host 18.208.240.77 any
access-group OUTSIDE_IN in interface outside
`;
  const parsed = parseWith(ciscoAsaParser, SRC);
  test("an allow whose every service is source-restricted is never met; a deny is read as matching", () => {
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9", "18.208.240.77"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      "3.74.148.9": "missing",
      "18.208.240.77": "missing",
    });
    const unmet = parsed.entries.filter((e) => e.unmet !== undefined).map((e) => [e.line, e.unmet]);
    assert.deepEqual(unmet, [
      [15, "only source port eq https (a client's source port is ephemeral)"],
      [20, "only source port eq 443 (a client's source port is ephemeral)"],
      [20, "only source port eq 443 (a client's source port is ephemeral)"],
    ]);
  });
});

// "access-group NAME in interface IF control-plane" binds a management access rule: it filters traffic to the ASA
// itself (to-the-box), never a connection through it. ASA 9.16 "Access Rules", Management Access Rules:
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-rules.html
describe("cisco-asa: control-plane access groups", () => {
  const CP = `ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
access-list CP extended permit tcp host 52.1.32.88 any eq 443
access-list OUTSIDE_IN extended permit tcp host 52.1.37.96 any eq 443
access-group CP in interface outside control-plane
access-group OUTSIDE_IN in interface outside
`;
  const parsed = parseWith(ciscoAsaParser, CP);
  test("the control-plane ACL is off the path; only the interface ACL decides", () => {
    assert.deepEqual(pathRows(parsed).contexts, [
      ["ACL OUTSIDE_IN in on outside", true, "deny"],
      ["ACL CP", false, "deny"],
    ]);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });
  test("--path input says that traffic to the ASA itself is not modelled, rather than ignoring the option", () => {
    const input = ciscoAsaParser.parse(CP, { path: "input" });
    assert.equal(
      input.path?.assumption,
      "Internet-facing interface: outside (security-level 0); only the ACL bound inbound there and the global ACL decide. Override with --ingress IFACE. --path input is not read for Cisco: traffic to the device itself (its http/ssh management addresses, control-plane ACLs) is not modelled; the path read is traffic through it.",
    );
    assert.equal(parsed.path?.assumption?.includes("--path input"), false);
  });
  test("a control-plane ACL alone filters no traffic through the ASA", () => {
    const only = parseWith(ciscoAsaParser, CP.replace("access-group OUTSIDE_IN in interface outside\n", ""));
    assert.deepEqual(statuses(only, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });
});

// ASA 8.x IPv6 ACLs ("ipv6 access-list NAME permit|deny …", bound with access-group like IPv4 ones) were skipped as
// an irrelevant "ipv6" command. Cisco ASA 8.4 command reference, "ipv6 access-list":
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa84/command/reference/cmdref/i2.html
describe("cisco-asa: pre-9.0 ipv6 access-list", () => {
  test("IPv6 ACEs are read; their any is IPv6 only", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      `ASA Version 8.2(5)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
ipv6 access-list OUT6 remark freshworks
ipv6 access-list OUT6 permit tcp 2406:da00:ff00::/48 any eq 443
ipv6 access-list OUT6 deny ip any any
access-list OUT extended permit tcp host 52.1.37.96 any eq 443
access-group OUT in interface outside
access-group OUT6 in interface outside
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "2406:da00:ff00::1/128", "2600:1f18::1/128"]), {
      "52.1.37.96": "covered",
      "2406:da00:ff00::1/128": "covered",
      "2600:1f18::1/128": "missing",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.token, e.action]),
      [
        [8, "host 52.1.37.96", "allow"],
        [6, "2406:da00:ff00::/48", "allow"],
        [7, "any6", "deny"],
      ],
    );
  });
});

describe("cisco-asa: hostile nesting", () => {
  test("object-groups nested past 64 levels are reported, not followed (a chain of 20,000 overflowed the walk)", () => {
    const chain = (depth: number) =>
      `${Array.from({ length: depth }, (_, i) => `object-group network G${i}\n group-object G${i + 1}`).join("\n")}
object-group network G${depth}
 network-object host 52.1.37.96
access-list OUT extended permit tcp object-group G0 any eq 443
access-group OUT in interface outside
`;
    // 64 groups deep: read, through all of them.
    const deepest = ciscoAsaParser.parse(chain(63));
    assert.deepEqual(
      deepest.entries.map((e) => [e.line, e.token, e.action, e.via?.length, e.ruleLine]),
      [[128, "host 52.1.37.96", "allow", 64, 129]],
    );
    assert.deepEqual(deepest.findings, []);
    // One more: the 65th group is not followed, with a finding on the line that names it.
    const tooDeep = ciscoAsaParser.parse(chain(64)).findings.filter((f) => f.kind !== "unused-object");
    assert.deepEqual(
      tooDeep.map((f) => [f.line, f.kind, f.message]),
      [[128, "not-understood", '"G64" is nested more than 64 groups deep (under "G0"): its members are not read.']],
    );
    // The hostile chain: the reader finishes with that one finding, instead of failing and losing every entry.
    const hostile = ciscoAsaParser.parse(chain(20_000)).findings.filter((f) => f.kind !== "unused-object");
    assert.deepEqual(
      hostile.map((f) => [f.line, f.kind]),
      [[128, "not-understood"]],
    );
  });

  test("object groups expand at most a million members in all (a group holding another twice, 21 levels down)", () => {
    // G20 holds G19 twice, … G0 holds two hosts: 2^21 addresses from 21 lines. It ran the process out of memory.
    const groups = Array.from({ length: 21 }, (_, i) =>
      i === 0
        ? "object-group network G0\n network-object host 52.1.37.96\n network-object host 52.1.37.97"
        : `object-group network G${i}\n group-object G${i - 1}\n group-object G${i - 1}`,
    ).join("\n");
    const out = ciscoAsaParser.parse(
      `${groups}\nobject network ONE\n host 18.208.240.10\naccess-list OUT extended permit tcp object-group G20 any eq 443\naccess-list OUT extended permit tcp object ONE any eq 443\naccess-group OUT in interface outside\n`,
    );
    assert.equal(MAX_EXPANSION, 1_000_000);
    assert.deepEqual(
      out.findings.filter((f) => f.kind !== "unused-object").map((f) => [f.line, f.kind, f.message]),
      [
        [
          66,
          "not-understood",
          '"G20" is not expanded: the object groups of this paste already expanded to 1,000,000 members, the most this reader follows.',
        ],
        // The budget is spent (the walk that ran out is not refunded, or each reference could take as long again):
        // later references are not expanded either, each with its finding.
        [
          67,
          "not-understood",
          '"ONE" is not expanded: the object groups of this paste already expanded to 1,000,000 members, the most this reader follows.',
        ],
      ],
    );
    assert.deepEqual(out.entries, []);
  });
});

// "access-list NAME line N …" inserts the ACE (or remark: remarks take line numbers too) at line N, ahead of the one
// that held it; without a line number it is appended. The ASA tests ACEs in that order, first match wins. The
// "extended" keyword may be left out (the ASA stores the ACE as extended). Cisco ASA "Access Control Lists":
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-acls.html
describe("cisco-asa: access-list line N inserts", () => {
  test("an ACE inserted at line 1 runs before the deny written above it; a line-numbered remark is not an entry", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      `ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
access-list OUTSIDE_IN remark webhooks
access-list OUTSIDE_IN extended permit tcp host 52.1.37.96 any eq https
access-list OUTSIDE_IN extended deny ip any4 any4
access-list OUTSIDE_IN line 1 extended permit tcp host 52.1.32.88 any eq https
access-list OUTSIDE_IN line 1 remark Freshworks US
access-list OUTSIDE_IN line 4 permit tcp host 3.74.148.8 any eq https
access-list OUTSIDE_IN line 99 extended permit tcp host 3.74.148.9 any eq https
ipv6 access-list OUT6 permit tcp 2406:da00:ff00::/48 any eq 443
ipv6 access-list OUT6 deny ip any any
ipv6 access-list OUT6 line 1 remark webhooks
ipv6 access-list OUT6 line 2 permit tcp 2600:1f18::/32 any eq 443
access-group OUTSIDE_IN in interface outside
access-group OUT6 in interface outside
`,
    );
    assert.deepEqual(statuses(parsed, ["2406:da00:ff00::1/128", "2600:1f18::1/128"]), {
      "2406:da00:ff00::1/128": "covered",
      "2600:1f18::1/128": "covered",
    });
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
      "3.74.148.9": "missing",
    });
    assert.deepEqual(
      parsed.entries.map((e) => e.line),
      [8, 10, 6, 7, 11, 15, 12, 13],
    );
    assert.deepEqual(parsed.findings, []);
  });
});

// An outbound ACL filters traffic as it exits an interface, whatever interface it came in on: a connection from the
// Internet to a server behind dmz crosses the inbound ACL of outside and then the outbound ACL of dmz. The service's
// interface is not in the paste, so every outbound ACL on another interface than outside is on the way (the safe side);
// one on outside itself is never met by a connection coming in on outside. An ACL already on the path is not read
// twice. Cisco ASA "Access Rules" (Inbound and Outbound Rules: "Outbound rules apply to traffic as it exits an
// interface"):
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa96/configuration/firewall/asa-96-firewall-config/access-rules.html
describe("cisco-asa: outbound ACLs on the service's side", () => {
  const OUT = `ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
interface GigabitEthernet0/2
 nameif dmz
 security-level 50
object network WEBHOOK-SRV
 host 172.16.1.10
access-list OUTSIDE_IN extended permit tcp host 52.1.37.96 object WEBHOOK-SRV eq https
access-list OUTSIDE_IN extended permit tcp host 52.1.32.88 object WEBHOOK-SRV eq https
access-list DMZ_OUT extended permit tcp host 52.1.37.96 object WEBHOOK-SRV eq https
access-list EGRESS extended deny ip any any
access-group OUTSIDE_IN in interface outside
access-group DMZ_OUT out interface dmz
access-group EGRESS out interface outside
`;
  test("the dmz outbound ACL must let the connection through too; outside's outbound ACL is not met", () => {
    const parsed = parseWith(ciscoAsaParser, OUT);
    assert.deepEqual(pathRows(parsed), {
      contexts: [
        ["ACL OUTSIDE_IN in on outside", true, "deny"],
        ["ACL DMZ_OUT out on dmz", true, "deny"],
        ["ACL EGRESS", false, "deny"],
      ],
      assumption:
        "Internet-facing interface: outside (security-level 0); the ACL bound inbound there and the global ACL, then the ACL bound outbound on dmz (the service may be behind it: it is read as on the way out to it) decide. Override with --ingress IFACE.",
    });
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.direction, e.context]),
      [
        [10, "in", 0],
        [11, "in", 0],
        [12, "in", 1],
        [13, "out", 2],
        [13, "out", 2],
      ],
    );
  });
  test("an outbound ACL on a second uplink (security-level 0) is not the service's side", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      OUT.replace(
        "object network WEBHOOK-SRV",
        "interface GigabitEthernet0/3\n nameif isp2\n security-level 0\nobject network WEBHOOK-SRV",
      ).replace("access-group EGRESS out interface outside", "access-group EGRESS out interface isp2"),
    );
    assert.deepEqual(pathRows(parsed).contexts, [
      ["ACL OUTSIDE_IN in on outside", true, "deny"],
      ["ACL DMZ_OUT out on dmz", true, "deny"],
      ["ACL EGRESS", false, "deny"],
    ]);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });
  test("one ACL bound outbound on two interfaces is read once", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      OUT.replace(
        "object network WEBHOOK-SRV",
        "interface GigabitEthernet0/1\n nameif inside\n security-level 100\nobject network WEBHOOK-SRV",
      ).replace("access-group EGRESS out interface outside", "access-group DMZ_OUT out interface inside"),
    );
    assert.deepEqual(pathRows(parsed).contexts, [
      ["ACL OUTSIDE_IN in on outside", true, "deny"],
      ["ACL DMZ_OUT out on dmz", true, "deny"],
      ["ACL EGRESS", false, "deny"],
    ]);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
  });
  test("the same ACL bound inbound on outside and outbound on dmz is read once", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      OUT.replace("access-group DMZ_OUT out interface dmz", "access-group OUTSIDE_IN out interface dmz"),
    );
    assert.deepEqual(pathRows(parsed).contexts, [
      ["ACL OUTSIDE_IN in on outside", true, "deny"],
      ["ACL DMZ_OUT", false, "deny"],
      ["ACL EGRESS", false, "deny"],
    ]);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
    });
  });
});

// A source port operand matches the client's port: "range 1024 65535" or "gt 1023" takes in every port a client picks
// for a new connection (RFC 6335 section 6), so the ACE is met, as a service object's "source range 1024 65535" already
// was; "eq 1024" is not. Cisco ASA "Access Control Lists" (port_argument for source and destination):
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-acls.html
describe("cisco-asa: source ports that take in every ephemeral port", () => {
  test("range 1024 65535, gt 1023 and a port group of 1024-65535 are met; eq 1024 is not", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      `ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
object-group service HIGH tcp
 port-object range 1024 65535
access-list OUTSIDE_IN extended permit tcp host 52.1.37.96 range 1024 65535 any eq https
access-list OUTSIDE_IN extended permit tcp host 52.1.32.88 gt 1023 any eq https
access-list OUTSIDE_IN extended permit tcp host 18.208.240.77 eq 1024 any eq https
access-list OUTSIDE_IN extended permit tcp host 52.201.75.8 object-group HIGH any eq https
access-group OUTSIDE_IN in interface outside
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "18.208.240.77", "52.201.75.8"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "18.208.240.77": "missing",
      "52.201.75.8": "covered",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.unmet]),
      [
        [7, undefined],
        [8, undefined],
        [9, "only source port eq 1024 (a client's source port is ephemeral)"],
        [10, undefined],
      ],
    );
  });
});

// Object NAT names its mapped address as an inline address or as another network object ("nat (inside,outside)
// static obj-webhook-pub service tcp https https"): that object is in use, not "defined but no allow rule uses it".
// Cisco ASA "Network Object NAT" (nat static mapped_ip | mapped_obj):
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/nat-objects.html
describe("cisco-asa: object NAT's mapped object", () => {
  test("the mapped object is in use", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      `ASA Version 9.14(3)
interface Ethernet1/1
 nameif outside
 security-level 0
object network obj-webhook
 host 10.20.0.50
object network obj-webhook-pub
 host 198.51.100.4
object network obj-spare
 host 198.51.100.5
access-list outside_access_in extended permit tcp host 52.1.37.96 object obj-webhook eq https
object network obj-webhook
 nat (inside,outside) static obj-webhook-pub service tcp https https
access-group outside_access_in in interface outside
`,
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [[9, "unused-object", 'Object "obj-spare" is defined but no allow rule uses it.']],
    );
  });
});

// An interface takes one ACL per direction ("You can configure one access-group command per ACL type per interface"):
// a later access-group for the same interface and direction replaces the earlier one; so does a second global ACL.
// ASA 8.x binds an "ipv6 access-list" beside the IPv4 one. Cisco ASA "Access Rules" (Configure an Access Group):
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa96/configuration/firewall/asa-96-firewall-config/access-rules.html
describe("cisco-asa: a later access-group replaces the earlier one", () => {
  test("only the last ACL bound inbound on outside decides", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      `ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
access-list OLD_IN extended permit tcp host 52.1.32.88 any eq https
access-list NEW_IN extended permit tcp host 52.1.37.96 any eq https
access-list G1 extended permit tcp host 3.74.148.8 any eq https
access-list G2 extended permit tcp host 3.74.148.9 any eq https
access-group OLD_IN in interface outside
access-group NEW_IN in interface outside
access-group G1 global
access-group G2 global
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "3.74.148.8": "missing",
      "3.74.148.9": "covered",
    });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          9,
          "note",
          "Replaced by line 10 (ACL NEW_IN): outside takes one ACL inbound, so ACL OLD_IN is not bound here.",
        ],
        [11, "note", "Replaced by line 12 (ACL G2): there is one global ACL, so ACL G1 is not bound here."],
      ],
    );
  });
});

// A paste of commands applies them in order: "no access-list NAME <the ACE as written>" deletes that ACE, "no
// access-list NAME" and "clear configure access-list NAME" the whole ACL, "no access-group …" the binding. The "no"
// lines were skipped, so deleted allows still counted. Cisco ASA "Access Control Lists" (Guidelines):
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-acls.html
describe("cisco-asa: no access-list and no access-group", () => {
  test("a deleted ACE no longer allows; a deleted binding no longer filters; an unknown ACE is a note", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      `ASA Version 9.16(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
interface GigabitEthernet0/2
 nameif dmz
 security-level 50
access-list OUTSIDE_IN extended permit tcp host 52.1.37.96 any eq https
access-list OUTSIDE_IN extended permit tcp host 52.1.32.88 any eq https
access-list DMZ_OUT extended deny ip any any
access-list OLD extended permit ip any any
access-group OUTSIDE_IN in interface outside
access-group DMZ_OUT out interface dmz
no access-list OUTSIDE_IN line 2 extended permit tcp host 52.1.32.88 any eq https
no access-list OUTSIDE_IN extended permit tcp host 3.74.148.8 any eq https
no access-group DMZ_OUT out interface dmz
clear configure access-list OLD
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
    assert.deepEqual(pathRows(parsed).contexts, [
      ["ACL OUTSIDE_IN in on outside", true, "deny"],
      ["ACL DMZ_OUT", false, "deny"],
    ]);
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [[15, "note", "ACL OUTSIDE_IN has no entry written this way: nothing is removed."]],
    );
  });

  // Deletions are looked up by text and swept later (they were a search of the whole ACL each, quadratic); the
  // order they see must stay the list's: of two entries written alike, the first in the list goes, and "line N"
  // counts only the entries left.
  test("of two entries written alike the first in the list goes; line N counts the entries left", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      `interface GigabitEthernet0/0
 nameif outside
 security-level 0
access-list IN extended permit tcp host 52.1.32.88 any eq https
access-list IN extended deny tcp host 52.1.32.88 any eq https
access-list IN extended deny tcp host 52.1.37.96 any eq https
access-list IN extended permit tcp host 52.1.37.96 any eq https
no access-list IN extended permit tcp host 52.1.37.96 any eq https
no access-list IN extended permit tcp host 52.1.32.88 any eq https
access-list IN line 2 extended permit tcp host 52.1.32.88 any eq https
access-list IN extended permit tcp host 52.1.37.96 any eq https
access-list IN line 1 extended permit tcp host 52.1.37.96 any eq https
no access-list IN extended permit tcp host 52.1.37.96 any eq https
access-list IN extended permit tcp host 52.1.37.96 any eq https
access-list IN line 3 extended permit tcp host 52.1.37.96 any eq https
no access-list IN extended permit tcp host 52.1.37.96 any eq https
access-group IN in interface outside
`,
    );
    // Left: deny .88 (5), permit .88 (10, line 2: after the one entry before it), deny .96 (6), permit .96 (11 and
    // 14). Line 12 put its permit first in the list, so line 13 deleted it; line 15 put its permit third, ahead of
    // those of lines 11 and 14, so line 16 deleted it.
    assert.deepEqual(statuses(parsed, ["52.1.32.88", "52.1.37.96"]), {
      "52.1.32.88": "missing",
      "52.1.37.96": "missing",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.action]),
      [
        [5, "deny"],
        [10, "allow"],
        [6, "deny"],
        [11, "allow"],
        [14, "allow"],
      ],
    );
    assert.deepEqual(parsed.findings, []);
  });
});

// A group an allow rule uses also uses its members, those that give no address included (an FQDN object): it was
// reported "defined but no allow rule uses it" beside the finding that its name cannot be checked.
// ASA "Objects for Access Control" (network object fqdn, network-object object in an object-group):
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/access-objects.html
test("cisco-asa: an FQDN object in a used group is used", () => {
  const parsed = parseWith(
    ciscoAsaParser,
    `interface GigabitEthernet0/0
 nameif outside
 security-level 0
object network FQDN1
 fqdn hooks.freshworks.com
object network SPARE
 host 192.0.2.50
object-group network FW
 network-object object FQDN1
 network-object host 52.1.37.96
access-list OUTSIDE_IN extended permit tcp object-group FW any eq 443
access-group OUTSIDE_IN in interface outside
`,
  );
  assert.deepEqual(statuses(parsed, ["52.1.37.96"]), { "52.1.37.96": "covered" });
  assert.deepEqual(
    parsed.findings.map((f) => [f.line, f.kind, f.message]),
    [
      [5, "hostname", '"hooks.freshworks.com" is a DNS name: it cannot be checked.'],
      [6, "unused-object", 'Object "SPARE" is defined but no allow rule uses it.'],
    ],
  );
});

// ASA 8.3 and later: access rules name the real address of a host behind NAT, not its mapped one ("IP Addresses Used
// for Access Lists When You Use NAT", https://www.cisco.com/c/en/us/td/docs/security/asa/asa916/configuration/firewall/asa-916-firewall-config/nat-basics.html).
// An ACE to the mapped (public) address never matches: it was read as letting the sender in.
describe("cisco-asa: an ACE to a static NAT's mapped address", () => {
  const config = (real: string, mapped: string, aces: string) => `ASA Version 9.12(4)
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.2 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
object network WEB-REAL
 ${real}
 nat (inside,outside) static ${mapped}
${aces}access-group OUTSIDE_IN in interface outside
`;
  test("never met when it names the mapped address; met when it names the real one", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      config(
        "host 10.0.0.10",
        "203.0.113.10",
        `access-list OUTSIDE_IN extended permit tcp host 52.1.37.96 host 203.0.113.10 eq https
access-list OUTSIDE_IN extended permit tcp host 52.1.32.88 object WEB-REAL eq https
access-list OUTSIDE_IN extended deny tcp host 52.201.75.8 host 203.0.113.10 eq https
access-list OUTSIDE_IN extended permit tcp host 52.201.75.8 any eq https
`,
      ),
    );
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.action, e.token, e.unmet ?? ""]),
      [
        [
          12,
          "allow",
          "host 52.1.37.96",
          "only traffic to host 203.0.113.10, the mapped address of the static NAT of object WEB-REAL (line 11): since ASA 8.3 access rules match the real address (10.0.0.10)",
        ],
        [13, "allow", "host 52.1.32.88", ""],
        [
          14,
          "deny",
          "host 52.201.75.8",
          "only traffic to host 203.0.113.10, the mapped address of the static NAT of object WEB-REAL (line 11): since ASA 8.3 access rules match the real address (10.0.0.10)",
        ],
        [15, "allow", "host 52.201.75.8", ""],
      ],
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "52.201.75.8"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
      "52.201.75.8": "covered",
    });
  });
  test("a subnet's static NAT maps a block of its size; an address outside it is not concerned", () => {
    const parsed = parseWith(
      ciscoAsaParser,
      config(
        "subnet 10.0.0.0 255.255.255.0",
        "203.0.113.0",
        `access-list OUTSIDE_IN extended permit tcp host 52.1.37.96 host 203.0.113.77 eq https
access-list OUTSIDE_IN extended permit tcp host 52.1.32.88 host 198.51.100.7 eq https
`,
      ),
    );
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.unmet ?? ""]),
      [
        [
          12,
          "only traffic to host 203.0.113.77, the mapped address of the static NAT of object WEB-REAL (line 11): since ASA 8.3 access rules match the real address (10.0.0.0/24)",
        ],
        [13, ""],
      ],
    );
  });
});
