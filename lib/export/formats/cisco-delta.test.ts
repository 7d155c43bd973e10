// The missing delta of a compared Cisco ASA config lands inside the ACL that config binds inbound, ahead of its first
// entry that denies a missing entry: a new ACL bound nowhere filters nothing, and an entry appended after an explicit
// `deny ip any any` is never met (first match).
// Cisco ASA command reference, "access-list extended" / "access-list remark" (line line-num: the line at which to
// insert the ACE or remark; without it, the end of the ACL; remarks take line numbers too):
// https://www.cisco.com/c/en/us/td/docs/security/asa/asa-cli-reference/A-H/asa-command-ref-A-H/aa-ac-commands.html
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planExportRequest, type PlanCatalog } from "../../api/export-plan";
import { diff } from "../../diff/engines/objects";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { ciscoAsaParser } from "../../parse/vendors/cisco-asa";
import { assertGolden } from "../golden";
import { withDeltaTarget } from "../input-format";
import { exportOptionsSchema, renderExport } from "../prepare";

const CONFIG = `: Saved
ASA Version 9.16(4)
!
interface GigabitEthernet0/0
 nameif outside
 security-level 0
!
object-group network FRESHWORKS
 network-object host 52.1.32.88
 network-object host 18.208.240.77
access-list OUTSIDE_IN remark inbound webhooks
access-list OUTSIDE_IN extended permit tcp object-group FRESHWORKS any eq 443
access-list OUTSIDE_IN extended deny tcp host 198.51.100.7 any eq 443
access-list OUTSIDE_IN extended deny tcp any any eq 25
access-list OUTSIDE_IN extended deny ip any any log
access-list OUTSIDE_IN extended permit tcp any host 203.0.113.10 eq 80
access-group OUTSIDE_IN in interface outside
`;

const CATALOG: PlanCatalog = {
  providerName: "Freshworks",
  version: 1,
  checksum: "4ce552359fe97bd7",
  regionCodes: ["US", "EU", "IN", "AU"],
  catalog: SEED_CATALOG,
};

const diffOf = (text: string) => diff(SEED_CATALOG, ciscoAsaParser.parse(text), { regions: ["US"] });

/** The delta of `config` for the US region, as the API and the CLI compute it (`missingFrom`). */
function deltaOf(config: string, options: Record<string, unknown> = {}, format = "cisco-asa") {
  const plan = planExportRequest(CATALOG, {
    format,
    regions: "us",
    options: { namePrefix: "fw1-missing", ...options },
    missingFrom: { text: config, format: "cisco-asa" },
  });
  if (!plan.ok) assert.fail(`${plan.message} ${plan.issues.map((i) => i.message).join("; ")}`);
  return { text: plan.files[0]?.content ?? assert.fail("no file"), warnings: plan.warnings, options: plan.options };
}

/**
 * Pastes a delta into a running config as the ASA applies it: `access-list NAME line N …` goes in at the Nth line of
 * that ACL (remarks count), moving the line that held it down; without `line N` (or past the end) it goes after the
 * ACL's last line. Object-groups are defined ahead of the ACLs. Comments ("!") are dropped.
 */
function applyAsaDelta(config: string, delta: string): string {
  const lines = config.replace(/\n$/, "").split("\n");
  const objects: string[] = [];
  for (const cmd of delta.replace(/\n$/, "").split("\n")) {
    if (cmd.startsWith("!")) continue;
    const m = /^access-list (\S+)(?: line (\d+))? (.*)$/.exec(cmd);
    if (m === null) {
      objects.push(cmd);
      continue;
    }
    const [, acl, n, rest] = m as unknown as [string, string, string | undefined, string];
    const at = lines.flatMap((l, k) => (l.startsWith(`access-list ${acl} `) ? [k] : []));
    const last = at[at.length - 1] ?? assert.fail(`no ACL ${acl} in the config`);
    const k = n !== undefined && Number(n) <= at.length ? at[Number(n) - 1]! : last + 1;
    lines.splice(k, 0, `access-list ${acl} ${rest}`);
  }
  const firstAcl = lines.findIndex((l) => l.startsWith("access-list "));
  lines.splice(firstAcl, 0, ...objects);
  return `${lines.join("\n")}\n`;
}

