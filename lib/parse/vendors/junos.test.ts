import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { GroupInheritance, junosParser } from "./junos";
import { detection, entryRow, project } from "./network.testkit";
import { parseWith, pathRows, statuses } from "./path.testkit";

const CONFIG_1 = `set version 21.4R3
set system host-name srx-edge
set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/24
set security address-book global address FW-US-1 18.208.240.0/24
set security address-book global address FW-R range-address 52.1.1.10 to 52.1.1.20
set security address-book global address FW-V6 2406:da00:ff00::/48
set security address-book global address FW-HOOK 3.1.2.3/32
set security address-book global address FW-DNS dns-name hooks.example.com
set security address-book global address FW-W wildcard-address 10.1.0.5/255.255.0.255
set security address-book global address SPARE 192.0.2.50/32
set security address-book global address-set FRESHWORKS address FW-US-1
set security address-book global address-set FRESHWORKS address FW-R
set security address-book global address-set FRESHWORKS address-set FW6
set security address-book global address-set FW6 address FW-V6
set security zones security-zone trust address-book address WEB 10.1.1.10/32
set applications application https-alt protocol tcp
set applications application https-alt destination-port 8443
set applications application multi term t1 protocol tcp destination-port 9000-9001
set applications application multi term t2 protocol udp destination-port 53
set applications application-set WEB application junos-https
set applications application-set WEB application https-alt
set security policies from-zone untrust to-zone trust policy block-hook match source-address FW-HOOK
set security policies from-zone untrust to-zone trust policy block-hook match destination-address any
set security policies from-zone untrust to-zone trust policy block-hook match application any
set security policies from-zone untrust to-zone trust policy block-hook then deny
set security policies from-zone untrust to-zone trust policy allow-fw match source-address FRESHWORKS
set security policies from-zone untrust to-zone trust policy allow-fw match destination-address WEB
set security policies from-zone untrust to-zone trust policy allow-fw match application WEB
set security policies from-zone untrust to-zone trust policy allow-fw then permit
set security policies from-zone untrust to-zone trust policy allow-fw then log session-close
set security policies from-zone untrust to-zone trust policy excl match source-address FW-HOOK
set security policies from-zone untrust to-zone trust policy excl match source-address-excluded
set security policies from-zone untrust to-zone trust policy excl match destination-address any
set security policies from-zone untrust to-zone trust policy excl match application any
set security policies from-zone untrust to-zone trust policy excl then permit
set security policies global policy g1 match source-address [ any-ipv6 FW-NOPE ]
set security policies global policy g1 match destination-address any
set security policies global policy g1 match application multi
set security policies global policy g1 then permit
deactivate security policies global policy g1
set security policies default-policy deny-all
set firewall family inet filter PROTECT term t1 from source-address 10.0.0.0/8
`;

const CONFIG_2 = `set security zones security-zone untrust address-book address FW-EU 3.120.0.0/22
set security zones security-zone untrust address-book address FW-AU 13.210.1.0/24
set security zones security-zone untrust address-book address-set FRESHWORKS address FW-EU
set security zones security-zone untrust address-book address-set FRESHWORKS address FW-AU
set applications application webhooks term t1 protocol tcp destination-port 443
set applications application webhooks term t2 protocol tcp destination-port 8443-8444
set security policies from-zone untrust to-zone dmz policy fw match source-address [ FRESHWORKS 198.51.100.0/24 ]
set security policies from-zone untrust to-zone dmz policy fw match destination-address any
set security policies from-zone untrust to-zone dmz policy fw match application [ webhooks junos-http ]
set security policies from-zone untrust to-zone dmz policy fw then permit
set security policies global policy v4-any match source-address any-ipv4
set security policies global policy v4-any match destination-address any
set security policies global policy v4-any match application junos-ssh
set security policies global policy v4-any then reject
set security policies global policy no-verdict match source-address FW-AU
set security policies default-policy permit-all
`;

const CONFIG_3 = `set security address-book global address FW-US-1 18.208.240.0/24
set security address-book global address FW-US-2 3.1.2.3/32
set security address-book global address FW-R range-address 52.1.1.10 to 52.1.1.20
set security address-book global address FW-V6 2406:da00:ff00::/48
set security address-book global address-set FRESHWORKS address FW-US-1
set security address-book global address-set FRESHWORKS address FW-US-2
set security address-book global address-set FRESHWORKS address-set FW-MORE
`;

