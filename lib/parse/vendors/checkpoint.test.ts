/**
 * Check Point mgmt_cli scripts and `show access-rulebase` JSON, with exact entries and verdicts. Commands and the
 * JSON shape from the Management API reference (add host/network/address-range/group/service-tcp/access-rule with
 * "position"; show access-rulebase with objects-dictionary); first match, implicit cleanup drop.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseCheckpoint } from "./checkpoint";
import { MAX_CALL_EXPANSION, shCommands } from "./checkpoint-sh";
import { assertWins, pathRows, verdict } from "./hosts.testkit";

const SCRIPT = `
#!/bin/sh
# mgmt_cli login user admin > sid.txt
mgmt_cli add host name 'fw-us-1' ip-address '52.1.37.96' groups.1 'freshworks' -s sid.txt
mgmt_cli add network name 'fw-eu' subnet4 '3.74.148.8' mask-length4 30 groups.1 'freshworks' -s sid.txt
mgmt_cli add address-range name 'fw-us-block' ip-address-first '44.206.73.232' ip-address-last '44.206.73.239' -s sid.txt
mgmt_cli set group name 'freshworks' members.add 'fw-us-block' -s sid.txt
mgmt_cli add host name 'abuser' ip-address '3.74.148.9' -s sid.txt
mgmt_cli add service-tcp name 'webhooks-8443' port '8443' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'bottom' name 'freshworks-in' source 'freshworks' destination 'Any' service.1 'https' service.2 'webhooks-8443' action 'Accept' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'top' name 'block-abuser' source 'abuser' destination 'Any' service 'Any' action 'Drop' -s sid.txt
mgmt_cli add access-rule layer 'Network' position 'bottom' name 'old' source 'fw-us-1' service 'Any' action 'Accept' enabled false -s sid.txt
mgmt_cli publish -s sid.txt
`;

const JSON_RULEBASE = `
{
  "uid": "0a4d8f63-2d4e-4f5b-9c7e-1d2b3c4d5e6f",
  "name": "Network",
  "rulebase": [
    {
      "uid": "s1",
      "name": "Webhooks",
      "type": "access-section",
      "rulebase": [
        {
          "uid": "r1",
          "type": "access-rule",
          "name": "block abuser",
          "rule-number": 1,
          "source": ["h2"],
          "source-negate": false,
          "destination": ["any"],
          "service": ["any"],
          "action": "drop",
          "enabled": true
        },
        {
          "uid": "r2",
          "type": "access-rule",
          "name": "freshworks in",
          "rule-number": 2,
          "source": ["g1"],
          "destination": ["any"],
          "service": ["svc443"],
          "action": "accept",
          "enabled": true
        }
      ]
    },
    {
      "uid": "r3",
      "type": "access-rule",
      "name": "Cleanup rule",
      "rule-number": 3,
      "source": ["any"],
      "destination": ["any"],
      "service": ["any"],
      "action": "drop",
      "enabled": true
    }
  ],
  "objects-dictionary": [
    { "uid": "any", "name": "Any", "type": "CpmiAnyObject" },
    { "uid": "accept", "name": "Accept", "type": "RulebaseAction" },
    { "uid": "drop", "name": "Drop", "type": "RulebaseAction" },
    { "uid": "h1", "name": "fw-us-1", "type": "host", "ipv4-address": "52.1.37.96" },
    { "uid": "h2", "name": "abuser", "type": "host", "ipv4-address": "3.74.148.9" },
    { "uid": "n1", "name": "fw-eu", "type": "network", "subnet4": "3.74.148.8", "mask-length4": 30 },
    { "uid": "g1", "name": "freshworks", "type": "group", "members": ["h1", "n1"] },
    { "uid": "svc443", "name": "https", "type": "service-tcp", "port": "443" }
  ]
}
`;

const LAYER = "Check Point access layer";

describe("Check Point", () => {
  test("mgmt_cli: objects, groups (groups.1 and members.add), services, positions, disabled rules", () => {
    const out = parseCheckpoint(SCRIPT);
    assert.deepEqual(pathRows(out), {
      entries: [
        [8, "3.74.148.9", "address", "deny", "in", "", "", "abuser", 11, "3.74.148.9", "block-abuser", 0, ""],
        [
          4,
          "52.1.37.96",
          "address",
          "allow",
          "in",
          "tcp",
          "443",
          "freshworks>fw-us-1",
          10,
          "52.1.37.96",
          "freshworks-in",
          0,
          "",
        ],
        [
          4,
          "52.1.37.96",
          "address",
          "allow",
          "in",
          "tcp",
          "8443",
          "freshworks>fw-us-1",
          10,
          "52.1.37.96",
          "freshworks-in",
          0,
          "",
        ],
        [
          5,
          "3.74.148.8/30",
          "cidr",
          "allow",
          "in",
          "tcp",
          "443",
          "freshworks>fw-eu",
          10,
          "3.74.148.8/30",
          "freshworks-in",
          0,
          "",
        ],
        [
          5,
          "3.74.148.8/30",
          "cidr",
          "allow",
          "in",
          "tcp",
          "8443",
          "freshworks>fw-eu",
          10,
          "3.74.148.8/30",
          "freshworks-in",
          0,
          "",
        ],
        [
          6,
          "44.206.73.232/29",
          "range",
          "allow",
          "in",
          "tcp",
          "443",
          "freshworks>fw-us-block",
          10,
          "44.206.73.232-44.206.73.239",
          "freshworks-in",
          0,
          "",
        ],
        [
          6,
          "44.206.73.232/29",
          "range",
          "allow",
          "in",
          "tcp",
          "8443",
          "freshworks>fw-us-block",
          10,
          "44.206.73.232-44.206.73.239",
          "freshworks-in",
          0,
          "",
        ],
        [
          4,
          "52.1.37.96",
          "address",
          "allow",
          "in",
          "",
          "",
          "fw-us-1",
          12,
          "52.1.37.96",
          "old",
          0,
          "the rule is disabled",
        ],
      ],
      findings: [],
      notes: [],
    });
    assert.equal(verdict(out, "3.74.148.9"), `3.74.148.9 → TCP 443: blocked by line 8 in ${LAYER}.`);
    assert.equal(verdict(out, "3.74.148.10", 8443), "3.74.148.10 → TCP 8443: allowed by line 5.");
    assert.equal(
      verdict(out, "52.1.37.96", 22),
      `52.1.37.96 → TCP 22: blocked — no rule of ${LAYER} matches, and its default is deny.`,
    );
    assertWins(SCRIPT, "checkpoint");
  });

  test("show access-rulebase JSON: sections, the objects-dictionary, the cleanup rule", () => {
    const out = parseCheckpoint(JSON_RULEBASE);
    assert.deepEqual(pathRows(out).entries, [
      [53, "3.74.148.9", "address", "deny", "in", "", "", "abuser", 11, "3.74.148.9", "block abuser", 0, ""],
      [
        52,
        "52.1.37.96",
        "address",
        "allow",
        "in",
        "tcp",
        "443",
        "freshworks>fw-us-1",
        23,
        "52.1.37.96",
        "freshworks in",
        0,
        "",
      ],
      [
        54,
        "3.74.148.8/30",
        "cidr",
        "allow",
        "in",
        "tcp",
        "443",
        "freshworks>fw-eu",
        23,
        "3.74.148.8/30",
        "freshworks in",
        0,
        "",
      ],
      [36, "0.0.0.0/0", "any", "deny", "in", "", "", "", 0, "Any", "Cleanup rule", 0, ""],
      [36, "::/0", "any", "deny", "in", "", "", "", 0, "Any", "Cleanup rule", 0, ""],
    ]);
    assert.equal(verdict(out, "52.1.37.96"), "52.1.37.96 → TCP 443: allowed by line 52.");
    assert.equal(verdict(out, "52.1.37.97"), `52.1.37.97 → TCP 443: blocked by line 36 in ${LAYER}.`);
    assertWins(JSON_RULEBASE, "checkpoint");
  });
});

/**
 * An admin's bash script around mgmt_cli (Check Point Management API reference, R81.20: "mgmt_cli" tool, `login`,
 * `show host`/`add host`/`add network`/`set group` `members.add`/`add service-tcp`/`show access-rule`/
 * `add access-rule` `position top`, `publish`, `logout`; https://sc1.checkpoint.com/documents/latest/APIs/). A
 * `show` fails when the object is absent, so `show … || add …` and `if ! show …; then add …; fi` add only what is
 * missing: the reader reads the add. Helper functions with "$1", shift and "$@", variables, redirections, pipes,
 * `\` continuations. Loops are not expanded; a condition other than a show guard is read as true, with a note.
 */
