import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { panosParser } from "./panos";
import { detection, entryRow, project } from "./network.testkit";
import { parseWith, pathRows, statuses } from "./path.testkit";

const CONFIG_1 = `set address FW-US-1 ip-netmask 18.208.240.0/24
set address FW-US-1 description "Freshworks US NAT"
set address FW-HOST ip-netmask 3.1.2.3
set address FW-R ip-range 52.1.1.10-52.1.1.20
set address FW-W ip-wildcard 10.1.0.0/0.0.0.255
set address FW-V6 ip-netmask 2406:da00:ff00::/48
set address FW-DNS fqdn hooks.example.com
set address WEB-SRV ip-netmask 10.1.1.10
set address SPARE ip-netmask 192.0.2.50
set address-group FRESHWORKS static [ FW-US-1 FW-R FW-W FW-INNER ]
set address-group FW-INNER static [ FW-V6 FRESHWORKS ]
set service svc-https-alt protocol tcp port 8443,9000-9001
set service-group WEB members [ service-https svc-https-alt ]
set rulebase security rules block-bad from untrust to trust source FW-HOST destination any service any application any action deny
set rulebase security rules allow-fw from untrust
set rulebase security rules allow-fw to trust
set rulebase security rules allow-fw source [ FRESHWORKS 198.51.100.7 203.0.113.0/28 ]
set rulebase security rules allow-fw destination WEB-SRV
set rulebase security rules allow-fw service WEB
set rulebase security rules allow-fw application any
set rulebase security rules allow-fw action allow
set rulebase security rules negated source FW-HOST
set rulebase security rules negated negate-source yes
set rulebase security rules negated action allow
set rulebase security rules old source any
set rulebase security rules old disabled yes
set pre-rulebase security rules first source 192.0.2.1 service application-default application ssl action allow
set rulebase nat rules n1 source 10.0.0.0/8
set network interface ethernet ethernet1/1 layer3 ip 203.0.113.2/24
set address FW-W2 ip-wildcard 10.1.0.5/0.255.0.255
`;

const CONFIG_2 = `set shared address FW-EU ip-netmask 3.120.0.0/22
set shared address FW-AU ip-range 13.210.1.1-13.210.1.9
set shared address-group FRESHWORKS-ALL static [ FW-EU FW-AU ]
set device-group DG-EDGE post-rulebase security rules catch-all from any to any source any destination any service any application any action deny
set device-group DG-EDGE pre-rulebase security rules fw-webhooks from untrust to dmz source FRESHWORKS-ALL destination any service service-https application any action allow
set device-group DG-EDGE pre-rulebase security rules fw-webhooks log-setting default
set device-group DG-EDGE pre-rulebase security rules fw-webhooks profile-setting group default
set device-group DG-EDGE rulebase security rules local-drop source 13.210.1.5 service any action drop
set device-group DG-EDGE pre-rulebase security rules odd source 10.0.0.1 foo bar action allow
set device-group DG-EDGE pre-rulebase security rules reset source [ 192.0.2.0/24 2001:db8::/32 ] service svc-missing action reset-both
`;

const CONFIG_3 = `set address FW-US-1 ip-netmask 18.208.240.0/24
set address FW-US-2 ip-netmask 3.1.2.3
set address FW-V6 ip-netmask 2406:da00:ff00::/48
set address FW-R ip-range 52.1.1.10-52.1.1.20
set address BAD ip-netmask 300.1.1.1/24
set address-group FRESHWORKS static [ FW-US-1 FW-US-2 FW-V6 FW-R FW-IN ]
`;

