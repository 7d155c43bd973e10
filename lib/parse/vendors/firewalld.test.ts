/**
 * firewalld: `firewall-cmd --list-all-zones` / `--info-ipset` output, zone and ipset XML, and firewall-cmd scripts,
 * with exact entries and verdicts. Formats from firewalld 1.3.3 (Debian 12: firewall/command.py print_zone_info,
 * firewalld.zone(5), firewalld.ipset(5)); evaluation order from firewalld.richlanguage(5) "Information about logging
 * and actions" (https://firewalld.org/documentation/man-pages/firewalld.richlanguage.html) and zone selection from
 * https://firewalld.org/documentation/zone/ (sources before interfaces; no zone drifting since 1.0).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { EXCLUSIVE_OPTIONS, firewalldParser, parseFirewalld } from "./firewalld";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const LIST_ALL_ZONES = `public (default, active)
  target: default
  icmp-block-inversion: no
  interfaces: eth0
  sources: 
  services: dhcpv6-client https ssh
  ports: 8443/tcp 9000-9100/udp
  protocols: 
  forward: yes
  masquerade: no
  forward-ports: 
  source-ports: 
  icmp-blocks: 
  rich rules: 
	rule family="ipv4" source address="52.1.32.88" reject
	rule family="ipv4" source ipset="freshworks_v4" port port="8080" protocol="tcp" accept
	rule priority="-10" family="ipv4" source address="35.154.161.0/24" drop
	rule family="ipv6" source address="2406:da00:ff00::/48" service name="http" accept

internal (active)
  target: ACCEPT
  icmp-block-inversion: no
  interfaces: 
  sources: 10.0.0.0/8 ipset:partners
  services: ssh
  ports: 
  protocols: 
  forward: yes
  masquerade: no
  forward-ports: 
  source-ports: 
  icmp-blocks: 
  rich rules: 
	rule family="ipv4" source address="10.1.2.0/24" reject

dmz
  target: DROP
  icmp-block-inversion: no
  interfaces: eth1
  sources: 
  services: http
  ports: 
  protocols: 
  forward: yes
  masquerade: no
  forward-ports: 
  source-ports: 
  icmp-blocks: 
  rich rules: 

freshworks_v4
  type: hash:net
  options: family=inet
  entries: 52.1.37.96/32 3.74.148.8/30
partners
  type: hash:ip
  options: family=inet
  entries: 198.51.100.7
`;

const XML = `==> /etc/firewalld/zones/public.xml <==
<?xml version="1.0" encoding="utf-8"?>
<zone target="DROP">
  <short>Public</short>
  <description>For use in public areas.</description>
  <interface name="eth0"/>
  <service name="ssh"/>
  <service name="http"/>
  <port protocol="tcp" port="8443"/>
  <rule family="ipv4">
    <source address="52.1.37.96"/>
    <port protocol="tcp" port="443"/>
    <accept/>
  </rule>
  <rule family="ipv4">
    <source ipset="freshworks_v4"/>
    <service name="https"/>
    <accept>
      <limit value="100/s"/>
    </accept>
  </rule>
  <rule family="ipv4" priority="-1">
    <source address="3.74.148.8/30" invert="True"/>
    <port protocol="tcp" port="8443"/>
    <reject/>
  </rule>
  <rule>
    <service name="ftp"/>
    <log prefix="ftp" level="info"/>
  </rule>
</zone>

==> /etc/firewalld/ipsets/freshworks_v4.xml <==
<?xml version="1.0" encoding="utf-8"?>
<ipset type="hash:net">
  <option name="family" value="inet"/>
  <entry>52.1.32.88</entry>
  <entry>44.206.73.232/29</entry>
</ipset>
`;

const SCRIPT = `#!/bin/bash
firewall-cmd --permanent --new-ipset=freshworks --type=hash:net
firewall-cmd --permanent --ipset=freshworks --add-entry=52.1.37.96 --add-entry=3.74.148.8/30
firewall-cmd --permanent --new-zone=webhooks
firewall-cmd --permanent --zone=webhooks --add-source=ipset:freshworks
firewall-cmd --permanent --zone=webhooks --add-service=https
firewall-cmd --permanent --zone=public --add-rich-rule='rule family="ipv4" source address="52.1.32.88" port port="443" protocol="tcp" reject'
firewall-cmd --permanent --zone=public --add-port=8080/tcp
firewall-cmd --permanent --zone=public --add-interface=eth0
firewall-cmd --set-default-zone=public
firewall-cmd --reload
`;

const ZONE = "firewalld zone public (interfaces eth0)";

// --remove-source and --remove-entry find what they remove through an index and sweep it out before the zones are
// read (a search per removal made 80,000 sources added and removed take 10 s). A zone's sources and an ipset's entries
// are sets in firewalld (config_zone.py addSource/removeSource, config_ipset.py addEntry/removeEntry): a second add
// changes nothing, a removal takes the one there is, and removing what is absent is NOT_ENABLED (a note).
test("firewall-cmd --remove-source and --remove-entry: sources and entries are sets", () => {
  const out = parseFirewalld(`firewall-cmd --permanent --new-ipset=fw --type=hash:net
firewall-cmd --permanent --ipset=fw --add-entry=52.1.37.96 --add-entry=3.74.148.8/30 --add-entry=52.1.37.96
firewall-cmd --permanent --ipset=fw --remove-entry=52.1.37.96 --remove-entry=9.9.9.9
firewall-cmd --permanent --new-zone=hooks
firewall-cmd --permanent --zone=hooks --add-source=52.1.32.88 --add-source=ipset:fw --add-source=18.208.240.0/24
firewall-cmd --permanent --zone=hooks --remove-source=52.1.32.88 --remove-source=ipset:fw
firewall-cmd --permanent --zone=hooks --add-source=52.1.32.88
firewall-cmd --permanent --zone=hooks --add-service=https
firewall-cmd --permanent --zone=hooks --add-source=ipset:fw
firewall-cmd --permanent --zone=public --add-interface=eth0
firewall-cmd --set-default-zone=public
`);
  assert.deepEqual(
    out.entries.map((e) => [e.line, e.token, e.action, e.via?.join(">") ?? ""]),
    [
      [5, "18.208.240.0/24", "allow", "zone hooks"],
      [5, "18.208.240.0/24", "deny", "zone hooks"],
      [7, "52.1.32.88", "allow", "zone hooks"],
      [7, "52.1.32.88", "deny", "zone hooks"],
      [2, "3.74.148.8/30", "allow", "zone hooks>fw"],
      [2, "3.74.148.8/30", "deny", "zone hooks>fw"],
    ],
  );
  assert.deepEqual(
    out.findings.map((f) => [f.line, f.kind, f.message]),
    [[3, "note", "Entry 9.9.9.9 is not in ipset fw at this point: firewalld removes nothing (NOT_ENABLED)."]],
  );
});

// firewall-cmd takes the options of a kind (zone, ipset, new/delete) one at a time: argparse's mutually exclusive
// groups end the program with a usage error before any change ("firewall-cmd: error: argument --add-service: not
// allowed with argument --add-port", firewalld 1.3). One option repeated is fine.
describe("firewall-cmd commands that mix options of one kind", () => {
  test("are refused whole, as firewall-cmd refuses them", () => {
    const out = parseFirewalld(`firewall-cmd --permanent --zone=public --add-interface=eth0
firewall-cmd --set-default-zone=public
firewall-cmd --permanent --zone=public --add-service=ssh
firewall-cmd --permanent --zone=public --add-service=https --add-port=8443/tcp
firewall-cmd --permanent --zone=public --add-port=443/tcp \\
  --add-port=80/tcp \\
  --remove-service=ssh
firewall-cmd --permanent --new-ipset=fw --type=hash:net
firewall-cmd --permanent --ipset=fw --add-entry=52.1.37.96 --remove-entry=52.1.37.96
firewall-cmd --permanent --zone=public --add-port=80/tcp --add-port=81/tcp
`);
    assert.deepEqual(
      out.entries.filter((e) => e.range.first.family === 4).map((e) => [e.line, e.token, e.action, e.ports]),
      [
        [3, "any", "allow", [{ from: 22, to: 22 }]],
        [10, "any", "allow", [{ from: 80, to: 80 }]],
        [10, "any", "allow", [{ from: 81, to: 81 }]],
      ],
    );
    const refused = (a: string, b: string) =>
      `firewall-cmd refuses this command ("argument ${b}: not allowed with argument ${a}"), so none of it is applied: give each of these options a command of its own.`;
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [4, "invalid", refused("--add-service", "--add-port")],
        [5, "invalid", refused("--add-port", "--remove-service")],
        [9, "invalid", refused("--add-entry", "--remove-entry")],
      ],
    );
  });

  // The groups as the installed firewall-cmd and firewall-offline-cmd declare them (CI installs firewalld): ours are
  // their union (firewall-offline-cmd spells the zone's service removal --remove-service-from-zone).
  test("the groups are those of the installed firewall-cmd and firewall-offline-cmd", (t) => {
    const programs = ["/usr/bin/firewall-cmd", "/usr/bin/firewall-offline-cmd"].filter((p) => existsSync(p));
    if (programs.length < 2) {
      t.skip("firewalld is not installed");
      return;
    }
    const declared = (name: string): Set<string> => {
      const out = new Set<string>();
      for (const p of programs) {
        const src = readFileSync(p, "utf8");
        for (const m of src.matchAll(/(parser_\w+)\.add_argument\(\s*((?:"--?[\w-]+",?\s*)+)/g))
          if (m[1] === name) for (const o of m[2]!.matchAll(/"(--[\w-]+)"/g)) out.add(o[1]!);
      }
      return out;
    };
    const sorted = (s: ReadonlySet<string>) => [...s].sort();
    assert.deepEqual(
      EXCLUSIVE_OPTIONS.map(sorted),
      ["parser_group_zone_or_policy", "parser_ipset", "parser_group_config"].map((g) => sorted(declared(g))),
    );
  });
});

// firewalld keeps a zone's ports as ranges (fw_zone.py add_port / remove_port, functions.py coalescePortRange and
// breakPortRange): an add overlapping ranges joins them, a removal inside a range cuts it, a removal not inside one
// range is NOT_ENABLED. Services and ports are separate lists: removing 443/tcp leaves service https. A rich rule is
// removed when its parsed form is the one given (config_zone.py compares str(Rich_Rule(rule_str=…))), so quoting and
// the order of elements and attributes do not matter. firewalld.kernel.test.ts checks these against firewalld itself.
test("firewall-cmd --remove-port, --remove-service and --remove-rich-rule as firewalld applies them", () => {
  const FW = "firewall-cmd --permanent --zone=public";
  const out = parseFirewalld(
    [
      `${FW} --add-interface=eth0`,
      "firewall-cmd --set-default-zone=public",
      `${FW} --add-port=8000-9000/tcp --add-port=443/tcp --add-port=22/tcp`,
      `${FW} --add-service=https`,
      `${FW} --add-rich-rule='rule family="ipv4" source address="52.1.32.88" port port="80" protocol="tcp" accept'`,
      `${FW} --add-rich-rule='rule family="ipv4" source address="3.74.148.8/30" reject'`,
      `${FW} --remove-port=443/tcp --remove-port=8443/tcp --remove-port=7000/tcp --remove-port=8000-8100/tcp`,
      `${FW} --add-port=8440-8450/tcp --add-port=9000/tcp --add-port=8990-9100/tcp`,
      `${FW} --remove-service=ssh`,
      `${FW} --remove-rich-rule='rule family=ipv4 reject source address=3.74.148.8/30'`,
      `${FW} --remove-rich-rule='rule family="ipv4" source address="52.1.32.8" port port="80" protocol="tcp" accept'`,
      `${FW} --add-rich-rule='rule family="ipv4" source address="52.1.37.0/24" log prefix="x"'`,
      `${FW} --remove-rich-rule='rule family="ipv4" source address="52.1.37.0/24" log prefix="x"'`,
      `${FW} --remove-rich-rule='rule family="ipv4" source address="52.1.37.0/24" log prefix="y"'`,
      "",
    ].join("\n"),
  );
  const ports = (e: (typeof out.entries)[number]) =>
    (e.ports ?? []).map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(",");
  assert.deepEqual(
    out.entries
      .filter((e) => e.token !== "any" || e.range.first.family === 4)
      .map((e) => [e.line, e.token, e.action, ports(e)]),
    [
      [3, "any", "allow", "22"],
      [4, "any", "allow", "443"],
      [5, "52.1.32.88", "allow", "80"],
      [8, "any", "allow", "8101-9100"],
    ],
  );
  assert.deepEqual(
    out.findings.map((f) => [f.line, f.kind, f.message]),
    [
      [
        7,
        "note",
        "7000/tcp is not within one port range of zone public at this point: firewalld removes nothing (NOT_ENABLED).",
      ],
      [9, "note", "Service ssh is not in zone public at this point: firewalld removes nothing (NOT_ENABLED)."],
      [11, "note", "No rich rule of zone public read so far is this one: nothing is removed."],
      [12, "note", "This rich rule only logs: it decides nothing."],
      [14, "note", "No rich rule of zone public read so far is this one: nothing is removed."],
    ],
  );
});

describe("firewall-cmd --list-all-zones", () => {
  test("source-bound zones first, then the default zone: priority < 0, denies, allows, target", () => {
    const out = parseFirewalld(LIST_ALL_ZONES);
    assert.deepEqual(pathRows(out), {
      entries: [
        [34, "10.1.2.0/24", "cidr", "deny", "in", "", "", "zone internal", 0, "10.1.2.0/24", "", 0, ""],
        [24, "10.0.0.0/8", "cidr", "allow", "in", "tcp", "22", "zone internal", 25, "10.0.0.0/8", "service ssh", 0, ""],
        [
          24,
          "10.0.0.0/8",
          "cidr",
          "allow",
          "in",
          "",
          "",
          "zone internal",
          0,
          "10.0.0.0/8",
          "zone internal target ACCEPT: what its rules do not accept",
          0,
          "",
        ],
        [
          58,
          "198.51.100.7",
          "address",
          "allow",
          "in",
          "tcp",
          "22",
          "zone internal>partners",
          25,
          "198.51.100.7",
          "service ssh",
          0,
          "",
        ],
        [
          58,
          "198.51.100.7",
          "address",
          "allow",
          "in",
          "",
          "",
          "zone internal>partners",
          24,
          "198.51.100.7",
          "zone internal target ACCEPT: what its rules do not accept",
          0,
          "",
        ],
        [17, "35.154.161.0/24", "cidr", "deny", "in", "", "", "", 0, "35.154.161.0/24", "", 0, ""],
        [15, "52.1.32.88", "address", "deny", "in", "", "", "", 0, "52.1.32.88", "", 0, ""],
        [6, "0.0.0.0/0", "any", "allow", "in", "udp", "546", "", 0, "any", "service dhcpv6-client", 0, ""],
        [6, "::/0", "any", "allow", "in", "udp", "546", "", 0, "any", "service dhcpv6-client", 0, ""],
        [6, "0.0.0.0/0", "any", "allow", "in", "tcp", "443", "", 0, "any", "service https", 0, ""],
        [6, "::/0", "any", "allow", "in", "tcp", "443", "", 0, "any", "service https", 0, ""],
        [6, "0.0.0.0/0", "any", "allow", "in", "tcp", "22", "", 0, "any", "service ssh", 0, ""],
        [6, "::/0", "any", "allow", "in", "tcp", "22", "", 0, "any", "service ssh", 0, ""],
        [7, "0.0.0.0/0", "any", "allow", "in", "tcp", "8443", "", 0, "any", "", 0, ""],
        [7, "::/0", "any", "allow", "in", "tcp", "8443", "", 0, "any", "", 0, ""],
        [7, "0.0.0.0/0", "any", "allow", "in", "udp", "9000-9100", "", 0, "any", "", 0, ""],
        [7, "::/0", "any", "allow", "in", "udp", "9000-9100", "", 0, "any", "", 0, ""],
        [54, "52.1.37.96", "cidr", "allow", "in", "tcp", "8080", "freshworks_v4", 16, "52.1.37.96/32", "", 0, ""],
        [54, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "8080", "freshworks_v4", 16, "3.74.148.8/30", "", 0, ""],
        [18, "2406:da00:ff00::/48", "cidr", "allow", "in", "tcp", "80", "", 0, "2406:da00:ff00::/48", "", 0, ""],
        [41, "0.0.0.0/0", "any", "allow", "in", "tcp", "80", "", 0, "any", "service http", 1, ""],
        [41, "::/0", "any", "allow", "in", "tcp", "80", "", 0, "any", "service http", 1, ""],
      ],
      findings: [],
      notes: [],
    });
    assert.deepEqual(out.path, {
      contexts: [
        {
          name: ZONE,
          line: 2,
          text: "target: default",
          fallthrough: "deny",
          onPath: true,
          reason: "a new connection from the Internet arrives in this zone",
        },
        {
          name: "firewalld zone dmz (interfaces eth1)",
          line: 37,
          text: "target: DROP",
          fallthrough: "deny",
          onPath: false,
          reason: "it holds eth1, not the Internet-facing interface",
        },
      ],
      kind: "input",
      assumption:
        "Read as traffic to this host arriving in the default zone public; addresses bound as sources to internal are decided there. Override with --ingress <zone or interface>.",
    });
    // A reject rich rule at priority 0 comes before the https service, whatever the order they were listed in.
    assert.equal(verdict(out, "52.1.32.88"), `52.1.32.88 → TCP 443: blocked by line 15 in ${ZONE}.`);
    assert.equal(verdict(out, "52.1.32.89"), "52.1.32.89 → TCP 443: allowed by line 6.");
    assert.equal(verdict(out, "35.154.161.243", 22), `35.154.161.243 → TCP 22: blocked by line 17 in ${ZONE}.`);
    assert.equal(verdict(out, "3.74.148.9", 8080), "3.74.148.9 → TCP 8080: allowed by line 54.");
    assert.equal(
      verdict(out, "52.1.37.97", 8080),
      `52.1.37.97 → TCP 8080: blocked — no rule of ${ZONE} (line 2) matches, and its default is deny.`,
    );
    // The internal zone (target ACCEPT) takes its sources whatever the public zone says.
    assert.equal(verdict(out, "10.9.9.9", 3306), "10.9.9.9 → TCP 3306: allowed by line 24.");
    assert.equal(verdict(out, "10.1.2.3", 22), `10.1.2.3 → TCP 22: blocked by line 34 in ${ZONE}.`);
  });

  test("--ingress names the zone or its interface", () => {
    const out = parseFirewalld(LIST_ALL_ZONES, { ingress: "eth1" });
    assert.deepEqual(
      out.path?.contexts.map((c) => [c.name, c.onPath, c.fallthrough]),
      [
        ["firewalld zone dmz (interfaces eth1)", true, "deny"],
        ["firewalld zone public (interfaces eth0)", false, "deny"],
      ],
    );
    assert.equal(
      out.path?.assumption,
      "Read as traffic to this host arriving in zone dmz, which holds interface eth1 (given); addresses bound as sources to internal are decided there. Override with --ingress <zone or interface>.",
    );
    assert.equal(
      verdict(out, "52.1.32.89"),
      "52.1.32.89 → TCP 443: blocked — no rule of firewalld zone dmz (interfaces eth1) (line 37) matches, and its default is deny.",
    );
    assert.equal(verdict(out, "52.1.32.89", 80), "52.1.32.89 → TCP 80: allowed by line 41.");
    assert.equal(
      parseFirewalld(LIST_ALL_ZONES, { ingress: "dmz" }).path?.contexts[0]?.name,
      "firewalld zone dmz (interfaces eth1)",
    );
  });

  test("a zone with target ACCEPT lets through what no rule rejects", () => {
    const out = parseFirewalld(LIST_ALL_ZONES.replace("  target: default", "  target: ACCEPT"));
    assert.equal(verdict(out, "52.1.37.97", 8080), `52.1.37.97 → TCP 8080: allowed by the default of ${ZONE}.`);
  });
});

describe("zone and ipset XML", () => {
  test("elements, rich rules with invert, limit and priority, an ipset file pasted with it", () => {
    const out = parseFirewalld(XML);
    assert.deepEqual(pathRows(out), {
      entries: [
        [22, "0.0.0.0-3.74.148.7", "range", "deny", "in", "tcp", "8443", "", 0, "!3.74.148.8/30", "", 0, ""],
        [22, "3.74.148.12-255.255.255.255", "range", "deny", "in", "tcp", "8443", "", 0, "!3.74.148.8/30", "", 0, ""],
        [7, "0.0.0.0/0", "any", "allow", "in", "tcp", "22", "", 0, "any", "service ssh", 0, ""],
        [7, "::/0", "any", "allow", "in", "tcp", "22", "", 0, "any", "service ssh", 0, ""],
        [8, "0.0.0.0/0", "any", "allow", "in", "tcp", "80", "", 0, "any", "service http", 0, ""],
        [8, "::/0", "any", "allow", "in", "tcp", "80", "", 0, "any", "service http", 0, ""],
        [9, "0.0.0.0/0", "any", "allow", "in", "tcp", "8443", "", 0, "any", "", 0, ""],
        [9, "::/0", "any", "allow", "in", "tcp", "8443", "", 0, "any", "", 0, ""],
        [10, "52.1.37.96", "address", "allow", "in", "tcp", "443", "", 0, "52.1.37.96", "", 0, ""],
        [
          37,
          "52.1.32.88",
          "address",
          "allow",
          "in",
          "tcp",
          "443",
          "freshworks_v4",
          15,
          "52.1.32.88",
          "rate-limited to 100/s",
          0,
          "",
        ],
        [
          38,
          "44.206.73.232/29",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "freshworks_v4",
          15,
          "44.206.73.232/29",
          "rate-limited to 100/s",
          0,
          "",
        ],
      ],
      findings: [[27, "note", "This rich rule only logs: it decides nothing."]],
      notes: [],
    });
    assert.deepEqual(out.path?.contexts, [
      {
        name: ZONE,
        line: 3,
        text: '<zone target="DROP">',
        fallthrough: "deny",
        onPath: true,
        reason: "a new connection from the Internet arrives in this zone",
      },
    ]);
    assert.equal(verdict(out, "44.206.73.239"), "44.206.73.239 → TCP 443: allowed by line 38.");
    assert.equal(
      verdict(out, "52.1.32.89"),
      `52.1.32.89 → TCP 443: blocked — no rule of ${ZONE} (line 3) matches, and its default is deny.`,
    );
    assert.equal(verdict(out, "3.74.148.9", 8443), "3.74.148.9 → TCP 8443: allowed by line 9.");
    assert.equal(verdict(out, "52.1.32.89", 8443), `52.1.32.89 → TCP 8443: blocked by line 22 in ${ZONE}.`);
  });

  test("a rich rule's ipset that the paste does not define is reported", () => {
    const out = parseFirewalld(XML.slice(0, XML.indexOf("==> /etc/firewalld/ipsets")));
    assert.deepEqual(pathRows(out).findings, [
      [15, "undefined-reference", 'ipset "freshworks_v4" is not defined in this paste.'],
      [27, "note", "This rich rule only logs: it decides nothing."],
    ]);
  });
});

describe("negated sources as firewall-cmd prints them", () => {
  // firewalld.richlanguage(5): "source [not] address=…" (https://firewalld.org/documentation/man-pages/firewalld.richlanguage.html);
  // firewall-cmd --list-all prints the negation upper-case ("source NOT address=…", rich.py Rich_Source.__str__) and
  // reads either spelling back.
  test("source NOT address= is the negation, not an unknown element", () => {
    const out = parseFirewalld(`public (default, active)
  target: default
  interfaces: eth0
  services: ssh
  ports: 
  rich rules: 
	rule family="ipv4" source NOT address="34.231.139.135" port port="443" protocol="tcp" drop
	rule family="ipv4" source address="0.0.0.0/0" port port="443" protocol="tcp" accept
`);
    assert.deepEqual(
      out.findings.filter((f) => f.kind === "not-understood"),
      [],
    );
    assert.equal(verdict(out, "34.231.139.135"), "34.231.139.135 → TCP 443: allowed by line 8.");
    assert.match(verdict(out, "52.1.37.96"), /^52\.1\.37\.96 → TCP 443: blocked by line 7/);
  });
});

describe("firewall-cmd scripts", () => {
  test("a source-bound zone decides its addresses even for ports the default zone opens", () => {
    const out = parseFirewalld(SCRIPT);
    assert.deepEqual(pathRows(out), {
      entries: [
        [
          3,
          "52.1.37.96",
          "address",
          "allow",
          "in",
          "tcp",
          "443",
          "zone webhooks>freshworks",
          6,
          "52.1.37.96",
          "service https",
          0,
          "",
        ],
        [
          3,
          "3.74.148.8/30",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "zone webhooks>freshworks",
          6,
          "3.74.148.8/30",
          "service https",
          0,
          "",
        ],
        [
          3,
          "52.1.37.96",
          "address",
          "deny",
          "in",
          "",
          "",
          "zone webhooks>freshworks",
          5,
          "52.1.37.96",
          "zone webhooks target default: what its rules do not accept",
          0,
          "",
        ],
        [
          3,
          "3.74.148.8/30",
          "cidr",
          "deny",
          "in",
          "",
          "",
          "zone webhooks>freshworks",
          5,
          "3.74.148.8/30",
          "zone webhooks target default: what its rules do not accept",
          0,
          "",
        ],
        [7, "52.1.32.88", "address", "deny", "in", "tcp", "443", "", 0, "52.1.32.88", "", 0, ""],
        [8, "0.0.0.0/0", "any", "allow", "in", "tcp", "8080", "", 0, "any", "", 0, ""],
        [8, "::/0", "any", "allow", "in", "tcp", "8080", "", 0, "any", "", 0, ""],
      ],
      findings: [],
      notes: [],
    });
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 3.");
    assert.equal(verdict(out, "52.1.37.96", 8080), `52.1.37.96 → TCP 8080: blocked by line 3 in ${ZONE}.`);
    assert.equal(verdict(out, "52.1.32.88"), `52.1.32.88 → TCP 443: blocked by line 7 in ${ZONE}.`);
    assert.equal(verdict(out, "52.1.32.88", 8080), "52.1.32.88 → TCP 8080: allowed by line 8.");
  });

  test("continued lines (our export): each ipset entry keeps its own line", () => {
    const out = parseFirewalld(`firewall-offline-cmd --new-ipset=fw4 --type=hash:net --option=family=inet
firewall-offline-cmd --ipset=fw4 \\
  --add-entry=52.1.37.96/32 \\
  --add-entry=3.74.148.8/30
firewall-offline-cmd --add-rich-rule='rule family="ipv4" source ipset="fw4" port port="443" protocol="tcp" accept'
`);
    assert.deepEqual(pathRows(out).entries, [
      [3, "52.1.37.96", "cidr", "allow", "in", "tcp", "443", "fw4", 5, "52.1.37.96/32", "", 0, ""],
      [4, "3.74.148.8/30", "cidr", "allow", "in", "tcp", "443", "fw4", 5, "3.74.148.8/30", "", 0, ""],
    ]);
    assert.equal(out.path?.contexts[0]?.name, "firewalld zone public");
  });
});

describe("firewalld detection", () => {
  test("every form is detected as firewalld", () => {
    for (const text of [LIST_ALL_ZONES, XML, SCRIPT]) assertWins(text, "firewalld");
    assert.equal(firewalldParser.detect("Status: active\n"), 0);
  });
});

describe("forward-ports", () => {
  // firewalld's filter_INPUT and filter_FORWARD accept every DNAT'd connection ("ct status dnat accept", firewalld
  // src/firewall/core/nftables.py _build_default_rules_dnat, unless StrictForwardPorts=yes) right after the
  // established/related accept and before the zones: a connection a zone's forward-port rewrites is let through
  // whatever the zone's rich rules reject.
  test("a forward-port of the checked port lets every source of the zone in; another port's does not", () => {
    const text = (port: number) => `public (default, active)
  target: default
  interfaces: eth0
  services: ssh
  ports: 
  forward-ports: 
	port=${port}:proto=tcp:toport=8443:toaddr=
  rich rules: 
	rule family="ipv4" source address="52.1.37.96" port port="443" protocol="tcp" reject
`;
    assert.equal(verdict(parseFirewalld(text(443)), "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 7.");
    assert.equal(verdict(parseFirewalld(text(443)), "3.74.148.8"), "3.74.148.8 → TCP 443: allowed by line 7.");
    assert.match(verdict(parseFirewalld(text(80)), "3.74.148.8"), /blocked/);
    const xml = parseFirewalld(`<?xml version="1.0" encoding="utf-8"?>
<zone>
  <short>Public</short>
  <forward-port port="443" protocol="tcp" to-port="8443"/>
</zone>
`);
    assert.equal(verdict(xml, "3.74.148.8"), "3.74.148.8 → TCP 443: allowed by line 4.");
  });

  test("a rich rule's forward-port accepts its source only, even past a reject of higher priority (firewalld 1.3)", () => {
    // Real firewalld in a network namespace with these commands: 52.1.37.96 and 52.1.32.88 reach port 443 (the
    // priority -5 reject is in the filter chains, after "ct status dnat accept"); every other source is rejected.
    const FW = "firewall-cmd --permanent --zone=public --add-rich-rule=";
    const out =
      parseFirewalld(`${FW}'rule family="ipv4" source address="52.1.37.96" forward-port port="443" protocol="tcp" to-port="8443"'
${FW}'rule family="ipv4" source address="52.1.32.88" forward-port port="443" protocol="tcp" to-port="8443"'
${FW}'rule priority="-5" family="ipv4" source address="52.1.32.88" port port="443" protocol="tcp" reject'
`);
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 1.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 2.");
    assert.match(verdict(out, "3.74.148.9"), /blocked/);
  });

  test("as firewall-cmd commands: IPv4 only (without to-addr the nat rule is meta nfproto ipv4), checked with firewalld 1.3", () => {
    // Real firewalld in a network namespace (the harness of firewalld.kernel.test.ts) with these two commands:
    // 52.1.37.96 and 3.74.148.9 reach port 443, port 8443 stays closed, 2406:da00:ff00::1 does not reach 443.
    const out = parseFirewalld(`firewall-cmd --permanent --zone=public --add-forward-port=port=443:proto=tcp:toport=8443
firewall-cmd --permanent --zone=public --add-rich-rule='rule family="ipv4" source address="52.1.37.96" port port="443" protocol="tcp" reject'
`);
    assert.deepEqual(out.findings, []);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 1.");
    assert.match(verdict(out, "52.1.37.96", 8443), /blocked/);
    assert.match(verdict(out, "2406:da00:ff00::1"), /blocked/);
  });
});

// firewalld.direct(5): direct rules are iptables rules, ordered by priority, which firewalld (nftables backend) loads
// beside its own table. Run here with firewalld 1.3 in a network namespace (firewalld.kernel.test.ts keeps a list of
// them): a direct REJECT blocks what the zone opens, a direct ACCEPT alone let nothing in. They were dropped without a
// word, so 52.1.37.97 read as allowed.
describe("direct rules", () => {
  const COMMANDS = [
    "firewall-cmd --permanent --zone=public --add-service=https",
    "firewall-cmd --permanent --direct --add-rule ipv4 filter INPUT 0 -s 52.1.37.97 -p tcp --dport 443 -j DROP",
    "firewall-cmd --permanent --direct --add-rule ipv4 filter INPUT 0 -s 52.1.37.96 -p tcp --dport 8443 -j ACCEPT",
    "firewall-cmd --permanent --direct --add-rule ipv4 filter INPUT 1 -s 52.1.32.88 -j REJECT",
    "firewall-cmd --permanent --direct --add-rule ipv4 filter INPUT -1 -s 52.1.32.88 -p tcp --dport 443 -j ACCEPT",
    "firewall-cmd --permanent --direct --add-rule ipv4 filter INPUT 1 -s 52.1.32.88 -j REJECT",
    "firewall-cmd --permanent --direct --remove-rule ipv4 filter INPUT 0 -s 3.74.148.9 -j DROP",
    "firewall-cmd --direct --passthrough ipv4 -I INPUT -s 3.74.148.9 -j DROP",
  ].join("\n");

  test("a drop there blocks what the zone allows, an accept there leaves the zone to decide; priority orders them", () => {
    const out = parseFirewalld(COMMANDS);
    assert.equal(
      verdict(out, "52.1.37.97"),
      "52.1.37.97 → TCP 443: blocked by line 2 in firewalld direct rules (iptables filter INPUT).",
    );
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 5, then line 1.");
    assert.equal(
      verdict(out, "52.1.32.88", 22),
      "52.1.32.88 → TCP 22: blocked by line 4 in firewalld direct rules (iptables filter INPUT).",
    );
    assert.equal(
      verdict(out, "52.1.37.96", 8443),
      "52.1.37.96 → TCP 8443: blocked — no rule of firewalld zone public (line 1) matches, and its default is deny.",
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [6, "note", "firewalld holds this direct rule already (ALREADY_ENABLED): nothing changes."],
        [7, "note", "firewalld holds no such direct rule (NOT_ENABLED): nothing is removed."],
        [8, "not-understood", "Direct passthrough rules are not read: paste `iptables-save` to show what they did."],
      ],
    );
  });

  test("--remove-rules empties one chain of one family; the others keep theirs", () => {
    const out = parseFirewalld(
      [
        "firewall-cmd --permanent --zone=public --add-service=https",
        "firewall-cmd --permanent --direct --add-rule ipv4 filter INPUT 0 -s 52.1.37.97 -j DROP",
        "firewall-cmd --permanent --direct --add-rule ipv6 filter INPUT 0 -s 2406:da00:ff00::1 -j DROP",
        "firewall-cmd --permanent --direct --remove-rules ipv4 filter INPUT",
      ].join("\n"),
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.token, e.action, e.context ?? 0]),
      [
        [3, "2406:da00:ff00::1", "deny", 0],
        [1, "any", "allow", 1],
        [1, "any", "allow", 1],
      ],
    );
  });

  test("/etc/firewalld/direct.xml reads as the same commands; without a zone, the default zone still decides", () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<direct>
  <chain ipv="ipv4" table="filter" chain="fresh"/>
  <rule ipv="ipv4" table="filter" chain="fresh" priority="0">-s 52.1.37.97 -j DROP</rule>
  <rule ipv="ipv4" table="filter" chain="INPUT" priority="0">-j fresh</rule>
  <rule ipv="ipv6" table="filter" chain="INPUT" priority="0">-s 2406:da00:ff00::/48 -p tcp --dport 443 -j ACCEPT</rule>
</direct>
`;
    const out = parseFirewalld(xml);
    assert.equal(
      verdict(out, "52.1.37.97"),
      "52.1.37.97 → TCP 443: blocked by line 4 in firewalld direct rules (iptables filter INPUT).",
    );
    assert.equal(
      verdict(out, "2406:da00:ff00::1"),
      "2406:da00:ff00::1 → TCP 443: blocked — no rule of firewalld zone public matches, and its default is deny.",
    );
    assert.deepEqual(out.findings, []);
  });
});

describe("firewalld: rich rules firewalld itself refuses", () => {
  test("a source address of the other family, or without a family, is an invalid finding, not a silent drop", () => {
    // firewall/core/rich.py, Rich_Rule.check: MISSING_FAMILY / INVALID_FAMILY without family=, INVALID_ADDR when the
    // address is not of the rule's family (firewall-cmd --add-rich-rule refuses both).
    const out = parseFirewalld(`public (default, active)
  target: default
  interfaces: eth0
  rich rules: 
	rule family="ipv6" source address="34.231.139.135" service name="https" accept
	rule source address="52.1.37.96" service name="https" accept
	rule family="ipv4" source address="52.1.32.88" service name="https" accept
`);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          5,
          "invalid",
          'family="ipv6" with the IPv4 source address 34.231.139.135: firewalld refuses this rich rule, it is not read.',
        ],
        [
          6,
          "invalid",
          'A source address without family="ipv4" or family="ipv6": firewalld refuses this rich rule, it is not read.',
        ],
      ],
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.action, e.token]),
      [[7, "allow", "52.1.32.88"]],
    );
  });
});