const CONFIG_4 = `set system host-name mx-edge
set interfaces xe-0/0/0 unit 0 family inet address 203.0.113.2/30
set interfaces xe-0/0/0 unit 0 family inet filter input WEBHOOKS-IN
set interfaces xe-0/0/0 unit 0 family inet6 filter input-list [ V6-IN ]
set interfaces xe-0/0/1 unit 0 family inet filter output EGRESS
set policy-options prefix-list FRESHWORKS 18.208.240.0/24
set policy-options prefix-list FRESHWORKS 3.1.2.3/32
set policy-options prefix-list BGP-PEERS apply-path "protocols bgp group <*> neighbor <*>"
set firewall family inet filter WEBHOOKS-IN term block-one from source-address 18.208.240.66/32
set firewall family inet filter WEBHOOKS-IN term block-one then discard
set firewall family inet filter WEBHOOKS-IN term fw from source-prefix-list FRESHWORKS
set firewall family inet filter WEBHOOKS-IN term fw from protocol tcp
set firewall family inet filter WEBHOOKS-IN term fw from destination-port [ https 8443 ]
set firewall family inet filter WEBHOOKS-IN term fw then count fw-hits
set firewall family inet filter WEBHOOKS-IN term fw then accept
set firewall family inet filter WEBHOOKS-IN term corp from source-address 10.0.0.0/8
set firewall family inet filter WEBHOOKS-IN term corp from source-address 10.66.0.0/16 except
set firewall family inet filter WEBHOOKS-IN term corp then accept
set firewall family inet filter WEBHOOKS-IN term mark from address 198.51.100.0/24
set firewall family inet filter WEBHOOKS-IN term mark then next term
set firewall family inet filter WEBHOOKS-IN term ssh from source-address 198.51.100.0/24
set firewall family inet filter WEBHOOKS-IN term ssh from destination-port ssh
set firewall family inet filter WEBHOOKS-IN term ssh then count ssh
set firewall family inet filter WEBHOOKS-IN term default then discard
set firewall family inet6 filter V6-IN term fw6 from source-address 2406:da00:ff00::/48
set firewall family inet6 filter V6-IN term fw6 then accept
set firewall filter EGRESS term all then accept
set firewall filter UNUSED-FILTER term t from source-address 192.0.2.0/24
set firewall filter UNUSED-FILTER term t then reject
`;