describe("panos parser", () => {
  test("PAN-OS firewall: objects, wildcard, nested groups with a loop, service groups, multi-line and one-line rules, negate-source, disabled, application-default", () => {
    assert.deepEqual(project(panosParser.parse(CONFIG_1)), {
      entries: [
        [27, "192.0.2.1", "allow", "in", "tcp", "443", "", 0],
        [3, "3.1.2.3", "deny", "in", "", "", "FW-HOST", 14],
        [1, "18.208.240.0/24", "allow", "in", "tcp", "443,8443,9000-9001", "FRESHWORKS>FW-US-1", 17],
        [4, "52.1.1.10-52.1.1.20", "allow", "in", "tcp", "443,8443,9000-9001", "FRESHWORKS>FW-R", 17],
        [5, "10.1.0.0/24", "allow", "in", "tcp", "443,8443,9000-9001", "FRESHWORKS>FW-W", 17],
        [6, "2406:da00:ff00::/48", "allow", "in", "tcp", "443,8443,9000-9001", "FRESHWORKS>FW-INNER>FW-V6", 17],
        [17, "198.51.100.7", "allow", "in", "tcp", "443,8443,9000-9001", "", 0],
        [17, "203.0.113.0/28", "allow", "in", "tcp", "443,8443,9000-9001", "", 0],
        [22, "0.0.0.0-3.1.2.2", "allow", "in", "", "", "", 0],
        [22, "3.1.2.4-255.255.255.255", "allow", "in", "", "", "", 0],
        [22, "::/0", "allow", "in", "", "", "", 0],
        [25, "0.0.0.0/0", "allow", "in", "", "", "", 0],
        [25, "::/0", "allow", "in", "", "", "", 0],
      ],
      findings: [
        [7, "hostname", '"hooks.example.com" is a DNS name: it cannot be checked.'],
        [7, "unused-object", 'Address "FW-DNS" is defined but no allow rule uses it.'],
        [9, "unused-object", 'Address "SPARE" is defined but no allow rule uses it.'],
        [11, "reference-loop", '"FRESHWORKS" includes itself through FRESHWORKS → FW-INNER → FRESHWORKS.'],
        [25, "note", 'Rule "old" sets no action: read as "allow", the PAN-OS default.'],
        // A non-contiguous wildcard is valid on PAN-OS (256 blocks 10.X.0.0/24 here), see the wildcard test below.
        [30, "unused-object", 'Address "FW-W2" is defined but no allow rule uses it.'],
      ],
      notes: [],
    });
  });

  test("Panorama: shared objects, pre-rulebase before local before post-rulebase, broken attributes, undefined service", () => {
    assert.deepEqual(project(panosParser.parse(CONFIG_2)), {
      entries: [
        [1, "3.120.0.0/22", "allow", "in", "tcp", "443", "FRESHWORKS-ALL>FW-EU", 5],
        [2, "13.210.1.1-13.210.1.9", "allow", "in", "tcp", "443", "FRESHWORKS-ALL>FW-AU", 5],
        [9, "10.0.0.1", "allow", "in", "", "", "", 0],
        [8, "13.210.1.5", "deny", "in", "", "", "", 0],
        [4, "0.0.0.0/0", "deny", "in", "", "", "", 0],
        [4, "::/0", "deny", "in", "", "", "", 0],
      ],
      findings: [
        [9, "not-understood", 'Rule attribute "foo" is not understood.'],
        [9, "note", 'Rule "odd" sets no action: read as "allow", the PAN-OS default.'],
        [10, "undefined-reference", '"svc-missing" is not defined in this paste.'],
      ],
      notes: [],
    });
  });

  test("PAN-OS objects-only paste is read as the allowlist", () => {
    assert.deepEqual(project(panosParser.parse(CONFIG_3)), {
      entries: [
        [1, "18.208.240.0/24", "allow", "in", "", "", "FW-US-1", 0],
        [2, "3.1.2.3", "allow", "in", "", "", "FW-US-2", 0],
        [3, "2406:da00:ff00::/48", "allow", "in", "", "", "FW-V6", 0],
        [4, "52.1.1.10-52.1.1.20", "allow", "in", "", "", "FW-R", 0],
      ],
      findings: [
        [5, "invalid", '"300.1.1.1/24": octet is greater than 255.'],
        [6, "undefined-reference", '"FW-IN" is not defined in this paste.'],
      ],
      notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
    });
  });

  // A value set again replaces the earlier one (the members before it are cut off by position, not searched for and
  // removed one redefinition at a time, which was quadratic); a group and other objects keep theirs.
  test("PAN-OS objects-only: an address set again holds only its last value; the others keep theirs", () => {
    assert.deepEqual(
      project(
        panosParser.parse(`set address A ip-netmask 18.208.240.0/24
set address B ip-netmask 3.1.2.3
set address-group G static [ A B ]
set address A ip-wildcard 10.1.1.1/0.0.2.255
set address B ip-range 52.1.1.10-52.1.1.20
set address A ip-netmask 52.1.37.96
`),
      ),
      {
        entries: [
          [5, "52.1.1.10-52.1.1.20", "allow", "in", "", "", "B", 0],
          [6, "52.1.37.96", "allow", "in", "", "", "A", 0],
        ],
        findings: [],
        notes: ["The paste holds address objects but no rules: read as the allowlist itself."],
      },
    );
  });

  test("statement words that are Object.prototype names are plain words: no crash, no rulebase", () => {
    // Before: "constructor" counted as a rulebase ("k in RULEBASES") and the reader threw; "toString" set the
    // interzone-default action.
    const out = panosParser.parse(
      "set constructor security rules R source 1.2.3.4 action allow\nset toString default-security-rules rules interzone-default action allow\n",
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [[1, "not-understood", "This line holds an address but is not understood."]],
    );
    assert.deepEqual([out.entries.length, out.path], [0, undefined]);
  });

  test("each sample is detected as panos", () => {
    for (const c of [CONFIG_1, CONFIG_2, CONFIG_3]) {
      const d = detection(c, "panos");
      assert.deepEqual([d.own >= 0.5, d.own > d.plain], [true, true], "panos does not win detection");
      assert.deepEqual(d.claims, []);
    }
  });
});