describe("cisco-asa: the diff knows where the missing delta must go", () => {
  test("the bound inbound ACL and its first entry that denies a missing entry (remarks count as lines)", () => {
    const r = diffOf(CONFIG);
    assert.deepEqual(r.summary, { published: 14, covered: 2, partial: 0, missing: 12 });
    // Line 13 denies another host and line 14 another port: line 15 (ACL line 5) is the first a missing entry meets.
    assert.deepEqual(r.target, {
      kind: "asa-acl",
      name: "OUTSIDE_IN",
      boundOn: "in interface outside",
      deny: { line: 15, position: 5, after: 4, text: "access-list OUTSIDE_IN extended deny ip any any log" },
    });
    assert.deepEqual(
      r.path?.contexts[0]?.list?.rules.map((x) => [x.line, x.position]),
      [
        [11, 1],
        [12, 2],
        [13, 3],
        [14, 4],
        [15, 5],
        [16, 6],
      ],
    );
  });

  test("an entry written with `line 1` is numbered where the ASA puts it, not where the paste has it", () => {
    const text = CONFIG.replace(
      "access-group",
      "access-list OUTSIDE_IN line 1 extended deny tcp host 52.1.37.96 any eq 443\naccess-group",
    );
    assert.deepEqual(diffOf(text).target?.deny, {
      line: 17,
      position: 1,
      after: 0,
      text: "access-list OUTSIDE_IN line 1 extended deny tcp host 52.1.37.96 any eq 443",
    });
  });

  test("a deny reached through an object-group is named by its ACE, not by the group's member line", () => {
    const text = CONFIG.replace(
      "access-list OUTSIDE_IN remark",
      "object-group network BLOCKED\n network-object host 52.1.37.96\naccess-list OUTSIDE_IN remark",
    ).replace(
      "access-list OUTSIDE_IN extended deny tcp host 198.51.100.7 any eq 443",
      "access-list OUTSIDE_IN extended deny tcp object-group BLOCKED any eq 443",
    );
    assert.deepEqual(diffOf(text).target?.deny, {
      line: 15,
      position: 3,
      after: 2,
      text: "access-list OUTSIDE_IN extended deny tcp object-group BLOCKED any eq 443",
    });
  });

  test("an ACL bound nowhere is no target: nothing the delta adds to it would filter anything", () => {
    const text = CONFIG.replace("access-group OUTSIDE_IN in interface outside\n", "");
    assert.equal(diffOf(text).target, undefined);
  });

  test("the global ACL is the target when no ACL is bound inbound on the Internet-facing interface", () => {
    const text = CONFIG.replace("access-group OUTSIDE_IN in interface outside", "access-group OUTSIDE_IN global");
    assert.deepEqual(diffOf(text).target, {
      kind: "asa-acl",
      name: "OUTSIDE_IN",
      boundOn: "global",
      deny: { line: 15, position: 5, after: 4, text: "access-list OUTSIDE_IN extended deny ip any any log" },
    });
  });

  test("nothing denies a missing entry: no deny, the rules may be appended (the implicit deny comes after them)", () => {
    const text = CONFIG.replace("access-list OUTSIDE_IN extended deny ip any any log\n", "");
    assert.deepEqual(diffOf(text).target, { kind: "asa-acl", name: "OUTSIDE_IN", boundOn: "in interface outside" });
  });
});