const ADMIN_SCRIPT = `#!/bin/bash
# Freshworks webhooks for the Network layer (R81.20 Management API)
set -euo pipefail
SID=sid.txt
mgmt_cli login user admin password "$CP_PASSWORD" > "$SID"
ensure() {
  kind="$1"; name="$2"; shift 2
  mgmt_cli show "$kind" name "$name" -s "$SID" >/dev/null 2>&1 \\
    || mgmt_cli add "$kind" name "$name" "$@" -s "$SID"
}
ensure group freshworks comments "Freshworks NAT IPs; see #1234"
ensure host fw-us-1 ip-address 52.1.37.96 groups.1 freshworks
ensure network fw-eu subnet4 3.74.148.8 mask-length4 30
ensure host abuser ip-address 3.74.148.9
mgmt_cli set group name freshworks members.add fw-eu -s "$SID"
mgmt_cli add service-tcp name webhooks-8443 port 8443 -s "$SID" || echo "webhooks-8443 exists"
mgmt_cli show access-rule layer Network name freshworks-in -s "$SID" >/dev/null 2>&1 || mgmt_cli add access-rule layer Network position top name freshworks-in source freshworks destination Any service.1 https service.2 webhooks-8443 action Accept -s "$SID"
mgmt_cli add access-rule layer Network position top name block-abuser source abuser service Any action Drop -s "$SID" && echo "rule added"
mgmt_cli publish -s "$SID" | jq -r .status
for h in 198.51.100.1 198.51.100.2; do mgmt_cli add host name "x-$h" ip-address "$h" -s "$SID"; done
mgmt_cli logout -s "$SID"
if mgmt_cli show host name fw-us-2 -s "$SID" >/dev/null 2>&1; then
  echo "fw-us-2 exists"
else
  mgmt_cli add host name fw-us-2 ip-address 52.1.32.88 groups.1 freshworks -s "$SID"
fi
if ! mgmt_cli show host name fw-us-3 -s "$SID" >/dev/null 2>&1; then mgmt_cli add host name fw-us-3 ip-address 52.1.32.89 groups.1 freshworks -s "$SID"; fi
if [ -n "$EXTRA" ]; then mgmt_cli add host name extra ip-address 192.0.2.7 groups.1 freshworks -s "$SID"; fi
`;