// PAN-OS "Create a Custom Service": the destination port is required, the source port optional; a service with
// source port 443 matches only connections from source port 443 (a webhook's ephemeral source port does not).
// The set-format output writes each leaf on its own line ("… protocol tcp port 8443", "… protocol tcp override no"):
// a later line adds to the service, it does not replace it.
// https://docs.paloaltonetworks.com/network-security/security-policy/administration/objects/services/create-a-custom-service-pm
describe("PAN-OS: services over several lines, source ports", () => {
  const SVC = `set zone untrust network layer3 ethernet1/1
set zone trust network layer3 ethernet1/2
set service svc-8443 protocol tcp port 8443
set service svc-8443 protocol tcp override no
set service svc-src protocol tcp port 1-65535
set service svc-src protocol tcp source-port 443
set service svc-hi protocol tcp port 443 source-port 1024-65535
set rulebase security rules r1 from untrust to trust source 52.1.37.96 destination any application any service svc-8443 action allow
set rulebase security rules r2 from untrust to trust source 52.1.32.88 destination any application any service svc-src action allow
set rulebase security rules r3 from untrust to trust source 3.74.148.8 destination any application any service svc-hi action allow
`;
  test("override does not widen a service to every port; a source-port 443 service is never met", () => {
    const parsed = parseWith(panosParser, SVC);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "missing",
      "3.74.148.8": "covered",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.ports?.map((p) => `${p.from}-${p.to}`).join(","), e.unmet]),
      [
        [8, "8443-8443", undefined],
        [9, "1-65535", "only source-port 443 (a client's source port is ephemeral)"],
        [10, "443-443", undefined],
      ],
    );
  });
});

// App-ID: a rule that names only applications other than the ones an HTTPS webhook is identified as (ssl;
// web-browsing once decrypted) lets the handshake through, then no longer matches the identified session.
// PAN-OS "App-ID Overview": https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/app-id/app-id-overview
describe("PAN-OS: applications of an allow rule", () => {
  const APPS = `set zone untrust network layer3 ethernet1/1
set zone trust network layer3 ethernet1/2
set rulebase security rules r0 from untrust to trust source 52.1.37.96 destination any application [ ssh dns ] service any action allow
set rulebase security rules r1 from untrust to trust source 52.1.32.88 destination any application [ ssh ssl ] service any action allow
set rulebase security rules r2 from untrust to trust source 3.74.148.8 destination any application my-custom-app service any action allow
`;
  test("only known non-web App-IDs: not counted; ssl or an unknown application name: counted", () => {
    const parsed = parseWith(panosParser, APPS);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
      "3.74.148.8": "covered",
    });
    assert.deepEqual(
      [...new Set(parsed.entries.map((e) => e.unmet))],
      ["only application ssh, dns (a webhook over HTTPS is identified as ssl or web-browsing)", undefined],
    );
  });
});