describe("cisco-asa: the missing delta goes into the compared config's bound ACL", () => {
  test("by default it targets the compared ACL ahead of its first deny (golden)", () => {
    const d = deltaOf(CONFIG);
    assert.equal(d.options.targetAcl, "OUTSIDE_IN");
    assert.equal(d.options.targetLine, 5);
    assertGolden("cisco-asa", "missing-into-acl", "txt", d.text);
    assertGolden("cisco-asa", "missing-into-acl.warnings", "txt", `${d.warnings.join("\n")}\n`);
  });

  test("without comments: the permits alone, numbered from the deny's line", () => {
    // On 8443 the FRESHWORKS group (443 only) covers nothing: 52.1.32.88 and 18.208.240.77 are in this delta too.
    const d = deltaOf(CONFIG, { comments: false, ports: "443,8443" });
    assert.equal(
      d.text,
      [
        "object-group network fw1-missing-v4",
        " network-object host 18.208.240.77",
        " network-object host 34.231.139.135",
        " network-object host 34.231.245.167",
        " network-object 44.206.73.232 255.255.255.248",
        " network-object host 52.1.32.88",
        " network-object host 52.1.37.96",
        " network-object host 52.201.75.8",
        "access-list OUTSIDE_IN line 5 extended permit tcp object-group fw1-missing-v4 any eq 443",
        "access-list OUTSIDE_IN line 6 extended permit tcp object-group fw1-missing-v4 any eq 8443",
        "",
      ].join("\n"),
    );
  });

  test("a target given without a line appends (golden), and says it is met only if nothing above denies it", () => {
    const d = deltaOf(CONFIG, { targetAcl: "OUTSIDE_IN" });
    assert.equal(d.options.targetLine, undefined);
    assertGolden("cisco-asa", "missing-append-acl", "txt", d.text);
    assert.deepEqual(d.warnings, [
      "cisco-asa: the rules are appended to the existing ACL OUTSIDE_IN, after its last entry: they are met only if no entry above them denies them first",
    ]);
  });

  test("no bound ACL in the compared config: today's standalone ACL, with the warning to place it before any deny", () => {
    const d = deltaOf(CONFIG.replace("access-group OUTSIDE_IN in interface outside\n", ""));
    assert.equal(d.options.targetAcl, undefined);
    assert.match(d.text, /^access-list fw1-missing-in extended permit tcp object-group fw1-missing-v4 any eq 443$/m);
    assert.deepEqual(d.warnings, [
      "cisco-asa: fw1-missing-in is bound to no interface; 'access-group fw1-missing-in in interface outside' would replace the ACL bound there. If one is bound, add the permit lines to it with 'access-list <its name> line 1 extended permit ...' instead",
    ]);
  });

  test("another export format keeps its own output: the target is the ASA's", () => {
    const plan = planExportRequest(CATALOG, {
      format: "cisco-ios",
      regions: "us",
      options: {},
      missingFrom: { text: CONFIG, format: "cisco-asa" },
    });
    assert.equal(plan.ok, true);
    assert.equal(plan.ok && plan.options.targetAcl, undefined);
  });

  test("a format that cannot add to an existing ACL refuses a target", () => {
    const r = renderExport(
      "junos-srx",
      SEED_CATALOG,
      exportOptionsSchema.parse({ targetAcl: "OUTSIDE_IN", targetLine: "5" }),
      { regions: ["US"] },
    );
    assert.deepEqual(r, {
      ok: false,
      errors: ["Juniper SRX (set commands) cannot add its rules to an existing ACL (targetAcl OUTSIDE_IN)"],
    });
  });
});

describe("withDeltaTarget: the default the API, the CLI and the export panel share", () => {
  const target = { kind: "asa-acl", name: "OUTSIDE_IN", deny: { position: 5, after: 4 } } as const;
  const missing = exportOptionsSchema.parse({ scope: "missing" });
  test("a missing delta in the compared format takes the compared ACL and line", () => {
    const o = withDeltaTarget(missing, "cisco-asa", "cisco-asa", target);
    assert.deepEqual([o.targetAcl, o.targetLine, o.targetAfter], ["OUTSIDE_IN", 5, undefined]);
    const ios = withDeltaTarget(missing, "cisco-ios", "cisco-ios", { ...target, kind: "ios-acl" });
    assert.deepEqual([ios.targetAcl, ios.targetLine, ios.targetAfter], ["OUTSIDE_IN", 5, 4]);
    const appended = withDeltaTarget(missing, "cisco-asa", "cisco-asa", { kind: "asa-acl", name: "OUTSIDE_IN" });
    assert.deepEqual([appended.targetAcl, appended.targetLine], ["OUTSIDE_IN", undefined]);
  });
  test("the full list, another format, or a target the user gave: unchanged", () => {
    const full = exportOptionsSchema.parse({});
    assert.equal(withDeltaTarget(full, "cisco-asa", "cisco-asa", target), full);
    assert.equal(withDeltaTarget(missing, "cisco-ios", "cisco-asa", target), missing);
    assert.equal(withDeltaTarget(missing, "cisco-asa", "cisco-ios", target), missing);
    const given = exportOptionsSchema.parse({ scope: "missing", targetAcl: "OTHER" });
    assert.equal(withDeltaTarget(given, "cisco-asa", "cisco-asa", target), given);
  });
});