describe("junos parser", () => {
  test("SRX: global address book, ranges, dns-name, wildcard, nested sets, applications, deny before permit, excluded sources, deactivate, default-policy, unapplied filter", () => {
    assert.deepEqual(project(junosParser.parse(CONFIG_1)), {
      entries: [
        [42, "10.0.0.0/8", "allow", "unknown", "", "", "", 0],
        [7, "3.1.2.3", "deny", "in", "", "", "FW-HOOK", 22],
        [4, "18.208.240.0/24", "allow", "in", "tcp", "443,8443", "FRESHWORKS>FW-US-1", 26],
        [5, "52.1.1.10-52.1.1.20", "allow", "in", "tcp", "443,8443", "FRESHWORKS>FW-R", 26],
        [6, "2406:da00:ff00::/48", "allow", "in", "tcp", "443,8443", "FRESHWORKS>FW6>FW-V6", 26],
        [31, "0.0.0.0-3.1.2.2", "allow", "in", "", "", "", 0],
        [31, "3.1.2.4-255.255.255.255", "allow", "in", "", "", "", 0],
        [31, "::/0", "allow", "in", "", "", "", 0],
        [36, "::/0", "allow", "in", "tcp", "9000-9001", "", 0],
        [36, "::/0", "allow", "in", "udp", "53", "", 0],
      ],
      findings: [
        [8, "hostname", '"hooks.example.com" is a DNS name: it cannot be checked.'],
        [8, "unused-object", 'Address "FW-DNS" is defined but no allow rule uses it.'],
        [
          9,
          "invalid",
          '"10.1.0.5/255.255.0.255": netmask is not contiguous (ones followed only by zeros); it cannot be read as one address block.',
        ],
        [9, "unused-object", 'Address "FW-W" is defined but no allow rule uses it.'],
        [10, "unused-object", 'Address "SPARE" is defined but no allow rule uses it.'],
        [36, "undefined-reference", '"FW-NOPE" is not defined in this paste.'],
      ],
      notes: [],
    });
  });

  test("SRX: zone address books, application terms, literal prefixes are not names, global policies after zone policies, permit-all", () => {
    assert.deepEqual(project(junosParser.parse(CONFIG_2)), {
      entries: [
        [1, "3.120.0.0/22", "allow", "in", "tcp", "443,8443-8444,80", "FRESHWORKS>FW-EU", 7],
        [2, "13.210.1.0/24", "allow", "in", "tcp", "443,8443-8444,80", "FRESHWORKS>FW-AU", 7],
        [11, "0.0.0.0/0", "deny", "in", "tcp", "22", "", 0],
      ],
      findings: [
        [7, "undefined-reference", '"198.51.100.0/24" is not defined in this paste.'],
        [15, "not-understood", 'Policy "no-verdict" has no "then permit|deny|reject": not read.'],
      ],
      notes: [],
    });
  });

  test("SRX objects-only paste is read as the allowlist", () => {
    assert.deepEqual(project(junosParser.parse(CONFIG_3)), {
      entries: [
        [1, "18.208.240.0/24", "allow", "in", "", "", "FW-US-1", 0],
        [2, "3.1.2.3", "allow", "in", "", "", "FW-US-2", 0],
        [3, "52.1.1.10-52.1.1.20", "allow", "in", "", "", "FW-R", 0],
        [4, "2406:da00:ff00::/48", "allow", "in", "", "", "FW-V6", 0],
      ],
      findings: [[7, "undefined-reference", '"FW-MORE" is not defined in this paste.']],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  test("MX router: firewall filters with prefix lists, except, next term, implicit accept, interface input/output bindings", () => {
    assert.deepEqual(project(junosParser.parse(CONFIG_4)), {
      entries: [
        [9, "18.208.240.66", "deny", "in", "", "", "", 0],
        [6, "18.208.240.0/24", "allow", "in", "tcp", "443,8443", "FRESHWORKS", 11],
        [7, "3.1.2.3", "allow", "in", "tcp", "443,8443", "FRESHWORKS", 11],
        [16, "10.0.0.0-10.65.255.255", "allow", "in", "", "", "", 0],
        [16, "10.67.0.0-10.255.255.255", "allow", "in", "", "", "", 0],
        [21, "198.51.100.0/24", "allow", "in", "", "22", "", 0],
        [24, "0.0.0.0/0", "deny", "in", "", "", "", 0],
        [25, "2406:da00:ff00::/48", "allow", "in", "", "", "", 0],
        [27, "0.0.0.0/0", "allow", "out", "", "", "", 0],
        [28, "192.0.2.0/24", "deny", "unknown", "", "", "", 0],
      ],
      findings: [
        [
          8,
          "not-understood",
          '"BGP-PEERS" takes its prefixes from elsewhere in the configuration (apply-path): not read.',
        ],
      ],
      notes: [],
    });
  });

  test("each sample is detected as junos", () => {
    for (const c of [CONFIG_1, CONFIG_2, CONFIG_3, CONFIG_4]) {
      const d = detection(c, "junos");
      assert.deepEqual([d.own >= 0.5, d.own > d.plain], [true, true], "junos does not win detection");
      assert.deepEqual(d.claims, []);
    }
  });
});

// A custom application with "source-port 443" matches only packets from source port 443: a webhook sender's ephemeral
// source port does not meet it. Junos "application (Applications)": source-port — "Port number or range of the
// source"; https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/applications-edit-application.html
describe("junos: application source-port", () => {
  const SRC = `set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone trust interfaces ge-0/0/1.0
set applications application SRC-443 protocol tcp source-port 443
set applications application ANY-SRC protocol tcp source-port 0-65535 destination-port 443
set applications application-set MIXED application SRC-443
set applications application-set MIXED application junos-https
set security policies from-zone untrust to-zone trust policy p1 match source-address any
set security policies from-zone untrust to-zone trust policy p1 match destination-address any
set security policies from-zone untrust to-zone trust policy p1 match application SRC-443
set security policies from-zone untrust to-zone trust policy p1 then permit
set security policies from-zone untrust to-zone trust policy p2 match source-address any
set security policies from-zone untrust to-zone trust policy p2 match destination-address any
set security policies from-zone untrust to-zone trust policy p2 match application [ MIXED ANY-SRC ]
set security policies from-zone untrust to-zone trust policy p2 then permit
`;
  test("a source-port-only application is never met; an application-set keeps its unrestricted members", () => {
    const one = parseWith(
      junosParser,
      SRC.split("\n")
        .filter((l) => !l.includes(" p2 "))
        .join("\n"),
    );
    assert.deepEqual(statuses(one, ["52.1.37.96"]), { "52.1.37.96": "missing" });
    assert.deepEqual(
      [...new Set(one.entries.map((e) => e.unmet))],
      ["only source-port 443 (a client's source port is ephemeral)"],
    );
    const both = parseWith(junosParser, SRC);
    assert.deepEqual(statuses(both, ["52.1.37.96"]), { "52.1.37.96": "covered" });
    // p2: junos-https and ANY-SRC (tcp 443 from any source port) for any-IPv4 and any-IPv6; SRC-443 dropped.
    assert.deepEqual(
      both.entries
        .filter((e) => e.line === 11)
        .map((e) => [e.token, e.protocol, e.ports?.map((p) => `${p.from}-${p.to}`), e.unmet]),
      [
        ["any", "tcp", ["443-443", "443-443"], undefined],
        ["any", "tcp", ["443-443", "443-443"], undefined],
      ],
    );
  });
});

// "match source-identity authenticated-user" matches only sessions of authenticated users (a webhook sender is none);
// "match dynamic-application junos:SSH" (unified policies) only sessions AppID identifies as SSH, not an HTTPS
// webhook (SSL). https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/statement/security-edit-source-identity.html
// https://www.juniper.net/documentation/us/en/software/junos/application-identification/topics/topic-map/security-unified-policies-configuration.html
describe("junos: source-identity and dynamic-application", () => {
  const pol = (name: string, src: string, extra: string) =>
    [
      `set security policies from-zone untrust to-zone trust policy ${name} match source-address ${src}`,
      `set security policies from-zone untrust to-zone trust policy ${name} match destination-address any`,
      `set security policies from-zone untrust to-zone trust policy ${name} match application junos-https`,
      ...(extra ? [`set security policies from-zone untrust to-zone trust policy ${name} match ${extra}`] : []),
      `set security policies from-zone untrust to-zone trust policy ${name} then permit`,
    ].join("\n");
  const CFG = [
    "set security zones security-zone untrust interfaces ge-0/0/0.0",
    "set security zones security-zone trust interfaces ge-0/0/1.0",
    "set security address-book global address A1 52.1.37.96/32",
    "set security address-book global address A2 52.1.32.88/32",
    "set security address-book global address A3 3.74.148.8/32",
    "set security address-book global address A4 3.74.148.9/32",
    pol("p1", "A1", "source-identity authenticated-user"),
    pol("p2", "A2", "source-identity unauthenticated-user"),
    pol("p3", "A3", "dynamic-application junos:SSH"),
    pol("p4", "A4", "dynamic-application [ junos:SSH junos:SSL ]"),
  ].join("\n");
  test("verdicts", () => {
    const parsed = parseWith(junosParser, CFG);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
      "3.74.148.8": "missing",
      "3.74.148.9": "covered",
    });
  });
});

// Configuration groups in set form: "set groups G …" statements take effect where "apply-groups G" names the group
// at or above their path, unless "apply-groups-except G" sits between. Juniper "Use Configuration Groups":
// https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-software-configuration-groups.html
describe("junos: configuration groups (set form)", () => {
  const base = [
    "set groups POL security policies from-zone untrust to-zone trust policy deny-443 match source-address any",
    "set groups POL security policies from-zone untrust to-zone trust policy deny-443 match destination-address any",
    "set groups POL security policies from-zone untrust to-zone trust policy deny-443 match application junos-https",
    "set groups POL security policies from-zone untrust to-zone trust policy deny-443 then deny",
    "set groups ADDR security address-book global address A1 52.1.37.96/32",
    "set apply-groups [ POL ADDR ]",
    "set security zones security-zone untrust interfaces ge-0/0/0.0",
    "set security zones security-zone trust interfaces ge-0/0/1.0",
    "set security policies from-zone untrust to-zone trust policy p1 match source-address A1",
    "set security policies from-zone untrust to-zone trust policy p1 match destination-address any",
    "set security policies from-zone untrust to-zone trust policy p1 match application junos-https",
    "set security policies from-zone untrust to-zone trust policy p1 then permit",
  ];
  test("an applied group's policy and address are read (on their own lines)", () => {
    const parsed = parseWith(junosParser, base.join("\n"));
    assert.deepEqual(statuses(parsed, ["52.1.37.96"]), { "52.1.37.96": "missing" });
    assert.equal(parsed.entries.find((e) => e.action === "deny")?.text, base[0]);
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind]),
      [[1, "note"]],
    );
  });
  test("apply-groups-except under security policies keeps the group's policy out; an unapplied group is not read", () => {
    const except = parseWith(junosParser, [...base, "set security policies apply-groups-except POL"].join("\n"));
    assert.deepEqual(statuses(except, ["52.1.37.96"]), { "52.1.37.96": "covered" });
    const unapplied = parseWith(
      junosParser,
      base.map((l) => (l.startsWith("set apply-groups") ? "set apply-groups ADDR" : l)).join("\n"),
    );
    assert.deepEqual(statuses(unapplied, ["52.1.37.96"]), { "52.1.37.96": "covered" });
  });
});

