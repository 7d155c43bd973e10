import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { detectFormat } from "../registry";
import { ciscoIosParser } from "./cisco-ios";
import { detection, project } from "./network.testkit";
import { parseWith, statuses, traceRows } from "./path.testkit";
import type { EntryRow } from "./network.testkit";

const CONFIG_1 = `Building configuration...

Current configuration : 2345 bytes
!
version 17.3
hostname edge-rtr
!
banner motd ^C
Authorized access only 10.0.0.1
^C
object-group network FRESHWORKS
 description Freshworks NAT
 host 18.208.240.10
 13.232.152.0 255.255.255.0
 range 52.1.1.10 52.1.1.20
 group-object MISSING
object-group network SPARE
 host 192.0.2.50
object-group service WEB
 tcp eq 443
 tcp range 8443 8445
!
interface GigabitEthernet0/0
 description WAN
 ip address 203.0.113.2 255.255.255.0
 ip access-group FRESHWORKS-IN in
 ipv6 traffic-filter V6-IN in
!
ip access-list extended FRESHWORKS-IN
 10 remark Freshworks
 10 deny   ip host 18.208.240.10 any
 20 permit object-group WEB object-group FRESHWORKS any
 30 permit tcp 3.0.0.0 0.0.0.255 any eq www 443 log
 40 permit tcp any any established
 50 permit ip 10.0.0.0 0.255.0.255 any
 60 permit tcp host 10.0.0.300 any
!
ipv6 access-list V6-IN
 sequence 10 permit tcp 2406:da00:ff00::/48 any eq 443
 permit ipv6 host 2001:db8::1 any
!
access-list 10 permit 192.0.2.1
access-list 10 permit 198.51.100.0 0.0.0.255
access-list 101 permit tcp any gt 1023 host 203.0.113.2 eq 22
line vty 0 4
 access-class 10 in
!
ip route 0.0.0.0 0.0.0.0 203.0.113.1
end
`;

const CONFIG_2 = `! Freshworks allowlist for the branch router
access-list 110 remark Freshworks webhooks
access-list 110 permit tcp 18.208.240.0 0.0.0.255 host 192.0.2.10 eq 443 8443
access-list 110 permit 6 host 3.1.2.3 any range 8000 8080
access-list 110 deny   ip 13.232.152.0 0.0.0.127 any log
access-list 110 permit udp any any eq domain
access-list 110 permit tcp 13.232.152.0 0.0.0.255 any eq 443
access-list 99 permit host 52.1.1.1
access-list 99 deny   any
ip access-list standard MGMT
 10 permit 198.51.100.0 0.0.0.255
 20 deny any log
 30 permit 10.0.0.1 0.0.0.0 extra-words
access-list 300 permit 0000.0c00.0000 ffff.ff00.0000
`;

const CONFIG_3 = `object-group network FRESHWORKS
 description Freshworks NAT (US)
 host 18.208.240.10
 3.1.2.0 255.255.255.0
 range 52.1.1.10 52.1.1.20
 2406:da00:ff00::/64
 group-object FRESHWORKS-IN
object-group network FRESHWORKS-IN
 13.232.152.0 255.255.255.128
`;