// PAN-OS security rules: "rule-type intrazone" matches only traffic within one zone; the destination zone of a rule is
// the zone the traffic goes to (post-NAT), so "from untrust to untrust" never sees a connection to a server in
// another zone; a URL "category" other than any narrows the rule to those categories.
// https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/policy/security-policy/components-of-a-security-policy-rule
describe("PAN-OS: destination zone, rule-type, URL category", () => {
  const CFG = `set zone untrust network layer3 ethernet1/1
set zone trust network layer3 ethernet1/2
set rulebase security rules r1 from untrust to untrust source 52.1.37.96 destination any application any service any action allow
set rulebase security rules r2 from untrust to trust source 52.1.32.88 destination any application any service any category social-networking action allow
set rulebase security rules r3 from any to any source 3.74.148.8 destination any application any service any rule-type intrazone action allow
set rulebase security rules r4 from any to any source 3.74.148.9 destination any application any service any rule-type interzone action allow
set rulebase security rules r5 from untrust to [ untrust trust ] source 3.74.148.10 destination any application any service any action allow
`;
  test("verdicts", () => {
    const parsed = parseWith(panosParser, CFG);
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9", "3.74.148.10"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "missing",
      "3.74.148.8": "missing",
      "3.74.148.9": "covered",
      "3.74.148.10": "covered",
    });
  });
});

// PAN-OS configure mode: "move rulebase security rules NAME top|bottom|before R|after R" reorders the rulebase (first
// match follows the new order), "delete rulebase security rules NAME" removes the rule; "set … disabled no" enables a
// rule again. The XML API's move takes the same four places:
// https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-panorama-api/pan-os-xml-api-request-types/configuration-api/move-configuration.html
// CLI Quick Start (configure mode: set, delete, move): https://docs.paloaltonetworks.com/pan-os/10-2/pan-os-cli-quick-start
describe("PAN-OS: move, delete and re-enable in a pasted change script", () => {
  const CFG = `set zone untrust network layer3 ethernet1/1
set zone trust network layer3 ethernet1/2
set rulebase security rules a from untrust to trust source 52.1.37.96 destination any application any service any action deny
set rulebase security rules b from untrust to trust source any destination any application any service service-https action allow
set rulebase security rules c from untrust to trust source 52.1.32.88 destination any application any service any action deny
set rulebase security rules old from untrust to trust source 18.208.240.77 destination any application any service any action deny
set rulebase security rules b disabled yes
move rulebase security rules a bottom
move rulebase security rules c before b
delete rulebase security rules old
move rulebase security rules zz top
delete rulebase security rules b source any
delete address FOO
move rulebase nat rules n1 top
set rulebase security rules b disabled no
`;
  test("rules are read in their moved order, deleted rules not at all; other deletes are reported", () => {
    const parsed = parseWith(panosParser, CFG);
    // Before: every move and delete was skipped without a word (52.1.37.96 blocked by a, 18.208.240.77 by old) and
    // "disabled no" left b disabled.
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "18.208.240.77"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "18.208.240.77": "covered",
    });
    assert.deepEqual(
      [...new Set(parsed.entries.map((e) => e.line))],
      [5, 4, 3],
      "c (moved before b), b, then a (moved to the bottom)",
    );
    assert.deepEqual(
      parsed.findings.filter((f) => f.line > 7).map((f) => [f.line, f.kind, f.message]),
      [
        [11, "undefined-reference", 'Rule "zz" is not set above: the move is not applied.'],
        [12, "not-understood", "This delete is not applied: the lines above are read as if it were not there."],
        [13, "not-understood", "This delete is not applied: the lines above are read as if it were not there."],
      ],
    );
  });

  test("each move puts the rule where PAN-OS does, also rules set or set again after the first move", () => {
    const rule = (name: string, source: string) =>
      `set rulebase security rules ${name} from untrust to trust source ${source} destination any application any service any action allow`;
    const parsed = parseWith(
      panosParser,
      [
        "set zone untrust network layer3 ethernet1/1",
        "set zone trust network layer3 ethernet1/2",
        rule("r1", "192.0.2.1"),
        rule("r2", "192.0.2.2"),
        rule("r3", "192.0.2.3"),
        rule("r4", "192.0.2.4"),
        "move rulebase security rules r4 top",
        rule("r5", "192.0.2.5"),
        "move rulebase security rules r1 after r3",
        "move rulebase security rules r5 before r2",
        "delete rulebase security rules r2",
        rule("r2", "192.0.2.22"),
        "move rulebase security rules r3 bottom",
      ].join("\n"),
    );
    // r4 r1 r2 r3, r5 set last, r1 after r3, r5 before r2, r2 deleted and set again (last), r3 to the bottom.
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.token]),
      [
        [6, "192.0.2.4"],
        [8, "192.0.2.5"],
        [3, "192.0.2.1"],
        [12, "192.0.2.22"],
        [5, "192.0.2.3"],
      ],
    );
    assert.deepEqual(parsed.findings, []);
  });

  test("a long script of moves, deletes and rules set again reads the order an array model gives", () => {
    const lines = ["set zone untrust network layer3 ethernet1/1", "set zone trust network layer3 ethernet1/2"];
    const order: string[] = [];
    const at = new Map<string, number>();
    let seed = 11;
    const next = (m: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) >>> 8) % m;
    const set = (name: string) => {
      lines.push(
        `set rulebase security rules ${name} from untrust to trust source 198.51.100.${lines.length % 250} destination any application any service any action allow`,
      );
      at.set(name, lines.length);
      order.push(name);
    };
    for (let k = 0; k < 40; k++) set(`r${k}`);
    for (let k = 0; k < 400; k++) {
      // 0 top, 1 bottom, 2-4 before, 5-7 after, 8 delete, 9 a new rule.
      const op = next(10);
      const name = order[next(order.length)]!;
      const other = order[next(order.length)]!;
      if (op === 8 && order.length > 4) {
        lines.push(`delete rulebase security rules ${name}`);
        order.splice(order.indexOf(name), 1);
      } else if (op >= 8) {
        set(`s${k}`);
      } else if (op === 0 || op === 1) {
        lines.push(`move rulebase security rules ${name} ${op === 0 ? "top" : "bottom"}`);
        order.splice(order.indexOf(name), 1);
        order.splice(op === 0 ? 0 : order.length, 0, name);
      } else if (name !== other) {
        const where = op <= 4 ? "before" : "after";
        lines.push(`move rulebase security rules ${name} ${where} ${other}`);
        order.splice(order.indexOf(name), 1);
        order.splice(order.indexOf(other) + (where === "after" ? 1 : 0), 0, name);
      }
    }
    const parsed = parseWith(panosParser, lines.join("\n"));
    assert.deepEqual(
      parsed.entries.map((e) => e.line),
      order.map((n) => at.get(n)!),
    );
  });
});