// Security policies are looked up by (from-zone, to-zone): a connection from untrust to a server behind the device in
// another zone never meets an untrust → untrust (intrazone) policy. Juniper "Security Policies Overview":
// https://www.juniper.net/documentation/us/en/software/junos/security-policies/topics/topic-map/security-policy-configuration.html
describe("junos: intrazone policies of the Internet-facing zone", () => {
  const pol = (from: string, to: string, name: string, then: string) =>
    ["source-address A1", "destination-address any", "application any"]
      .map((m) => `set security policies from-zone ${from} to-zone ${to} policy ${name} match ${m}`)
      .concat(`set security policies from-zone ${from} to-zone ${to} policy ${name} then ${then}`)
      .join("\n");
  const head = `set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone trust interfaces ge-0/0/1.0
set security address-book global address A1 52.1.37.96/32
`;
  test("an untrust → untrust permit does not cover; an untrust → untrust deny does not block", () => {
    const only = parseWith(junosParser, head + pol("untrust", "untrust", "p1", "permit"));
    assert.deepEqual(statuses(only, ["52.1.37.96"]), { "52.1.37.96": "missing" });
    const both = parseWith(
      junosParser,
      head + pol("untrust", "untrust", "d1", "deny") + "\n" + pol("untrust", "trust", "p2", "permit"),
    );
    assert.deepEqual(statuses(both, ["52.1.37.96"]), { "52.1.37.96": "covered" });
    assert.deepEqual(
      pathRows(both).contexts.map((c) => [c[0], c[1]]),
      [
        ["security policies from untrust to trust, then global", true],
        ["security policies from untrust to untrust", false],
      ],
    );
  });
});