describe("cisco-asa: targetAcl and targetLine are validated like every option", () => {
  test("a line from a query string or JSON; a line needs an ACL; names and numbers out of range are refused", () => {
    assert.equal(exportOptionsSchema.parse({ targetAcl: "OUTSIDE_IN", targetLine: "4" }).targetLine, 4);
    assert.equal(exportOptionsSchema.parse({ targetAcl: "OUTSIDE_IN", targetLine: 4 }).targetLine, 4);
    const issues = (input: Record<string, unknown>) => {
      const r = exportOptionsSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    assert.deepEqual(issues({ targetLine: "4" }), ["targetLine: a line number needs targetAcl, the ACL it is in"]);
    assert.deepEqual(issues({ targetAcl: "OUTSIDE IN" }), [
      "targetAcl: an ACL name: 1 to 241 printable characters, no spaces",
    ]);
    assert.deepEqual(issues({ targetAcl: "A", targetLine: "0" }), ["targetLine: a line number from 1 to 2147483647"]);
    assert.deepEqual(issues({ targetAcl: "A", targetLine: "4x" }), ["targetLine: a line number from 1 to 2147483647"]);
  });
});

describe("cisco-asa: round trip — the config with the delta applied misses nothing", () => {
  test("applied as the ASA inserts `line N` (test helper), then re-diffed", () => {
    const applied = applyAsaDelta(CONFIG, deltaOf(CONFIG).text);
    const r = diffOf(applied);
    assert.deepEqual(r.summary, { published: 14, covered: 14, partial: 0, missing: 0 });
    // The remark and the permit took lines 5 and 6: the deny moved to line 7, after them.
    assert.equal(r.target?.deny, undefined);
    assert.deepEqual(
      r.path?.contexts[0]?.list?.rules.map((x) => x.position),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.match(
      applied,
      /^access-list OUTSIDE_IN extended permit tcp object-group fw1-missing-v4 any eq 443\naccess-list OUTSIDE_IN extended deny ip any any log$/m,
    );
  });

  test("pasted after the config as commands (the parser applies `line N` itself), then re-diffed on every port", () => {
    // On 8443 the FRESHWORKS group (443 only) covers nothing: the delta of 443,8443 holds all 14 US entries.
    const delta = deltaOf(CONFIG, { ports: "443,8443" }).text;
    for (const text of [CONFIG + delta, applyAsaDelta(CONFIG, delta)]) {
      for (const port of [443, 8443]) {
        const r = diff(SEED_CATALOG, ciscoAsaParser.parse(text), { regions: ["US"], port });
        assert.deepEqual(r.summary, { published: 14, covered: 14, partial: 0, missing: 0 }, `port ${port}`);
      }
    }
  });

  test("appended after the explicit deny, or as a new ACL bound nowhere, the same permits change nothing", () => {
    const appended = applyAsaDelta(CONFIG, deltaOf(CONFIG, { targetAcl: "OUTSIDE_IN" }).text);
    assert.deepEqual(diffOf(appended).summary, { published: 14, covered: 2, partial: 0, missing: 12 });
    const standalone = renderExport(
      "cisco-asa",
      SEED_CATALOG,
      exportOptionsSchema.parse({ namePrefix: "fw1-missing", scope: "missing" }),
      { regions: ["US"] },
    );
    assert.ok(standalone.ok);
    const text = CONFIG + (standalone.ok ? standalone.files[0]!.content : "");
    assert.deepEqual(diffOf(text).summary, { published: 14, covered: 2, partial: 0, missing: 12 });
  });
});