// PAN-OS "IP Wildcard Mask" address objects (IPv4 only): a one bit need not match, a zero bit must, and the ones need
// not be contiguous: 10.132.1.1/0.0.2.255 is 10.132.1.0/24 and 10.132.3.0/24; the vendor's 10.1.2.3/0.127.248.0 is
// 4,096 single addresses.
// https://docs.paloaltonetworks.com/pan-os/10-0/pan-os-admin/policy/use-address-object-to-represent-ip-addresses/address-objects
// https://docs.paloaltonetworks.com/pan-os/9-0/pan-os-new-features/networking-features/wildcard-address
describe("PAN-OS: non-contiguous wildcard masks", () => {
  const CFG = `set zone untrust network layer3 ethernet1/1
set zone trust network layer3 ethernet1/2
set address W1 ip-wildcard 52.1.37.96/0.0.2.0
set address W2 ip-wildcard 10.1.2.3/0.127.248.0
set address W3 ip-wildcard 10.0.0.0/0.255.255.254
set address W4 ip-wildcard 44.206.73.232/0.0.4.7
set rulebase security rules r from untrust to trust source [ W1 W2 W3 W4 ] destination any application any service service-https action allow
`;
  test("a non-contiguous mask is the blocks it matches; past 4,096 blocks, a finding (never 'invalid')", () => {
    const parsed = parseWith(panosParser, CFG);
    // Before: each non-contiguous mask was "invalid ... cannot be read as one address block" and allowed nothing.
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "44.206.73.235", "44.206.73.240"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "44.206.73.235": "covered",
      "44.206.73.240": "missing",
    });
    const blocks = (line: number) =>
      parsed.entries
        .filter((e) => e.line === line)
        .map((e) => entryRow(e)[1])
        .slice(0, 3);
    assert.deepEqual(
      [blocks(3), blocks(6), parsed.entries.filter((e) => e.line === 4).length],
      [["52.1.37.96", "52.1.39.96"], ["44.206.73.232/29", "44.206.77.232/29"], 4096],
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          5,
          "not-understood",
          '"10.0.0.0/0.255.255.254": the wildcard mask matches 8,388,608 separate address blocks, more than the 4,096 this reader expands: not read.',
        ],
      ],
    );
  });
});