// Firewall filter match conditions a bare SYN cannot meet: "tcp-flags ack", "is-fragment", "icmp-type";
// "tcp-flags \"syn & !ack\"" and "tcp-initial" it does; "destination-port-except 400-500" leaves out 443.
// Juniper "Firewall Filter Match Conditions for IPv4 Traffic":
// https://www.juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-match-conditions-for-ipv4-traffic.html
describe("junos: filter terms a new connection's SYN cannot match", () => {
  const term = (t: string, src: string, cond: string) =>
    [`from source-address ${src}`, `from ${cond}`, "then accept"]
      .map((x) => `set firewall family inet filter F1 term ${t} ${x}`)
      .join("\n");
  const CFG = [
    'set interfaces ge-0/0/0 unit 0 description "Internet uplink"',
    "set interfaces ge-0/0/0 unit 0 family inet filter input F1",
    term("a", "52.1.37.96/32", "tcp-flags ack"),
    term("b", "52.1.32.88/32", 'tcp-flags "syn & !ack"'),
    term("c", "3.74.148.8/32", "is-fragment"),
    term("d", "3.74.148.9/32", "destination-port-except 400-500"),
    term("e", "3.74.148.10/32", "icmp-type echo-request"),
    term("f", "3.74.148.11/32", "tcp-initial"),
  ].join("\n");
  test("verdicts", () => {
    const parsed = parseWith(junosParser, CFG);
    assert.deepEqual(
      statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9", "3.74.148.10", "3.74.148.11"]),
      {
        "52.1.37.96": "missing",
        "52.1.32.88": "covered",
        "3.74.148.8": "missing",
        "3.74.148.9": "missing",
        "3.74.148.10": "missing",
        "3.74.148.11": "covered",
      },
    );
  });
});