describe("cisco-ios parser", () => {
  test("IOS-XE router: object groups, named and IPv6 ACLs on interfaces, vty access-class, established, bad wildcard and address, banner", () => {
    assert.deepEqual(project(ciscoIosParser.parse(CONFIG_1)), {
      entries: [
        [31, "18.208.240.10", "deny", "in", "", "", "", 0],
        [13, "18.208.240.10", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS", 32],
        [14, "13.232.152.0/24", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS", 32],
        [15, "52.1.1.10-52.1.1.20", "allow", "in", "tcp", "443,8443-8445", "FRESHWORKS", 32],
        [33, "3.0.0.0/24", "allow", "in", "tcp", "80,443", "", 0],
        [34, "0.0.0.0/0", "allow", "in", "tcp", "", "", 0],
        // 0.255.0.255 is not contiguous: it matches 10.X.0.Y for every X and Y, exactly 256 blocks of /24.
        ...Array.from({ length: 256 }, (_, x): EntryRow => [35, `10.${x}.0.0/24`, "allow", "in", "", "", "", 0]),
        [39, "2406:da00:ff00::/48", "allow", "in", "tcp", "443", "", 0],
        [40, "2001:db8::1", "allow", "in", "", "", "", 0],
        [42, "192.0.2.1", "allow", "in", "", "", "", 0],
        [43, "198.51.100.0/24", "allow", "in", "", "", "", 0],
        [44, "0.0.0.0/0", "allow", "unknown", "tcp", "22", "", 0],
      ],
      findings: [
        [16, "undefined-reference", '"MISSING" is not defined in this paste.'],
        [17, "unused-object", 'Object group "SPARE" is defined but no allow rule uses it.'],
        [36, "invalid", '"10.0.0.300" is not a valid address.'],
      ],
      notes: [],
    });
  });

  test("IOS numbered and standard ACLs applied nowhere: direction unknown", () => {
    assert.deepEqual(project(ciscoIosParser.parse(CONFIG_2)), {
      entries: [
        [3, "18.208.240.0/24", "allow", "unknown", "tcp", "443,8443", "", 0],
        [4, "3.1.2.3", "allow", "unknown", "tcp", "8000-8080", "", 0],
        [5, "13.232.152.0/25", "deny", "unknown", "", "", "", 0],
        [6, "0.0.0.0/0", "allow", "unknown", "udp", "53", "", 0],
        [7, "13.232.152.0/24", "allow", "unknown", "tcp", "443", "", 0],
        [8, "52.1.1.1", "allow", "unknown", "", "", "", 0],
        [9, "0.0.0.0/0", "deny", "unknown", "", "", "", 0],
        [11, "198.51.100.0/24", "allow", "unknown", "", "", "", 0],
        [12, "0.0.0.0/0", "deny", "unknown", "", "", "", 0],
      ],
      findings: [
        [13, "not-understood", 'Unexpected words after the address: "extra-words".'],
        [14, "not-understood", "ACL number 300 is not an IPv4 standard or extended ACL."],
      ],
      notes: [],
    });
  });

  test("IOS objects-only paste is read as the allowlist", () => {
    assert.deepEqual(project(ciscoIosParser.parse(CONFIG_3)), {
      entries: [
        [3, "18.208.240.10", "allow", "in", "", "", "FRESHWORKS", 0],
        [4, "3.1.2.0/24", "allow", "in", "", "", "FRESHWORKS", 0],
        [5, "52.1.1.10-52.1.1.20", "allow", "in", "", "", "FRESHWORKS", 0],
        [6, "2406:da00:ff00::/64", "allow", "in", "", "", "FRESHWORKS", 0],
        [9, "13.232.152.0/25", "allow", "in", "", "", "FRESHWORKS-IN", 0],
      ],
      findings: [],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("each sample is detected as cisco-ios", () => {
    for (const c of [CONFIG_1, CONFIG_2, CONFIG_3]) {
      const d = detection(c, "cisco-ios");
      assert.deepEqual([d.own >= 0.5, d.own > d.plain], [true, true], "cisco-ios does not win detection");
      assert.deepEqual(d.claims, []);
    }
  });
});

// An IOS service object-group member "tcp source eq 443" matches source port 443 (any destination port): a webhook
// sender's ephemeral source port does not meet it. Cisco IOS XE "Object Groups for ACLs" (service object group:
// `tcp [source {eq|gt|lt|neq|range} PORT] [{eq|…} PORT]`):
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-object-group-acl.html
describe("cisco-ios: source ports in service object-groups", () => {
  const SRC = `hostname rtr1
object-group service SRC443
 tcp source eq 443
object-group service MIXED
 tcp source eq 443
 tcp eq 443
interface GigabitEthernet0/0
 ip access-group OUTSIDE-IN in
 ip nat outside
ip access-list extended OUTSIDE-IN
 10 permit object-group SRC443 host 52.1.37.96 any
 20 permit object-group MIXED host 52.1.32.88 any
`;
  test("an allow through a source-only service group is never met; a mixed group keeps its destination-port member", () => {
    const parsed = parseWith(ciscoIosParser, SRC);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.ports, e.unmet]),
      [
        [11, undefined, "only source port eq 443 (a client's source port is ephemeral)"],
        [12, [{ from: 443, to: 443 }], undefined],
      ],
    );
  });
});

// Zone-based policy firewall: between zones only what a zone-pair's inspect policy inspects or passes gets through
// (class-default drops). The reader does not evaluate those policies; it must say so rather than stay silent.
// Cisco IOS XE "Zone-Based Policy Firewall":
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_zbf/configuration/xe-16/sec-data-zbf-xe-16-book/sec-zone-pol-fw.html
describe("cisco-ios: zone-based firewall interfaces are reported", () => {
  test("each zone-member line gets a finding", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `hostname r3
zone security outside
interface GigabitEthernet0/0
 ip nat outside
 zone-member security outside
ip access-list extended EDGE
 permit tcp any any eq 443
`,
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind]),
      [[5, "not-understood"]],
    );
  });

  // Same guide: "If a policy is not configured between a pair of zones, traffic is dropped by default." With the
  // Internet-facing interface in OUTSIDE and only INSIDE → OUTSIDE paired, the ACL's permits reach nothing: we said
  // both sources were allowed.
  test("no zone-pair from the Internet-facing interface's zone: every connection through is dropped", () => {
    const config = (pairs: string) => `hostname isr-edge2
zone security INSIDE
zone security OUTSIDE
${pairs}interface GigabitEthernet0/0/0
 description Internet uplink
 ip address 198.51.100.2 255.255.255.252
 ip access-group WAN-IN in
 zone-member security OUTSIDE
interface GigabitEthernet0/0/1
 ip address 10.0.0.1 255.255.255.0
 zone-member security INSIDE
ip access-list extended WAN-IN
 permit tcp host 52.1.37.96 host 10.0.0.10 eq 443
 deny ip any any
`;
    const dropped = parseWith(
      ciscoIosParser,
      config(
        "zone-pair security IN-TO-OUT source INSIDE destination OUTSIDE\nzone-pair security OUT-SELF source OUTSIDE destination self\n",
      ),
    );
    assert.deepEqual(statuses(dropped, ["52.1.37.96"]), { "52.1.37.96": "missing" });
    assert.equal(
      traceRows(dropped, "52.1.37.96").summary,
      "52.1.37.96 → TCP 443: blocked — no rule of zone OUTSIDE (zone-based firewall) (line 10) matches, and its default is deny.",
    );
    assert.equal(
      dropped.path?.contexts.at(-1)?.reason,
      "GigabitEthernet0/0/0 is in zone OUTSIDE, and no zone-pair has OUTSIDE as its source (the zone-pairs: INSIDE → OUTSIDE, OUTSIDE → self): IOS drops traffic between zones no zone-pair joins.",
    );
    assert.deepEqual(dropped.findings, []);
    // A zone-pair from OUTSIDE: its inspect policy decides, which is not read; the member lines say so.
    const paired = parseWith(
      ciscoIosParser,
      config("zone-pair security OUT-IN source OUTSIDE destination INSIDE\n service-policy type inspect OUT-IN-PM\n"),
    );
    assert.deepEqual(statuses(paired, ["52.1.37.96"]), { "52.1.37.96": "covered" });
    assert.deepEqual(
      paired.findings.map((f) => [f.line, f.kind]),
      [
        [10, "not-understood"],
        [13, "not-understood"],
      ],
    );
  });
});