describe("Check Point mgmt_cli scripts (functions, show guards, if, lists)", () => {
  test("the script reads as what it leaves in the layer, each command on its own line", () => {
    const out = parseCheckpoint(ADMIN_SCRIPT);
    const rows = pathRows(out);
    assert.deepEqual(
      rows.entries.map((r) => [r[0], r[1], r[3], r[5], r[6], r[7], r[8], r[10]]),
      [
        [14, "3.74.148.9", "deny", "", "", "abuser", 18, "block-abuser"],
        [12, "52.1.37.96", "allow", "tcp", "443", "freshworks>fw-us-1", 17, "freshworks-in"],
        [12, "52.1.37.96", "allow", "tcp", "8443", "freshworks>fw-us-1", 17, "freshworks-in"],
        [13, "3.74.148.8/30", "allow", "tcp", "443", "freshworks>fw-eu", 17, "freshworks-in"],
        [13, "3.74.148.8/30", "allow", "tcp", "8443", "freshworks>fw-eu", 17, "freshworks-in"],
        [25, "52.1.32.88", "allow", "tcp", "443", "freshworks>fw-us-2", 17, "freshworks-in"],
        [25, "52.1.32.88", "allow", "tcp", "8443", "freshworks>fw-us-2", 17, "freshworks-in"],
        [27, "52.1.32.89", "allow", "tcp", "443", "freshworks>fw-us-3", 17, "freshworks-in"],
        [27, "52.1.32.89", "allow", "tcp", "8443", "freshworks>fw-us-3", 17, "freshworks-in"],
        [28, "192.0.2.7", "allow", "tcp", "443", "freshworks>extra", 17, "freshworks-in"],
        [28, "192.0.2.7", "allow", "tcp", "8443", "freshworks>extra", 17, "freshworks-in"],
      ],
    );
    assert.deepEqual(rows.findings, [
      [20, "not-understood", 'The sh "for" command is not expanded: the commands inside it are not read.'],
      [28, "note", "The if condition is not a mgmt_cli show guard: it is not evaluated, the then branch is read."],
    ]);
    assert.equal(verdict(out, "3.74.148.9"), `3.74.148.9 → TCP 443: blocked by line 14 in ${LAYER}.`);
    assert.equal(verdict(out, "3.74.148.10", 8443), "3.74.148.10 → TCP 8443: allowed by line 13.");
    assert.equal(verdict(out, "52.1.32.88"), "52.1.32.88 → TCP 443: allowed by line 25.");
    assert.equal(
      verdict(out, "52.1.37.96", 22),
      `52.1.37.96 → TCP 22: blocked — no rule of ${LAYER} matches, and its default is deny.`,
    );
    assertWins(ADMIN_SCRIPT, "checkpoint");
  });

  test("an add that is only the failure path of another command is not read; a helper calling itself is not followed", () => {
    const out = parseCheckpoint(
      'mgmt_cli add host name a ip-address 192.0.2.1 -s s || mgmt_cli add host name b ip-address 192.0.2.2 -s s\nf() { f "$@"; }\nf x\nmgmt_cli add access-rule layer Network name r source a source.2 b service Any action Accept -s s\n',
    );
    assert.deepEqual(
      pathRows(out).entries.map((r) => [r[0], r[1]]),
      [[1, "192.0.2.1"]],
    );
    assert.deepEqual(pathRows(out).findings, [
      [3, "not-understood", '"f" is called inside a function: not followed.'],
      [4, "undefined-reference", '"b" is not defined in this paste.'],
    ]);
  });

  test("broken scripts are findings, never exceptions; 20k guarded lines are all read (their time: npm run bench:linear)", () => {
    for (const text of [
      "once() {",
      "'unterminated",
      'a() { b; }\na "$@" $# ${1',
      "if\nthen\nfi\nfi",
      "for x in; do",
      "}}}}",
      "2>&1 >",
      "(".repeat(5000),
      "if x; then\n".repeat(20000),
      "f() { ".repeat(20000),
    ]) {
      assert.doesNotThrow(() => parseCheckpoint(text), text);
    }
    const big = `once() { mgmt_cli show host name "$1" -s s >/dev/null 2>&1 || mgmt_cli add host name "$1" ip-address "$2" groups.1 g -s s; }\n${Array.from({ length: 20000 }, (_, i) => `once h${i} 10.${(i >> 8) & 255}.${i & 255}.1`).join("\n")}\nmgmt_cli add access-rule layer Network position top name r source g service Any action Accept -s s\n`;
    const out = parseCheckpoint(big);
    assert.equal(out.entries.length, 20000);
  });

  test("function calls expand at most a million words: a 150 kB script of 2,000 calls to a 2,000-line body", () => {
    // It made 4 million commands and ran the process out of memory. Each call costs its body's 20,001 tokens (ten a
    // line, and the newline after "{"): 49 calls fit, the 50th (line 2053) is reported and it and later calls not read.
    const body = Array.from(
      { length: 2000 },
      (_, i) => `  mgmt_cli add host name "h${i}-$1" ip-address '52.1.37.96' -s id.txt`,
    );
    const text = `#!/bin/sh\nf() {\n${body.join("\n")}\n}\n${Array.from({ length: 2000 }, (_, i) => `f x${i}`).join("\n")}\n`;
    const { commands, problems } = shCommands(text);
    assert.equal(MAX_CALL_EXPANSION, 1_000_000);
    assert.equal(commands.length, 49 * 2000);
    assert.deepEqual(commands.at(-1), {
      line: 2052,
      words: ["mgmt_cli", "add", "host", "name", "h1999-x48", "ip-address", "52.1.37.96", "-s", "id.txt"],
    });
    assert.deepEqual(problems, [
      {
        kind: "not-understood",
        line: 2053,
        message: 'Function calls expand to more than 1,000,000 words: "f" here and the calls after it are not read.',
      },
    ]);
  });
});