describe("junos: group inheritance", () => {
  test("a group applies at and below its apply-groups, unless an apply-groups-except sits between", () => {
    const g = new GroupInheritance();
    g.add(true, "G", ["security"]);
    g.add(false, "G", ["security", "zones", "security-zone", "dmz"]);
    g.add(true, "G", ["security", "zones", "security-zone", "dmz", "interfaces"]);
    g.add(true, "ROOT", []);
    g.add(false, "ROOT", []);
    const at = (group: string, path: string) => g.inherits(group, path.split(" "));
    assert.equal(at("G", "security policies from-zone a to-zone b"), true);
    assert.equal(at("G", "security"), true);
    assert.equal(at("G", "system host-name x"), false);
    // Excepted below the apply-groups at "security" …
    assert.equal(at("G", "security zones security-zone dmz host-inbound-traffic"), false);
    assert.equal(at("G", "security zones security-zone dmz"), false);
    // … and applied again below the except.
    assert.equal(at("G", "security zones security-zone dmz interfaces ge-0/0/1.0"), true);
    assert.equal(at("G", "security zones security-zone trust"), true);
    // An except at the same level as the apply-groups does not cancel it; another group is not concerned.
    assert.equal(at("ROOT", "anything at all"), true);
    assert.equal(at("OTHER", "security"), false);
  });
});

// Junos CLI User Guide, configuration mode (https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-cli-configuration-mode.html):
// "delete" removes a statement and everything below it; "activate" removes the inactive tag "deactivate" set;
// "insert … before|after" reorders an item among its siblings (the order policies and terms are evaluated in).
describe("junos: change scripts (delete, activate, insert)", () => {
  const BASE = `set security address-book global address A 52.1.37.96/32
set security policies from-zone untrust to-zone trust policy ALLOW match source-address A
set security policies from-zone untrust to-zone trust policy ALLOW match destination-address any
set security policies from-zone untrust to-zone trust policy ALLOW match application junos-https
set security policies from-zone untrust to-zone trust policy ALLOW then permit
set security policies from-zone untrust to-zone trust policy BLOCK match source-address A
set security policies from-zone untrust to-zone trust policy BLOCK match destination-address any
set security policies from-zone untrust to-zone trust policy BLOCK match application any
set security policies from-zone untrust to-zone trust policy BLOCK then deny
`;
  const read = (script: string) => {
    const out = junosParser.parse(BASE + script);
    return {
      entries: out.entries.map((e) => [e.ruleLine ?? e.line, e.action, e.token, e.unmet ?? ""]),
      findings: out.findings.map((f) => [f.line, f.kind, f.message]),
    };
  };
  const P = "security policies from-zone untrust to-zone trust policy";

  test("delete removes the statement and what is below it; deleted rules leave no objects-only reading", () => {
    assert.deepEqual(read(`delete ${P} BLOCK\n`), {
      entries: [[2, "allow", "52.1.37.96/32", ""]],
      findings: [[10, "note", "Deletes what 4 lines set (lines 6–9): they are not read."]],
    });
    // Both policies gone: the address book alone is not the allowlist (the device has no rule left).
    assert.deepEqual(read("delete security policies\n"), {
      entries: [],
      findings: [[10, "note", "Deletes what 8 lines set (lines 2–9): they are not read."]],
    });
    assert.deepEqual(read(`delete ${P} GONE\n`).findings, [
      [10, "note", "Nothing written above is at this path: the delete changes nothing."],
    ]);
    // Set again after the delete: read from the new line on.
    assert.deepEqual(
      read(`delete ${P} ALLOW match source-address A\nset ${P} ALLOW match source-address any\n`).entries,
      [
        [11, "allow", "any", ""],
        [11, "allow", "any", ""],
        [6, "deny", "52.1.37.96/32", ""],
      ],
    );
  });

  test("activate takes back a deactivate", () => {
    assert.deepEqual(read(`deactivate ${P} ALLOW\n`).entries[0], [2, "allow", "52.1.37.96/32", "deactivated"]);
    assert.deepEqual(read(`deactivate ${P} ALLOW\nactivate ${P} ALLOW\n`), {
      entries: [
        [2, "allow", "52.1.37.96/32", ""],
        [6, "deny", "52.1.37.96/32", ""],
      ],
      findings: [],
    });
  });

  test("deactivate of a statement inside a policy turns off that statement, not the policy", () => {
    // Junos CLI User Guide, "deactivate": the commit ignores the deactivated statement and what is under it.
    const asIs = {
      entries: [
        [2, "allow", "52.1.37.96/32", ""],
        [6, "deny", "52.1.37.96/32", ""],
      ],
      findings: [],
    };
    assert.deepEqual(
      read(`set ${P} ALLOW then count
deactivate ${P} ALLOW then count
`),
      asIs,
    );
    assert.deepEqual(
      read(`set ${P} ALLOW then log session-init
deactivate ${P} ALLOW then log
`),
      asIs,
    );
    // The action gone (or the whole then), the policy does nothing (the commit refuses a policy without one).
    assert.deepEqual(read(`deactivate ${P} ALLOW then\n`).entries[0], [2, "allow", "52.1.37.96/32", "deactivated"]);
    assert.deepEqual(
      read(`deactivate ${P} ALLOW then permit
`).entries[0],
      [2, "allow", "52.1.37.96/32", "deactivated"],
    );
    // A match value leaves the match: the deny then matches no source, the allow still does.
    assert.deepEqual(
      read(`deactivate ${P} BLOCK match source-address A
`).entries,
      [[2, "allow", "52.1.37.96/32", ""]],
    );
  });

  test("insert moves a policy before or after its sibling: first match follows", () => {
    const blockFirst = {
      entries: [
        [6, "deny", "52.1.37.96/32", ""],
        [2, "allow", "52.1.37.96/32", ""],
      ],
    };
    assert.deepEqual(read(`insert ${P} BLOCK before policy ALLOW\n`), {
      ...blockFirst,
      findings: [[10, "note", "Read with policy BLOCK moved before policy ALLOW."]],
    });
    assert.deepEqual(read(`insert ${P} ALLOW after policy BLOCK\n`), {
      ...blockFirst,
      findings: [[10, "note", "Read with policy ALLOW moved after policy BLOCK."]],
    });
    assert.deepEqual(read(`insert ${P} NOPE before policy ALLOW\n`).findings, [
      [10, "not-understood", "This insert names an item or a sibling not set above: nothing moves."],
    ]);
  });

  test("edit, rename and the like are reported, not followed", () => {
    assert.deepEqual(
      read("edit security policies\nrename security address-book global address A to address B\n").findings,
      [
        [
          10,
          "not-understood",
          '"edit" is not followed: the set lines after it are read from the top of the configuration.',
        ],
        [11, "not-understood", '"rename" is not applied: the lines are read as if it were not there.'],
      ],
    );
  });
});