// TCP flag options: "ack" (like fin, psh, rst, urg) matches only segments with that flag set, never the SYN that opens
// a connection; "match-all +syn -ack" matches it, "match-any +ack +rst" does not. Cisco IOS XE "ACL TCP Flags
// Filtering": https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-tcp-flags.html
describe("cisco-ios: TCP flag options", () => {
  test("only ACEs a SYN can match count", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip access-group IN in
 ip nat outside
ip access-list extended IN
 10 permit tcp host 52.1.37.96 any eq 443 ack
 20 permit tcp host 52.1.32.88 any eq 443 match-all +syn -ack
 30 permit tcp host 3.74.148.8 any eq 443 match-any +ack +rst
 40 permit tcp host 3.74.148.9 any eq 443 syn
 50 deny tcp host 3.74.148.10 any eq 443 rst
 60 permit tcp host 3.74.148.10 any eq 443
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9", "3.74.148.10"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
      "3.74.148.8": "missing",
      "3.74.148.9": "covered",
      "3.74.148.10": "covered",
    });
  });
});

// IOS evaluates a named ACL by sequence number, not by the order its lines were typed: "15 permit …" entered after
// "20 deny …" comes before it; an entry without a number gets the highest so far plus 10; a number already taken is
// refused ("% Duplicate sequence number"). Cisco IOS XE "IP Access List Entry Sequence Numbering":
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
describe("cisco-ios: sequence numbers order the entries", () => {
  const SEQ = `interface GigabitEthernet0/0/0
 description Uplink to ISP
 ip access-group WAN-IN in
ip access-list extended WAN-IN
 10 remark Freshworks webhooks
 10 permit tcp host 52.1.37.96 any eq 443
 20 deny ip any any log
 15 permit tcp host 52.1.32.88 any eq 443
 permit tcp host 3.74.148.8 any eq 443
 20 permit tcp host 3.74.148.9 any eq 443
 5 deny tcp host 3.74.148.10 any
 permit tcp host 3.74.148.10 any eq 443
`;
  test("an entry numbered lower runs first; an unnumbered one goes last; a duplicate number is refused", () => {
    const parsed = parseWith(ciscoIosParser, SEQ);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9", "3.74.148.10"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "missing",
      "3.74.148.9": "missing",
      "3.74.148.10": "missing",
    });
    assert.deepEqual(
      parsed.entries.map((e) => e.line),
      [11, 6, 8, 7, 9, 12],
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          10,
          "invalid",
          'Sequence number 20 is already used in ACL WAN-IN: IOS refuses this entry ("% Duplicate sequence number").',
        ],
      ],
    );
  });
});