// Check Point Management API reference (https://sc1.checkpoint.com/documents/latest/APIs/): "add access-rule"
// (position: top, bottom, a rule number, {"above"|"below"|"top"|"bottom": rule or section}; service-negate; time),
// "set access-rule" (changes the given fields of an existing rule, e.g. enabled false), "delete access-rule",
// "add access-section", "add service-group" (members). A disabled rule does nothing; a rule with a time object other
// than Any applies only then; service-negate matches every service except the listed ones.
describe("Check Point: set/delete access-rule, relative positions, sections, service groups, service-negate, time", () => {
  const CP = `mgmt_cli add host name H1 ip-address 52.1.37.96 -s sid.txt
mgmt_cli add host name H2 ip-address 52.1.32.88 -s sid.txt
mgmt_cli add host name H3 ip-address 3.74.148.8 -s sid.txt
mgmt_cli add host name H4 ip-address 3.74.148.9 -s sid.txt
mgmt_cli add host name H5 ip-address 3.74.148.10 -s sid.txt
mgmt_cli add host name H6 ip-address 3.74.148.11 -s sid.txt
mgmt_cli add service-group name WEB members.1 https -s sid.txt
mgmt_cli add access-section layer Network position top name "Inbound" -s sid.txt
mgmt_cli add access-section layer Network position bottom name "Cleanup" -s sid.txt
mgmt_cli add access-rule layer Network position.top "Inbound" name a1 source H1 service https action Accept -s sid.txt
mgmt_cli set access-rule layer Network name a1 enabled false -s sid.txt
mgmt_cli add access-rule layer Network position.bottom "Inbound" name a2 source H2 service https action Accept -s sid.txt
mgmt_cli add access-rule layer Network position.above a2 name d2 source H2 service WEB action Drop -s sid.txt
mgmt_cli add access-rule layer Network position.bottom "Inbound" name a3 source H3 service https service-negate true action Accept -s sid.txt
mgmt_cli add access-rule layer Network position.bottom "Inbound" name a4 source H4 service https time Work-Hours action Accept -s sid.txt
mgmt_cli add access-rule layer Network position.bottom "Inbound" name a5 source H5 service https action Accept -s sid.txt
mgmt_cli add access-rule layer Network position.top "Inbound" name d5 source H5 service https action Drop -s sid.txt
mgmt_cli delete access-rule layer Network name d5 -s sid.txt
mgmt_cli add access-rule layer Network position.bottom "Cleanup" name cleanup source Any service Any action Drop -s sid.txt
mgmt_cli add access-rule layer Network position bottom name a6 source H6 service https action Accept -s sid.txt
`;
  test("verdicts follow the rulebase the commands leave", () => {
    const out = parseCheckpoint(CP);
    const v = (ip: string) => verdict(out, ip).split(":")[1]!.trim().split(" ")[0];
    assert.deepEqual(
      ["52.1.37.96", "52.1.32.88", "3.74.148.8", "3.74.148.9", "3.74.148.10", "3.74.148.11"].map((ip) => [ip, v(ip)]),
      [
        ["52.1.37.96", "blocked"], // a1 disabled by "set access-rule … enabled false"
        ["52.1.32.88", "blocked"], // d2 (service group WEB holding https) placed above a2
        ["3.74.148.8", "blocked"], // every service but https
        ["3.74.148.9", "blocked"], // only during Work-Hours
        ["3.74.148.10", "allowed"], // d5 deleted
        ["3.74.148.11", "blocked"], // below the cleanup rule
      ],
    );
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind]),
      [],
    );
  });
});