// PAN-OS dynamic address groups: members are the addresses whose tags match the group's filter (and / or,
// parentheses), which includes address objects of the configuration that carry those tags, plus addresses registered
// at runtime. "Dynamic address groups can also include statically defined address objects. If you create an address
// object and apply the same tags …, that dynamic address group will include all static and dynamic objects that
// match the tags."
// https://docs.paloaltonetworks.com/pan-os/11-0/pan-os-admin/policy/monitor-changes-in-the-virtual-environment/use-dynamic-address-groups-in-policy
// https://www.paloaltonetworks.com/documentation/71/pan-os/web-interface-help/objects/objects-address-groups
describe("PAN-OS: dynamic address groups hold the paste's tagged objects", () => {
  const CFG = `set zone untrust network layer3 ethernet1/1
set zone dmz network layer3 ethernet1/2
set shared address FW-US-1 ip-netmask 52.1.37.96/32
set shared address FW-US-1 tag freshworks
set address FW-US-2 ip-netmask 52.1.32.88
set address FW-US-2 tag [ freshworks us ]
set address FW-EU ip-netmask 3.74.148.8
set address FW-EU tag [ "web hooks" eu ]
set address OTHER ip-netmask 13.232.152.211
set address OTHER tag [ us ]
set address-group DAG1 dynamic filter "'freshworks' and 'us'"
set address-group DAG2 dynamic filter "'freshworks' or ('web hooks' and 'eu')"
set address-group DAG3 dynamic filter "'a' and 'b' or 'c'"
set address-group DAG4 dynamic filter 'nothing'
set rulebase security rules r1 from untrust to dmz source DAG1 destination any application any service service-https action deny
set rulebase security rules r2 from untrust to dmz source [ DAG2 DAG3 DAG4 ] destination any application any service service-https action allow
`;
  test("tagged objects are members; a filter with no tagged match or mixed and/or is a finding", () => {
    const parsed = parseWith(panosParser, CFG);
    // Before: every dynamic group was empty ("known only on the firewall"): DAG2 allowed nothing, so 52.1.37.96 and
    // 3.74.148.8 were missing.
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "13.232.152.211"]), {
      "52.1.37.96": "covered",
      "52.1.32.88": "missing",
      "3.74.148.8": "covered",
      "13.232.152.211": "missing",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, entryRow(e)[1], e.action, (e.via ?? []).join(">")]),
      [
        [5, "52.1.32.88", "deny", "DAG1>FW-US-2"],
        [3, "52.1.37.96", "allow", "DAG2>FW-US-1"],
        [5, "52.1.32.88", "allow", "DAG2>FW-US-2"],
        [7, "3.74.148.8", "allow", "DAG2>FW-EU"],
      ],
    );
    assert.deepEqual(
      parsed.findings.filter((f) => f.kind !== "unused-object").map((f) => [f.line, f.kind, f.message]),
      [
        [
          11,
          "note",
          '"DAG1" is a dynamic group: read as the address object tagged to match its filter (FW-US-2); addresses registered on the firewall at runtime are not in the paste.',
        ],
        [
          12,
          "note",
          '"DAG2" is a dynamic group: read as the 3 address objects tagged to match its filter (FW-US-1, FW-US-2, FW-EU); addresses registered on the firewall at runtime are not in the paste.',
        ],
        [
          13,
          "not-understood",
          '"DAG3" is a dynamic group whose filter is not read (and and or are mixed without parentheses): its members are not known.',
        ],
        [
          14,
          "not-understood",
          '"DAG4" is a dynamic group and no address object in the paste has tags matching its filter: its members are known only on the firewall.',
        ],
      ],
    );
  });
});

test("a dynamic group filter nesting parentheses 20,000 deep is one finding, not a reader failure (it overflowed the stack)", () => {
  const deep = `${"(".repeat(20000)}'web'${")".repeat(20000)}`;
  const out = panosParser.parse(`set address A ip-netmask 52.1.37.96/32
set address A tag web
set address-group G dynamic filter "${deep}"
`);
  assert.deepEqual(
    out.findings.filter((f) => f.message.includes("dynamic group")).map((f) => [f.line, f.kind, f.message]),
    [
      [
        3,
        "not-understood",
        '"G" is a dynamic group whose filter is not read (parentheses nest more than 64 deep): its members are not known.',
      ],
    ],
  );
});