// The Junos CLI takes several leaves of one hierarchy level in one set command, as admins write policies:
// "set security policies … policy P match source-address any destination-address any application junos-ssh".
// Every condition on the line is read (before: only the first, so the application was dropped and the policy
// allowed every port).
// https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-cli-configuration-mode.html
describe("Junos: several match conditions in one set command", () => {
  const CFG = `set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone trust interfaces ge-0/0/1.0
set security address-book global address FW-US-1 52.1.37.96/32
set security policies from-zone untrust to-zone trust policy p1 match source-address any destination-address any application junos-ssh
set security policies from-zone untrust to-zone trust policy p1 then permit
set security policies from-zone untrust to-zone trust policy p2 match source-address [ FW-US-1 ] source-address-excluded destination-address any application [ junos-http junos-https ]
set security policies from-zone untrust to-zone trust policy p2 then permit
set security policies from-zone untrust to-zone trust policy p3 match source-address 52.1.32.88/32 application junos-https foo bar
set security policies from-zone untrust to-zone trust policy p3 then permit
`;
  test("each condition on the line is read; an unknown one stops the line with a finding", () => {
    const parsed = parseWith(junosParser, CFG);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "3.74.148.8"]), {
      "52.1.37.96": "missing",
      "3.74.148.8": "covered",
    });
    assert.deepEqual(
      [...new Set(parsed.entries.filter((e) => e.line === 4).map((e) => e.ports?.map((p) => p.from).join(",")))],
      ["22"],
    );
    assert.deepEqual(
      parsed.findings.filter((f) => f.kind === "not-understood").map((f) => [f.line, f.message]),
      [[8, 'The rest of this match line (from "foo") is not understood.']],
    );
  });
});