// A reflexive ACL's "evaluate NAME" entry matches only the return traffic of sessions the "reflect" entry saw leave:
// never a new inbound connection. Cisco IOS "Configuring IP Session Filtering (Reflexive Access Lists)":
// https://www.cisco.com/c/en/us/td/docs/ios/12_2/security/configuration/guide/fsecur_c/scfreflx.html
describe("cisco-ios: reflexive ACLs", () => {
  test("evaluate is a valid line that no new connection matches", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip nat outside
 ip access-group IN in
 ip access-group OUT out
ip access-list extended OUT
 permit tcp any any reflect TCPTRAFFIC
ip access-list extended IN
 permit tcp host 52.1.37.96 any eq 443
 evaluate TCPTRAFFIC
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
    });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          9,
          "note",
          '"evaluate TCPTRAFFIC" matches only return traffic of sessions the reflexive ACL saw leave: never a new inbound connection.',
        ],
      ],
    );
  });
});

// "ip access-group NAME out" on the LAN interface filters packets routed out of it: a connection from the Internet to
// a server on that LAN meets it after the WAN interface's inbound ACL. The service's interface is not in the paste, so
// every outbound ACL on another interface than the Internet-facing one is on the way (the safe side). Cisco IOS
// "ip access-group" (out: "after receiving and routing a packet to a controlled interface, the software checks …"):
// https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/ip_access-group.htm
describe("cisco-ios: outbound ACLs on the service's side", () => {
  test("a standard ACL in on the WAN, then the LAN's outbound ACL", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `hostname r1
interface GigabitEthernet0/0
 ip address 198.51.100.2 255.255.255.0
 ip nat outside
 ip access-group 15 in
 ip access-group EGRESS out
interface GigabitEthernet0/1
 ip address 10.0.0.1 255.255.255.0
 ip nat inside
 ip access-group LAN-OUT out
access-list 15 permit 52.1.37.96
access-list 15 permit 52.1.32.0 0.0.0.255 log
ip access-list extended LAN-OUT
 permit tcp host 52.1.37.96 any eq 443
ip access-list extended EGRESS
 deny ip any any
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "3.74.148.8": "missing",
    });
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.name, c.onPath, c.line]),
      [
        ["ACL 15 in on GigabitEthernet0/0", true, 5],
        ["GigabitEthernet0/0 (no inbound IPv6 ACL)", true, 2],
        ["ACL LAN-OUT out on GigabitEthernet0/1", true, 10],
        ["ACL EGRESS", false, 15],
      ],
    );
  });
});

// A source port operand matches the client's port: "range 1024 65535" or "gt 1023" takes in every port a client picks
// for a new connection (RFC 6335 section 6), so the ACE is met; "eq 1024" is not. Cisco IOS XE "IP Access List
// Overview" (source and destination port operators):
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-access-list-ov.html
describe("cisco-ios: source ports that take in every ephemeral port", () => {
  test("range 1024 65535 and gt 1023 are met; eq 1024 is not", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip nat outside
 ip access-group IN in
ip access-list extended IN
 permit tcp host 52.1.37.96 range 1024 65535 any eq 443
 permit tcp host 52.1.32.88 gt 1023 any eq 443
 permit tcp host 18.208.240.77 eq 1024 any eq 443
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "18.208.240.77"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "18.208.240.77": "missing",
    });
  });
});

// "dscp", "precedence", "tos", "ttl" and "option" match IP header fields the sender and the networks on the way set:
// the paste cannot tell them for a webhook's SYN. An allow under one is not counted; a deny under one is read as
// matching (the safe side, as for a time-range). Cisco IOS XE "IP Access List Overview":
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-access-list-ov.html
describe("cisco-ios: IP header matches", () => {
  test("an allow only for dscp ef or ttl gt 10 is not counted; a deny only for precedence 5 is read as matching", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip nat outside
 ip access-group IN in
ip access-list extended IN
 permit tcp host 52.1.37.96 any eq 443 dscp ef
 permit tcp host 52.1.32.88 any eq 443 ttl gt 10
 deny tcp host 18.208.240.77 any eq 443 precedence 5
 permit tcp host 18.208.240.77 any eq 443
 permit tcp host 34.231.139.135 any eq 443 log
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "18.208.240.77", "34.231.139.135"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "missing",
      "18.208.240.77": "missing",
      "34.231.139.135": "covered",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.unmet]),
      [
        [5, "only packets with dscp ef (the paste cannot tell the sender's)"],
        [6, "only packets with ttl gt 10 (the paste cannot tell the sender's)"],
        [7, undefined],
        [8, undefined],
        [9, undefined],
      ],
    );
  });
});

// "ip access-group" filters IPv4 and "ipv6 traffic-filter" IPv6: an interface with only an IPv4 ACL forwards IPv6
// unfiltered, and one with only an IPv6 ACL forwards IPv4. Cisco IOS XE "IPv6 Access Control Lists":
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/ip6-acl-extend.html
describe("cisco-ios: an ACL filters its own address family", () => {
  const V4 = `interface GigabitEthernet0/0
 description WAN
 ip nat outside
 ip access-group IN in
ip access-list extended IN
 permit tcp host 52.1.37.96 any eq 443
`;
  test("only an IPv4 ACL inbound: IPv6 passes unfiltered, IPv4 meets the ACL", () => {
    const parsed = parseWith(ciscoIosParser, V4);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "2406:da00:ff00::1/128"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "2406:da00:ff00::1/128": "covered",
    });
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.name, c.onPath, c.fallthrough, c.family]),
      [
        ["ACL IN in on GigabitEthernet0/0", true, "deny", 4],
        ["GigabitEthernet0/0 (no inbound IPv6 ACL)", true, "allow", 6],
      ],
    );
  });
  test("only an IPv6 ACL inbound: IPv4 passes unfiltered", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 description WAN
 ipv6 traffic-filter IN6 in
ipv6 access-list IN6
 permit tcp 2406:da00:ff00::/48 any eq 443
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "2406:da00:ff00::1/128", "2600:1f18::1/128"]), {
      "52.1.37.96": "covered",
      "2406:da00:ff00::1/128": "covered",
      "2600:1f18::1/128": "missing",
    });
  });
  test("both families bound: one context, each ACL for its family", () => {
    const parsed = parseWith(
      ciscoIosParser,
      V4.replace(" ip access-group IN in", " ip access-group IN in\n ipv6 traffic-filter IN6 in") +
        "ipv6 access-list IN6\n permit tcp 2406:da00:ff00::/48 any eq 443\n",
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "2406:da00:ff00::1/128", "2600:1f18::1/128"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "2406:da00:ff00::1/128": "covered",
      "2600:1f18::1/128": "missing",
    });
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.name, c.family]),
      [["ACL IN in on GigabitEthernet0/0, then ACL IN6 in on GigabitEthernet0/0", undefined]],
    );
  });
});

// Lock-and-key: "dynamic NAME [timeout N] permit …" is a template that lets a source in only after a user
// authenticates from it (telnet to the router, access-enable): a webhook sender never does. A valid line, not
// counted, and not "not understood". Cisco IOS "Configuring Lock-and-Key Security (Dynamic Access Lists)":
// https://www.cisco.com/c/en/us/td/docs/ios/12_2/security/configuration/guide/fsecur_c/scfdynam.html
describe("cisco-ios: dynamic (lock-and-key) entries", () => {
  test("a dynamic entry is a note and is not counted", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip nat outside
 ip access-group 101 in
access-list 101 permit tcp any host 203.0.113.2 eq telnet
access-list 101 dynamic TESTLIST timeout 10 permit tcp host 52.1.37.96 any eq 443
ip access-list extended IN2
 10 dynamic LIST2 permit tcp host 52.1.32.88 any eq 443
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "missing",
    });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind]),
      [
        [5, "note"],
        [7, "note"],
      ],
    );
  });
});

// One access list per interface, per direction, per protocol: a later "ip access-group X in" on the same interface
// replaces the earlier one; "ipv6 traffic-filter" binds the IPv6 ACL beside it. Cisco IOS "ip access-group":
// https://www.cisco.com/E-Learning/bulk/public/tac/cim/cib/using_cisco_ios_software/cmdrefs/ip_access-group.htm
describe("cisco-ios: a later ip access-group replaces the earlier one", () => {
  test("only the last IPv4 ACL inbound decides; the IPv6 one stays", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip nat outside
 ip access-group OLD in
 ipv6 traffic-filter V6 in
 ip access-group NEW in
ip access-list extended OLD
 permit tcp host 52.1.32.88 any eq 443
ip access-list extended NEW
 permit tcp host 52.1.37.96 any eq 443
ipv6 access-list V6
 permit tcp 2406:da00:ff00::/48 any eq 443
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "2406:da00:ff00::1/128"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "2406:da00:ff00::1/128": "covered",
    });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          3,
          "note",
          "Replaced by line 5 (ACL NEW): GigabitEthernet0/0 takes one ACL inbound, so ACL OLD is not bound here.",
        ],
      ],
    );
  });
});

// A paste of commands applies them in order: "no 20" in an ACL block deletes entry 20 (numbered when written or when
// added), "no permit …" the entry with those words, "no ip access-group X in" the binding, "no access-list N" the whole
// numbered ACL. The "no" lines were skipped (or "not understood inside the block"), so deleted allows still counted.
// Cisco IOS XE "IP Access List Entry Sequence Numbering":
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
describe("cisco-ios: no commands in a paste", () => {
  test("deleted entries, bindings and ACLs no longer count", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip nat outside
 ip access-group WAN-IN in
interface GigabitEthernet0/1
 ip access-group LAN-OUT out
 no ip access-group LAN-OUT out
ip access-list extended WAN-IN
 permit tcp host 52.1.37.96 any eq 443
 permit tcp host 52.1.32.88 any eq 443
 30 permit tcp host 3.74.148.8 any eq 443
 permit tcp host 3.74.148.9 any eq 443
 no 20
 no permit tcp host 3.74.148.9 any eq 443
 no 99
ip access-list extended LAN-OUT
 deny ip any any
access-list 110 permit tcp host 52.1.37.96 any eq 443
no access-list 110 permit tcp host 52.1.37.96 any eq 443
`,
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "3.74.148.8": "covered",
      "3.74.148.9": "missing",
    });
    assert.deepEqual(
      parsed.path?.contexts.map((c) => [c.name, c.onPath]),
      [
        ["ACL WAN-IN in on GigabitEthernet0/0", true],
        ["GigabitEthernet0/0 (no inbound IPv6 ACL)", true],
        ["ACL LAN-OUT", false],
      ],
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [[14, "note", "ACL WAN-IN has no such entry: nothing is removed."]],
    );
  });
});