/**
 * Rule cells that were read as matching every connection, or objects read as undefined:
 * - a group with exclusion (Management API reference, "add group-with-exclusion": include, except;
 *   https://sc1.checkpoint.com/documents/latest/APIs/) stands for its include group less its except group;
 * - the VPN cell ("The Columns of the Access Control Rule Base": "VPN: the VPN Community to which the rule applies";
 *   https://sc1.checkpoint.com/documents/R81.10/WebAdminGuides/EN/CP_R81.10_SecurityManagement_AdminGuide/Topics-SECMG/The-Columns-of-the-Access-Control-Rule-Base.htm)
 *   matches only connections through that community, never a webhook sent in clear from the Internet;
 * - an Inline Layer action ("Ordered Layers and Inline Layers": a packet that matches the parent rule is checked
 *   against the sub rules and no more rule matching is done; ordered layers: the connection must be accepted by each;
 *   https://sc1.checkpoint.com/documents/R81.10/WebAdminGuides/EN/CP_R81.10_SecurityManagement_AdminGuide/Topics-SECMG/Ordered-Layers-and-Inline-Layers.htm);
 * - an access role (Identity Awareness) matches identified users and machines only.
 */
// Management API reference, "add access-rule" (position: top, bottom, a rule number, above/below a rule or section,
// top/bottom of a section), "set access-rule" and "delete access-rule" (by name or rule-number, in a layer):
// https://sc1.checkpoint.com/documents/latest/APIs/#cli/add-access-rule~v1.9%20
describe("Check Point: positions and rule numbers, counted per layer, across the rulebase's chunks", () => {
  test("each place and rule number is the one the Management API gives", () => {
    const hosts = [1, 2, 3, 4, 5, 6, 7].map((i) => `mgmt_cli add host name h${i} ip-address 192.0.2.${i} -s s`);
    const rule = (name: string, pos: string, src: string, layer = "Network") =>
      `mgmt_cli add access-rule layer ${layer} ${pos} name ${name} source ${src} service Any action Accept -s s`;
    const out = parseCheckpoint(
      [
        ...hosts,
        "mgmt_cli add access-section layer Network position top name S1 -s s",
        rule("a", "position.bottom S1", "h1"),
        "mgmt_cli add access-section layer Network position bottom name S2 -s s",
        rule("b", "position.top S2", "h2"),
        rule("c", "position.bottom S1", "h3"),
        rule("d", "position 2", "h4"),
        rule("e", "position top", "h5", "Other"),
        rule("f", "position.below S1", "h6"),
        "mgmt_cli set access-rule layer Network rule-number 3 action Drop -s s",
        "mgmt_cli delete access-rule layer Other rule-number 1 -s s",
        rule("g", "position.above b", "h7"),
        "mgmt_cli delete access-rule layer Network name f -s s",
      ].join("\n"),
    );
    // S1 a c S2 b; d is rule 2 (after a); e on top in layer Other; f below the section S1 is at its bottom; rule 3 of
    // Network (a d c f b) is c; rule 1 of Other is e; g above b; f deleted: S1 a d c S2 g b.
    assert.deepEqual(
      out.entries.map((e) => [e.ruleLine, e.token, e.action]),
      [
        [9, "192.0.2.1", "allow"],
        [13, "192.0.2.4", "allow"],
        [12, "192.0.2.3", "deny"],
        [18, "192.0.2.7", "allow"],
        [11, "192.0.2.2", "allow"],
      ],
    );
    assert.deepEqual(out.findings, []);
  });
});