// A filter term's conditions and actions may share one set command, as admins write them
// ("from source-address 52.1.37.96/32 protocol tcp destination-port 22", "then count c2 discard"); the terminating
// action decides wherever it stands. Junos routing policy/firewall filter terms: a term without a terminating
// action accepts; "count" is an action modifier, not a terminating action.
// https://www.juniper.net/documentation/ru/ru/software/junos/routing-policy/topics/concept/firewall-filter-actions-terminating.html
// https://juniper.net/documentation/us/en/software/junos/routing-policy/topics/concept/firewall-filter-actions-nonterminating.html
// https://www.juniper.net/documentation/us/en/software/junos/cli/topics/topic-map/junos-cli-configuration-mode.html
describe("Junos filters: several conditions or actions in one set command", () => {
  const CFG = `set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/24
set interfaces ge-0/0/0 unit 0 family inet filter input WAN-IN
set interfaces ge-0/0/0 description "Internet uplink"
set firewall family inet filter WAN-IN term t1 from source-address 52.1.37.96/32 protocol tcp destination-port 22
set firewall family inet filter WAN-IN term t1 then accept
set firewall family inet filter WAN-IN term t2 from source-address 52.1.32.88/32
set firewall family inet filter WAN-IN term t2 then count c2 discard
set firewall family inet filter WAN-IN term t3 from source-address 3.74.148.0/24 except source-address 0.0.0.0/0 destination-port 443
set firewall family inet filter WAN-IN term t3 then count c3 log reject tcp-reset
set firewall family inet filter WAN-IN term t4 from source-address 0.0.0.0/0 dscp ef bogus 1
set firewall family inet filter WAN-IN term t4 then accept
`;
  test("every condition narrows the term; the terminating action is read wherever it stands", () => {
    const parsed = parseWith(junosParser, CFG);
    // Before: t1 read as every port (52.1.37.96 allowed by it for 443), t2's discard and t3's reject were not read
    // (both accepted), and t3's except and port were dropped. Now 52.1.37.96 passes t1 (port 22 only) and meets t3's
    // reject; 3.74.148.8 is excepted from t3 and accepted by t4.
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "13.232.152.211"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "missing",
      "3.74.148.8": "covered",
      "13.232.152.211": "missing",
    });
    assert.deepEqual(
      parsed.entries
        .filter((e) => !entryRow(e)[1].includes(":"))
        .map((e) => [e.line, e.action, e.ports?.map((p) => `${p.from}-${p.to}`).join(",") ?? ""]),
      [
        [4, "allow", "22-22"],
        [6, "deny", ""],
        [8, "deny", "443-443"],
        [8, "deny", "443-443"],
        [10, "allow", ""],
      ],
    );
    assert.deepEqual(
      parsed.findings.filter((f) => f.kind === "not-understood").map((f) => [f.line, f.message]),
      [[10, 'The rest of this term line (from "bogus") is not understood.']],
    );
  });
});

// Junos applies destination NAT before the security policies, which then see the translated address and port: a pool
// "address 10.1.1.10/32 port 8443" makes a connection sent to 443 meet the policies as 8443 (junos-https no longer
// matches it). The reader reads the policies for the port checked; each rule to such a pool says so on its line.
// http://www.juniper.net/techpubs/software/junos-security/junos-security96/junos-security-swconfig-security/dest-nat_srx.html
describe("Junos: destination NAT that translates the port", () => {
  const CFG = `set security zones security-zone untrust interfaces ge-0/0/0.0
set security zones security-zone trust interfaces ge-0/0/1.0
set security nat destination pool WEB address 10.1.1.10/32
set security nat destination pool WEB address port 8443
set security nat destination pool PLAIN address 10.1.1.11/32
set security nat destination rule-set RS1 from zone untrust
set security nat destination rule-set RS1 rule r1 match destination-address 203.0.113.10/32
set security nat destination rule-set RS1 rule r1 match destination-port 443
set security nat destination rule-set RS1 rule r1 then destination-nat pool WEB
set security nat destination rule-set RS1 rule r2 then destination-nat pool PLAIN
set security policies from-zone untrust to-zone trust policy p1 match source-address any
set security policies from-zone untrust to-zone trust policy p1 match destination-address any
set security policies from-zone untrust to-zone trust policy p1 match application junos-https
set security policies from-zone untrust to-zone trust policy p1 then permit
`;
  test("a rule to a pool with a port is a finding on its line (before: nothing said)", () => {
    const parsed = parseWith(junosParser, CFG);
    assert.deepEqual(
      parsed.findings.filter((f) => f.kind === "not-understood").map((f) => [f.line, f.message]),
      [
        [
          9,
          'Destination NAT rule "r1" sends connections to port 8443 of pool WEB: the security policies see port 8443, not the port the connection was sent to. The policies are read for the port checked (--port), not the translated one: check port 8443 for the connections this rule translates.',
        ],
      ],
    );
  });
});