// IOS numbers an entry when it is added (the number written, or the highest number in the list then plus 10), and a
// deletion renumbers nothing. The numbers were recomputed from what was left at each "no", so "no 30" after "no 20"
// missed the entry added as 30; an entry refused as a duplicate took the place of the one "no 20" deleted; and an
// entry added after the highest was deleted was placed as if that number still stood.
// Cisco IOS XE "IP Access List Entry Sequence Numbering":
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
describe("cisco-ios: sequence numbers are given when an entry is added", () => {
  test("deletions do not renumber, refused duplicates never exist, the next number follows the highest left", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip nat outside
 ip access-group WAN-IN in
ip access-list extended WAN-IN
 permit tcp host 52.1.37.96 any eq 443
 permit tcp host 52.1.32.88 any eq 443
 permit tcp host 3.74.148.8 any eq 443
 no 20
 no 30
 40 permit tcp host 3.74.148.9 any eq 443
 40 permit tcp host 3.74.148.10 any eq 443
 no 40
 permit tcp host 3.74.148.11 any eq 443
 no 20
 permit tcp host 3.74.148.12 any eq 443
 15 deny tcp host 3.74.148.12 any
`,
    );
    // 52.1.37.96 is 10; 52.1.32.88 (20) and 3.74.148.8 (30) are deleted; .9 (40) is deleted and .10 was refused;
    // .11 gets 10 + 10 = 20 and is deleted again; .12 gets 20 too, so the deny numbered 15 comes first.
    assert.deepEqual(
      statuses(parsed, [
        "52.1.37.96",
        "52.1.32.88",
        "3.74.148.8",
        "3.74.148.9",
        "3.74.148.10",
        "3.74.148.11",
        "3.74.148.12",
      ]),
      {
        "52.1.37.96": "covered",
        "52.1.32.88": "missing",
        "3.74.148.8": "missing",
        "3.74.148.9": "missing",
        "3.74.148.10": "missing",
        "3.74.148.11": "missing",
        "3.74.148.12": "missing",
      },
    );
    assert.equal(
      traceRows(parsed, "3.74.148.12").summary,
      "3.74.148.12 → TCP 443: blocked by line 16 in ACL WAN-IN in on GigabitEthernet0/0.",
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          11,
          "invalid",
          'Sequence number 40 is already used in ACL WAN-IN: IOS refuses this entry ("% Duplicate sequence number").',
        ],
      ],
    );
  });
});

// "ip access-list resequence NAME START INC" renumbers the entries in their order, so a number written after it goes
// between the new numbers; it was skipped without a word, so an allow numbered between two entries was read after the
// final deny. Cisco IOS XE "IP Access List Entry Sequence Numbering" (Resequencing Access-List Entries):
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
describe("cisco-ios: ip access-list resequence", () => {
  test("entries renumbered in their order; later numbers fall between them; deletions by the new numbers", () => {
    const parsed = parseWith(
      ciscoIosParser,
      `interface GigabitEthernet0/0
 ip access-group WAN-IN in
ip access-list extended WAN-IN
 10 permit tcp host 52.1.37.96 any eq 443
 5 remark webhooks
 20 deny ip any any
 7 permit tcp host 3.74.148.8 any eq 443
ip access-list resequence WAN-IN 100 10
ip access-list extended WAN-IN
 125 permit tcp host 52.1.32.88 any eq 443
 no 110
 permit tcp host 3.74.148.9 any eq 443
ip access-list resequence NOPE 10 10
ip access-list resequence WAN-IN 0 10
`,
    );
    // After it: 100 the remark, 110 the permit of 3.74.148.8, 120 52.1.37.96, 130 the deny; 125 goes before the deny;
    // "no 110" takes 3.74.148.8; the unnumbered permit gets 140, after the deny.
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "covered",
      "3.74.148.8": "missing",
      "3.74.148.9": "missing",
    });
    assert.deepEqual(
      parsed.entries.map((e) => e.line),
      [4, 10, 6, 12],
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [13, "note", "ACL NOPE is not defined above: nothing is renumbered."],
        [14, "not-understood", "resequence takes an ACL name, a starting number and an increment (1 or more)."],
      ],
    );
  });
});

// IOS lets every packet through an ACL that is bound but not defined, or that holds no entry. Both were read as the
// implicit deny, so a router that filters nothing was reported to block every published address.
// Cisco Catalyst 2960 "Configuring Network Security with ACLs", Access List Rules: "If an access list is referenced by
// a name, but the access list does not exist, all packets pass. An interface or command with an empty access list
// applied to it permits all traffic into the network." (copy read at
// https://manualshive.com/en/manual/cisco/catalyst-2960-series/66776?page=1246)
describe("cisco-ios: an undefined or empty ACL filters nothing", () => {
  for (const [what, acl] of [
    ["undefined", ""],
    ["holding only a remark", "ip access-list extended WAN-IN\n remark nothing yet\n"],
    ["emptied by no commands", "ip access-list extended WAN-IN\n deny ip any any\n no 10\n"],
  ] as const) {
    test(what, () => {
      const parsed = parseWith(
        ciscoIosParser,
        `interface GigabitEthernet0/0\n ip nat outside\n ip access-group WAN-IN in\n${acl}ip access-list extended SPARE\n deny ip any any\n`,
      );
      assert.deepEqual(statuses(parsed, ["52.1.37.96"]), { "52.1.37.96": "covered" });
      const inbound = parsed.path?.contexts[0];
      assert.deepEqual(
        [inbound?.name, inbound?.fallthrough, inbound?.reason],
        [
          "ACL WAN-IN in on GigabitEthernet0/0",
          "allow",
          `ACL WAN-IN ${what === "undefined" ? "is not defined in this paste" : "holds no entry"}: IOS lets every packet through an ACL that does not exist or is empty (if it is defined elsewhere, paste it too).`,
        ],
      );
    });
  }

  test("an ACL with entries still ends in the implicit deny", () => {
    const parsed = parseWith(
      ciscoIosParser,
      "interface GigabitEthernet0/0\n ip nat outside\n ip access-group WAN-IN in\nip access-list extended WAN-IN\n remark web\n permit tcp host 3.74.148.8 any eq 443\n",
    );
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "3.74.148.8"]), {
      "52.1.37.96": "missing",
      "3.74.148.8": "covered",
    });
    assert.equal(parsed.path?.contexts[0]?.fallthrough, "deny");
  });
});

// `show access-lists` output (Cisco IOS "show ip access-lists": a header per ACL, entries with their sequence numbers,
// hit counts "(N matches)", a standard entry's ", wildcard bits", an IPv6 entry's trailing "sequence N"). It was read
// as a plain list (3 addresses, every deny ignored) or, with --format cisco-ios, as nothing at all, without a word.
describe("cisco-ios: show access-lists output", () => {
  test("is detected and read as the ACLs it lists", () => {
    const text = `router#show access-lists
Standard IP access list 10
    20 permit 52.1.32.0, wildcard bits 0.0.0.255
    10 permit 52.1.37.96 (4 matches)
    30 deny   any (1204 matches)
Extended IP access list WAN-IN
    10 permit tcp host 18.208.240.77 any eq 443 (88 matches)
    20 permit tcp 44.206.73.232 0.0.0.7 any eq 443
    30 deny ip any any log (5521 matches)
IPv6 access list WAN6
    permit tcp 2406:da00:ff00::/48 any eq 443 (3 matches) sequence 20
    deny ipv6 any any sequence 30
`;
    assert.equal(detectFormat(text).format, "cisco-ios");
    const parsed = parseWith(ciscoIosParser, text);
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.token, e.action]),
      [
        [4, "52.1.37.96", "allow"],
        [3, "52.1.32.0 0.0.0.255", "allow"],
        [5, "any", "deny"],
        [7, "host 18.208.240.77", "allow"],
        [8, "44.206.73.232 0.0.0.7", "allow"],
        [9, "any", "deny"],
        [11, "2406:da00:ff00::/48", "allow"],
        [12, "any", "deny"],
      ],
    );
    assert.deepEqual(parsed.findings, []);
  });
});