// Rule names are unique within one vsys or device group, not across them; each vsys has its own rulebase and a
// firewall applies only its own device group's rules (with the shared ones).
// https://docs.paloaltonetworks.com/pan-os/11-1/pan-os-admin/virtual-systems/virtual-systems-overview
// https://docs.paloaltonetworks.com/panorama/11-1/panorama-admin/panorama-overview/centralized-firewall-configuration-and-update-management/device-groups/device-group-policies
describe("PAN-OS: rules of several device groups or vsys", () => {
  const CFG = `set device-group DG-US pre-rulebase security rules block-bad from untrust to dmz source 52.1.37.96 destination any application any service any action deny
set device-group DG-US pre-rulebase security rules webhooks from untrust to dmz source 52.1.32.88 destination any application any service service-https action allow
set device-group DG-EU pre-rulebase security rules webhooks from untrust to dmz source 3.74.148.8 destination any application any service service-https action deny
set device-group DG-EU pre-rulebase security rules allow-all from untrust to dmz source any destination any application any service service-https action allow
set shared pre-rulebase security rules shared-deny from untrust to dmz source 18.208.240.77 destination any application any service any action deny
`;
  test("same-named rules stay apart; the first device group is on the path, the others off it", () => {
    const parsed = parseWith(panosParser, CFG);
    // Before: both "webhooks" rules were one rule (DG-EU's deny action over DG-US's sources), so 52.1.32.88 read as
    // denied by line 2; and DG-EU's allow-all counted for DG-US's firewall.
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "18.208.240.77", "13.232.152.211"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
      "3.74.148.8": "missing",
      "18.208.240.77": "missing",
      "13.232.152.211": "missing",
    });
    assert.deepEqual(pathRows(parsed), {
      contexts: [
        ["device-group DG-US: security rules from untrust (pre, local, post)", true, "deny"],
        ["device-group DG-EU: security rules from untrust (pre, local, post)", false, "deny"],
      ],
      assumption:
        "Rules of 2 vsys or device groups (device-group DG-US, device-group DG-EU): device-group DG-US, the first in the paste, is read as the firewall's. Internet-facing zone: untrust (its name); only rules from untrust or any apply, and the service sits in another zone (interzone). Override with --ingress ZONE.",
    });
    assert.deepEqual(
      parsed.entries.map((e) => [e.line, e.action, e.context]),
      [
        [5, "deny", 0],
        [1, "deny", 0],
        [2, "allow", 0],
        [3, "deny", 1],
        [4, "allow", 1],
        [4, "allow", 1],
      ],
    );
  });
});

// An address object has one type and value: a later "set address NAME ip-netmask …" replaces the earlier one (a
// change script); a member list ("address-group … static [ … ]") adds.
// https://docs.paloaltonetworks.com/network-security/security-policy/administration/objects/addresses
describe("PAN-OS: an address object's value set again", () => {
  const CFG = `set address FW ip-netmask 52.1.37.96/32
set address FW ip-netmask 52.1.32.88/32
set address-group G static [ FW ]
set address-group G static [ X ]
set address X ip-range 3.74.148.8-3.74.148.9
set address X ip-netmask 3.74.148.10
set vsys vsys2 address X ip-netmask 13.232.152.211
set rulebase security rules r from untrust to dmz source G destination any application any service service-https action allow
`;
  test("the later value replaces the earlier in the same scope; another vsys's same name is a note", () => {
    const parsed = parseWith(panosParser, CFG);
    // Before: FW held both 52.1.37.96 and 52.1.32.88, X both the range and 3.74.148.10.
    assert.deepEqual(statuses(parsed, ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.10", "13.232.152.211"]), {
      "52.1.37.96": "missing",
      "52.1.32.88": "covered",
      "3.74.148.8": "missing",
      "3.74.148.10": "covered",
      "13.232.152.211": "covered",
    });
    assert.deepEqual(
      parsed.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          7,
          "note",
          'Address "X" is also defined in the shared or unscoped configuration (line 6): objects of different vsys or device groups are read as one, holding both values.',
        ],
      ],
    );
  });
});