describe("Check Point: groups with exclusion, the VPN cell, inline layers, access roles", () => {
  const rule = (uid: string, name: string, source: string, action: string, extra = "") =>
    `{ "uid": "${uid}", "type": "access-rule", "name": "${name}", "source": ["${source}"], "source-negate": false,
      "destination": ["any"], "service": ["svc443"], "service-negate": false, "vpn": ["any"], "action": "${action}",
      "time": ["any"], "install-on": ["targets"], "enabled": true${extra} }`;
  const rulebase = (rules: string[], objects = "") => `{
  "uid": "0a4d8f63-2d4e-4f5b-9c7e-1d2b3c4d5e6f",
  "name": "Network",
  "rulebase": [
    ${rules.join(",\n    ")}
  ],
  "objects-dictionary": [
    { "uid": "any", "name": "Any", "type": "CpmiAnyObject" },
    { "uid": "accept", "name": "Accept", "type": "RulebaseAction" },
    { "uid": "drop", "name": "Drop", "type": "RulebaseAction" },
    { "uid": "inner", "name": "Inner Layer", "type": "RulebaseAction" },
    { "uid": "targets", "name": "Policy Targets", "type": "Global" },
    { "uid": "svc443", "name": "https", "type": "service-tcp", "port": "443" }${objects}
  ]
}`;

  test("a Drop through a group with exclusion drops the include group but the except group (it was lost as undefined)", () => {
    const json = rulebase(
      [rule("r1", "block IN but one", "gx", "drop"), rule("r2", "webhooks", "any", "accept")],
      `,
    { "uid": "gx", "name": "IN-but-one", "type": "group-with-exclusion",
      "include": { "uid": "n1", "name": "fw-in", "type": "network", "subnet4": "13.232.152.0", "mask-length4": 24 },
      "except": "h1" },
    { "uid": "h1", "name": "fw-in-1", "type": "host", "ipv4-address": "13.232.152.211" }`,
    );
    const out = parseCheckpoint(json);
    assert.equal(verdict(out, "13.232.152.1"), `13.232.152.1 → TCP 443: blocked by line 5 in ${LAYER}.`);
    assert.equal(verdict(out, "13.232.152.211"), "13.232.152.211 → TCP 443: allowed by line 8.");
    assert.deepEqual(
      out.findings.filter((f) => f.kind === "undefined-reference"),
      [],
    );
    const script = `mgmt_cli add network name fw-in subnet4 13.232.152.0 mask-length4 24 -s sid.txt
mgmt_cli add host name fw-in-1 ip-address 13.232.152.211 -s sid.txt
mgmt_cli add group-with-exclusion name IN-but-one include fw-in except fw-in-1 -s sid.txt
mgmt_cli add access-rule layer Network position bottom name block source IN-but-one service https action Drop -s sid.txt
mgmt_cli add access-rule layer Network position bottom name webhooks source Any service https action Accept -s sid.txt
`;
    const sh = parseCheckpoint(script);
    assert.equal(verdict(sh, "13.232.152.1"), `13.232.152.1 → TCP 443: blocked by line 4 in ${LAYER}.`);
    assert.equal(verdict(sh, "13.232.152.211"), "13.232.152.211 → TCP 443: allowed by line 5.");
  });

  test("an Accept limited to a VPN community never meets the webhook; the cleanup drops it (it was allowed)", () => {
    const json = rulebase(
      [rule("r1", "remote access in", "any", "accept").replace(`"vpn": ["any"]`, `"vpn": ["ra"]`)],
      `,
    { "uid": "ra", "name": "RemoteAccess", "type": "CpmiVpnCommunityRemoteAccess" }`,
    );
    const out = parseCheckpoint(json);
    assert.equal(
      verdict(out, "13.232.152.1"),
      `13.232.152.1 → TCP 443: blocked — no rule of ${LAYER} matches, and its default is deny.`,
    );
    assert.deepEqual(
      out.entries.map((e) => [e.line, e.unmet]),
      [
        [5, "only connections through the VPN community RemoteAccess"],
        [5, "only connections through the VPN community RemoteAccess"],
      ],
    );
    const sh = parseCheckpoint(
      `mgmt_cli add access-rule layer Network position bottom name ra source Any service https vpn RemoteAccess action Accept -s sid.txt\n`,
    );
    assert.match(verdict(sh, "13.232.152.1"), /blocked — no rule/);
  });

  test("a rule applying an inline layer decides what it matches: the rules below it are not met (a later Accept allowed)", () => {
    const json = rulebase([
      rule("r1", "web sublayer", "any", "inner", `, "inline-layer": "Web Inline"`),
      rule("r2", "webhooks", "any", "accept"),
    ]);
    const out = parseCheckpoint(json);
    assert.equal(verdict(out, "13.232.152.1"), `13.232.152.1 → TCP 443: blocked by line 5 in ${LAYER}.`);
    assert.deepEqual(
      out.findings.filter((f) => f.kind === "not-understood").map((f) => [f.line, f.message]),
      [
        [
          5,
          'Rule "web sublayer" hands the connections it matches to the inline layer "Web Inline", whose rules are not in this paste: they never reach the rules below it, and are read as dropped by the inline layer\'s cleanup. Paste that layer\'s rulebase to check it.',
        ],
      ],
    );
  });

  // Ask and Inform wait for a person to answer a UserCheck page; when it cannot be shown in the application that made
  // the connection, the UserCheck object's fallback action (Accept or Drop) decides
  // (https://sc1.checkpoint.com/documents/R80.10/SmartConsole_OLH/EN/mxKIfgrx2Zl1bXaKRkcQ0g2.htm). The rule still
  // decides what it matches: it was skipped as "neither Accept nor Drop", and the Accept below it allowed the webhook.
  test("an Ask or Inform rule decides what it matches: read as dropped (its fallback is not in the paste), not skipped", () => {
    for (const [uid, word] of [
      ["ask", "Ask"],
      ["inform", "Inform"],
    ] as const) {
      const json = rulebase(
        [rule("r1", "web policy", "any", uid), rule("r2", "webhooks", "any", "accept")],
        `,
    { "uid": "${uid}", "name": "${word}", "type": "RulebaseAction" }`,
      );
      const out = parseCheckpoint(json);
      assert.equal(verdict(out, "13.232.152.1"), `13.232.152.1 → TCP 443: blocked by line 5 in ${LAYER}.`);
      assert.deepEqual(
        out.findings.filter((f) => f.kind === "not-understood").map((f) => [f.line, f.message]),
        [
          [
            5,
            `Rule "web policy": ${word} waits for a person to answer a UserCheck page; a webhook's sender is a program, so its UserCheck object's fallback action (Accept or Drop, not in this paste) decides, and the rules below are never met. Read as dropped; use Accept for webhooks.`,
          ],
        ],
      );
    }
    const sh = parseCheckpoint(
      "mgmt_cli add access-rule layer Network position bottom name ask-web source Any service https action Ask -s sid.txt\nmgmt_cli add access-rule layer Network position bottom name webhooks source Any service https action Accept -s sid.txt\n",
    );
    assert.equal(verdict(sh, "13.232.152.1"), `13.232.152.1 → TCP 443: blocked by line 1 in ${LAYER}.`);
  });

  test("an access role is defined, and never matches a webhook's sender", () => {
    const json = rulebase(
      [rule("r1", "partners", "ar", "accept")],
      `,
    { "uid": "ar", "name": "Partners_AR", "type": "access-role", "networks": "any", "users": "any", "machines": "any" }`,
    );
    const out = parseCheckpoint(json);
    assert.match(verdict(out, "13.232.152.1"), /blocked — no rule/);
    assert.deepEqual(
      out.findings.map((f) => [f.line, f.kind, f.message]),
      [
        [
          5,
          "note",
          '"Partners_AR" is an access role: it matches identified users and machines only, never a webhook\'s sender.',
        ],
      ],
    );
  });

  test("ordered layers: each is a context of its own that must accept (they were one list, the first layer's Accept decided)", () => {
    const script = `mgmt_cli login user admin > sid.txt
mgmt_cli add network name fw-in subnet4 13.232.152.0 mask-length4 24 -s sid.txt
mgmt_cli add access-rule layer "Network" position bottom name "webhooks" source fw-in destination Any service https action Accept -s sid.txt
mgmt_cli add access-rule layer "Network" position bottom name "Cleanup rule" source Any destination Any service Any action Drop -s sid.txt
mgmt_cli add access-rule layer "Application" position top name "block IN" source fw-in destination Any service https action Drop -s sid.txt
mgmt_cli add access-rule layer "Application" position bottom name "Cleanup rule" source Any destination Any service Any action Accept -s sid.txt
mgmt_cli add access-rule layer "Network" position top name "lab" source Any service https action "Apply Layer" inline-layer "Lab rules" -s sid.txt
mgmt_cli add access-rule layer "Lab rules" position top name "lab https" source Any service https action Accept -s sid.txt
mgmt_cli publish -s sid.txt
`;
    const out = parseCheckpoint(script);
    assert.deepEqual(
      out.path?.contexts.map((c) => c.name),
      ["Check Point ordered layer Network", "Check Point ordered layer Application"],
    );
    assert.equal(
      verdict(out, "13.232.152.1"),
      "13.232.152.1 → TCP 443: blocked by line 7 in Check Point ordered layer Network.",
    );
    assert.deepEqual(
      out.findings.filter((f) => f.kind === "not-understood").map((f) => [f.line, f.message]),
      [
        [
          7,
          'Rule "lab" hands the connections it matches to the inline layer "Lab rules", whose rules are not in this paste: they never reach the rules below it, and are read as dropped by the inline layer\'s cleanup. Paste that layer\'s rulebase to check it.',
        ],
        [8, 'Layer "Lab rules" is applied as an inline layer: its rules are not read under their parent rule.'],
      ],
    );
    const noInline = parseCheckpoint(script.replace(/^.*Lab.*\n/gim, ""));
    assert.equal(
      verdict(noInline, "13.232.152.1"),
      "13.232.152.1 → TCP 443: blocked by line 2 in Check Point ordered layer Application.",
    );
    assert.equal(
      verdict(noInline, "52.1.37.96"),
      "52.1.37.96 → TCP 443: blocked by line 4 in Check Point ordered layer Network.",
    );
  });
});
