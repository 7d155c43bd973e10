// The missing delta of a compared Junos SRX config goes into the zone pair that config passes an inbound connection
// through, ahead of the first of its policies that denies or rejects a missing entry. Security policies of a zone
// pair are evaluated in order, first match, then the global policies, then the default policy (deny-all): Junos
// "Configuring Security Policies",
// https://www.juniper.net/documentation/us/en/software/junos/security-policies/topics/topic-map/security-policy-configuration.html
// A new policy goes last in its zone pair; `insert security policies from-zone A to-zone B policy NEW before policy P`
// moves it right ahead of P in that pair: Junos CLI reference, "insert",
// https://www.juniper.net/documentation/us/en/software/junos/cli-reference/topics/ref/command/insert.html
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planExportRequest, type PlanCatalog } from "../../api/export-plan";
import { diff } from "../../diff/engines/objects";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { junosParser } from "../../parse/vendors/junos";
import { junosHierarchyParser } from "../../parse/vendors/junos-hierarchy";
import { assertGolden } from "../golden";
import { withDeltaTarget } from "../input-format";
import { exportOptionsSchema, renderExport } from "../prepare";

const POLICY = "set security policies from-zone internet to-zone dmz policy";
const CONFIG = `set interfaces ge-0/0/0 description "Uplink to ISP"
set interfaces ge-0/0/0 unit 0 family inet address 203.0.113.2/30
set security zones security-zone internet interfaces ge-0/0/0.0
set security zones security-zone dmz interfaces ge-0/0/1.0
set security address-book global address FW-US 52.1.37.96/32
set security address-book global address SCANNER 52.1.32.88/32
set security address-book global address WEB 192.0.2.10/32
${POLICY} webhooks match source-address FW-US
${POLICY} webhooks match destination-address any
${POLICY} webhooks match application junos-https
${POLICY} webhooks then permit
${POLICY} block-smtp match source-address any
${POLICY} block-smtp match destination-address any
${POLICY} block-smtp match application junos-smtp
${POLICY} block-smtp then deny
${POLICY} block-scanner match source-address SCANNER
${POLICY} block-scanner match destination-address any
${POLICY} block-scanner match application any
${POLICY} block-scanner then reject
${POLICY} deny-all match source-address any
${POLICY} deny-all match destination-address any
${POLICY} deny-all match application any
${POLICY} deny-all then deny
${POLICY} web match source-address any
${POLICY} web match destination-address WEB
${POLICY} web match application junos-http
${POLICY} web then permit
`;

/** A second zone reached from the Internet-facing one: the service's zone (which pair the delta joins) is unknown. */
const LAN = `set security policies from-zone internet to-zone lan policy x match source-address any
set security policies from-zone internet to-zone lan policy x match destination-address any
set security policies from-zone internet to-zone lan policy x match application any
set security policies from-zone internet to-zone lan policy x then deny
`;

const HIERARCHY = `interfaces {
    ge-0/0/0 {
        description "Uplink to ISP";
        unit 0 {
            family inet {
                address 203.0.113.2/30;
            }
        }
    }
}
security {
    address-book {
        global {
            address FW-US 52.1.37.96/32;
        }
    }
    zones {
        security-zone internet {
            interfaces {
                ge-0/0/0.0;
            }
        }
        security-zone dmz {
            interfaces {
                ge-0/0/1.0;
            }
        }
    }
    policies {
        from-zone internet to-zone dmz {
            policy webhooks {
                match {
                    source-address FW-US;
                    destination-address any;
                    application junos-https;
                }
                then {
                    permit;
                }
            }
            policy deny-all {
                match {
                    source-address any;
                    destination-address any;
                    application any;
                }
                then {
                    deny;
                }
            }
        }
    }
}
`;

const CATALOG: PlanCatalog = {
  providerName: "Freshworks",
  version: 1,
  checksum: "4ce552359fe97bd7",
  regionCodes: ["US", "EU", "IN", "AU"],
  catalog: SEED_CATALOG,
};

const diffOf = (text: string, port = 443) => diff(SEED_CATALOG, junosParser.parse(text), { regions: ["US"], port });

/** The delta of `config` for the US region, as the API and the CLI compute it (`missingFrom`). */
function deltaOf(config: string, options: Record<string, unknown> = {}, listFormat = "junos") {
  const plan = planExportRequest(CATALOG, {
    format: "junos-srx",
    regions: "us",
    options: { namePrefix: "fw1-missing", ...options },
    missingFrom: { text: config, format: listFormat },
  });
  if (!plan.ok) assert.fail(`${plan.message} ${plan.issues.map((i) => i.message).join("; ")}`);
  return { text: plan.files[0]?.content ?? assert.fail("no file"), warnings: plan.warnings, options: plan.options };
}

/**
 * Applies a delta to a set-format config as the SRX does (test helper): each `set` line is added, so a new policy
 * goes last in its zone pair; `insert security policies from-zone A to-zone B policy X before policy Y` moves all of
 * X's lines right ahead of Y's first line, within that zone pair (Junos "insert", URL above). Comments ("#") are
 * dropped.
 */
function applyJunosDelta(config: string, delta: string): string {
  const lines = config.replace(/\n$/, "").split("\n");
  for (const cmd of delta.replace(/\n$/, "").split("\n")) {
    if (cmd.startsWith("#")) continue;
    const m = /^insert security policies from-zone (\S+) to-zone (\S+) policy (\S+) before policy (\S+)$/.exec(cmd);
    if (m === null) {
      assert.match(cmd, /^set /);
      lines.push(cmd);
      continue;
    }
    const [, from, to, moved, before] = m as unknown as [string, string, string, string, string];
    const pair = `set security policies from-zone ${from} to-zone ${to} policy`;
    const own = lines.filter((l) => l.startsWith(`${pair} ${moved} `));
    assert.notEqual(own.length, 0, `no policy ${moved} in ${from} → ${to}`);
    const rest = lines.filter((l) => !l.startsWith(`${pair} ${moved} `));
    const at = rest.findIndex((l) => l.startsWith(`${pair} ${before} `));
    assert.notEqual(at, -1, `no policy ${before} in ${from} → ${to}`);
    rest.splice(at, 0, ...own);
    lines.splice(0, lines.length, ...rest);
  }
  return `${lines.join("\n")}\n`;
}

describe("junos: the diff knows where the missing delta must go", () => {
  test("the on-path zone pair and its first policy that denies or rejects a missing entry", () => {
    const r = diffOf(CONFIG);
    assert.deepEqual(r.summary, { published: 14, covered: 1, partial: 0, missing: 13 });
    // block-smtp denies port 25 only; block-scanner rejects 52.1.32.88, a missing US entry, on 443.
    assert.deepEqual(r.target, {
      kind: "junos-policies",
      name: "from-zone internet to-zone dmz",
      boundOn: "from-zone internet to-zone dmz",
      zones: { from: "internet", to: "dmz" },
      deny: {
        line: 16,
        position: 3,
        after: 2,
        text: `${POLICY} block-scanner match source-address SCANNER`,
        name: "block-scanner",
      },
    });
    assert.deepEqual(
      r.path?.contexts[0]?.list?.rules.map((x) => [x.line, x.position, x.name]),
      [
        [8, 1, "webhooks"],
        [12, 2, "block-smtp"],
        [16, 3, "block-scanner"],
        [20, 4, "deny-all"],
        [24, 5, "web"],
      ],
    );
  });

  test("a policy moved by insert in the paste is numbered where the device evaluates it", () => {
    const text = `${CONFIG}insert security policies from-zone internet to-zone dmz policy deny-all before policy webhooks\n`;
    const r = diffOf(text);
    assert.deepEqual(r.summary, { published: 14, covered: 0, partial: 0, missing: 14 });
    assert.deepEqual(r.target?.deny, {
      line: 20,
      position: 1,
      after: 0,
      text: `${POLICY} deny-all match source-address any`,
      name: "deny-all",
    });
  });

  test("nothing in the pair denies a missing entry: no deny, the policy may go last (the default policy follows)", () => {
    const text = CONFIG.split("\n")
      .filter((l) => !/ policy (?:block-scanner|deny-all) /.test(l))
      .join("\n");
    assert.deepEqual(diffOf(text).target, {
      kind: "junos-policies",
      name: "from-zone internet to-zone dmz",
      boundOn: "from-zone internet to-zone dmz",
      zones: { from: "internet", to: "dmz" },
    });
  });

  test("two zones reached from the Internet-facing one: the service's zone is not known, no target", () => {
    assert.equal(diffOf(CONFIG + LAN).target, undefined);
  });

  test("the hierarchy reader gives the same target, named by its own lines", () => {
    const r = diff(SEED_CATALOG, junosHierarchyParser.parse(HIERARCHY), { regions: ["US"] });
    assert.deepEqual(r.summary, { published: 14, covered: 1, partial: 0, missing: 13 });
    assert.deepEqual(r.target, {
      kind: "junos-policies",
      name: "from-zone internet to-zone dmz",
      boundOn: "from-zone internet to-zone dmz",
      zones: { from: "internet", to: "dmz" },
      deny: { line: 43, position: 2, after: 1, text: "source-address any;", name: "deny-all" },
    });
  });
});

describe("junos-srx: the missing delta goes into the compared zone pair, inserted ahead of its first deny", () => {
  test("by default the config's zones and an insert before the first deny (golden)", () => {
    const d = deltaOf(CONFIG);
    assert.deepEqual(
      [d.options.targetFromZone, d.options.targetToZone, d.options.targetPolicy],
      ["internet", "dmz", "block-scanner"],
    );
    assertGolden("junos-srx", "missing-insert-before", "set", d.text);
    assertGolden("junos-srx", "missing-insert-before.warnings", "txt", `${d.warnings.join("\n")}\n`);
    // Read back pasted after the config it was made for, every line of it is understood (the insert finds its
    // policies): the only finding is the config's own (an address used by a deny policy alone).
    const findings = (text: string) =>
      junosParser
        .parse(text)
        .findings.filter((f) => f.kind !== "note")
        .map((f) => `${f.line}: ${f.kind} ${f.text}`);
    assert.deepEqual(findings(CONFIG + d.text), [
      "6: unused-object set security address-book global address SCANNER 52.1.32.88/32",
    ]);
    assert.deepEqual(findings(CONFIG + d.text), findings(CONFIG));
  });

  test("a hierarchy config is exported in set commands with its zones and deny-all policy", () => {
    const d = deltaOf(HIERARCHY, { comments: false }, "junos-hierarchy");
    assert.deepEqual(
      [d.options.targetFromZone, d.options.targetToZone, d.options.targetPolicy],
      ["internet", "dmz", "deny-all"],
    );
    const policyLines = d.text.split("\n").filter((l) => / policies /.test(l));
    assert.deepEqual(policyLines, [
      "set security policies from-zone internet to-zone dmz policy fw1-missing-in match source-address fw1-missing",
      "set security policies from-zone internet to-zone dmz policy fw1-missing-in match destination-address any",
      "set security policies from-zone internet to-zone dmz policy fw1-missing-in match application junos-https",
      "set security policies from-zone internet to-zone dmz policy fw1-missing-in then permit",
      "insert security policies from-zone internet to-zone dmz policy fw1-missing-in before policy deny-all",
    ]);
  });

  test("zones given without a policy: the policy goes last in that pair (golden), and the plan says so", () => {
    const d = deltaOf(CONFIG, { targetFromZone: "internet", targetToZone: "dmz" });
    assert.equal(d.options.targetPolicy, undefined);
    assertGolden("junos-srx", "missing-append-pair", "set", d.text);
    assert.deepEqual(d.warnings, [
      "junos-srx: the policy goes last in from-zone internet to-zone dmz, after its existing policies: it is met only if none of them denies the connection first",
    ]);
  });

  test("no single zone pair on the path: today's untrust → trust policy with the warning to insert it", () => {
    const d = deltaOf(CONFIG + LAN);
    assert.equal(d.options.targetFromZone, undefined);
    assert.match(d.text, /^set security policies from-zone untrust to-zone trust policy fw1-missing-in then permit$/m);
    assert.doesNotMatch(d.text, /^insert /m);
    assert.deepEqual(d.warnings, [
      "junos-srx: the policy goes last in from-zone untrust to-zone trust (use your zone names), below any deny policy there, where it never matches: then run insert security policies from-zone untrust to-zone trust policy fw1-missing-in before policy <your first policy>",
    ]);
  });
});

describe("withDeltaTarget: Junos zone pairs", () => {
  const target = {
    kind: "junos-policies",
    name: "from-zone internet to-zone dmz",
    zones: { from: "internet", to: "dmz" },
    deny: { position: 3, after: 2, name: "block-scanner" },
  } as const;
  const missing = exportOptionsSchema.parse({ scope: "missing" });
  test("junos and junos-hierarchy inputs default the junos-srx export to the pair and the deny's policy", () => {
    for (const input of ["junos", "junos-hierarchy"] as const) {
      const o = withDeltaTarget(missing, "junos-srx", input, target);
      assert.deepEqual(
        [o.targetFromZone, o.targetToZone, o.targetPolicy, o.targetAcl],
        ["internet", "dmz", "block-scanner", undefined],
      );
    }
    const noDeny = withDeltaTarget(missing, "junos-srx", "junos", { ...target, deny: undefined });
    assert.deepEqual([noDeny.targetFromZone, noDeny.targetToZone, noDeny.targetPolicy], ["internet", "dmz", undefined]);
  });
  test("the full list, another format, or zones the user gave: unchanged", () => {
    assert.equal(
      withDeltaTarget(exportOptionsSchema.parse({}), "junos-srx", "junos", target).targetFromZone,
      undefined,
    );
    assert.equal(withDeltaTarget(missing, "cisco-asa", "junos", target), missing);
    const given = exportOptionsSchema.parse({ scope: "missing", targetFromZone: "a", targetToZone: "b" });
    assert.equal(withDeltaTarget(given, "junos-srx", "junos", target), given);
  });
});

describe("junos-srx: targetFromZone, targetToZone and targetPolicy are validated like every option", () => {
  const issues = (input: Record<string, unknown>) => {
    const r = exportOptionsSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };
  test("a policy needs both zones; names are Junos words", () => {
    assert.deepEqual(issues({ targetFromZone: "internet", targetToZone: "dmz", targetPolicy: "deny-all" }), []);
    assert.deepEqual(issues({ targetPolicy: "deny-all" }), [
      "targetPolicy: a policy needs targetFromZone and targetToZone, the zone pair it is in",
    ]);
    assert.deepEqual(issues({ targetFromZone: "internet" }), ["targetToZone: the zone pair needs both zones"]);
    assert.deepEqual(issues({ targetFromZone: "inter net", targetToZone: "dmz" }), [
      "targetFromZone: a Junos name: a letter or digit, then up to 62 letters, digits, '.', '_', ':', '/' or '-'",
    ]);
  });
  test("a format without zone pairs refuses them", () => {
    const r = renderExport(
      "cisco-asa",
      SEED_CATALOG,
      exportOptionsSchema.parse({ targetFromZone: "internet", targetToZone: "dmz" }),
      { regions: ["US"] },
    );
    assert.deepEqual(r, {
      ok: false,
      errors: [
        "Cisco ASA (object-group + access-list) cannot add its rules to a zone pair's policies (targetFromZone internet)",
      ],
    });
  });
});

describe("junos-srx: round trip — the config with the delta applied misses nothing", () => {
  test("applied as the SRX does (set appends, insert moves; test helper), then re-diffed", () => {
    const applied = applyJunosDelta(CONFIG, deltaOf(CONFIG).text);
    const r = diffOf(applied);
    assert.deepEqual(r.summary, { published: 14, covered: 14, partial: 0, missing: 0 });
    assert.equal(r.target?.deny, undefined);
    assert.deepEqual(
      r.path?.contexts[0]?.list?.rules.map((x) => x.name),
      ["webhooks", "block-smtp", "fw1-missing-in", "block-scanner", "deny-all", "web"],
    );
  });

  test("pasted after the config as commands (the reader applies insert itself), then re-diffed on every port", () => {
    // On 8443 the webhooks policy (junos-https) covers nothing: the delta of 443,8443 holds all 14 US entries.
    const delta = deltaOf(CONFIG, { ports: "443,8443" }).text;
    for (const text of [CONFIG + delta, applyJunosDelta(CONFIG, delta)]) {
      for (const port of [443, 8443]) {
        assert.deepEqual(
          diffOf(text, port).summary,
          { published: 14, covered: 14, partial: 0, missing: 0 },
          `port ${port}`,
        );
      }
    }
  });

  test("appended without the insert, after the deny-all policy, the same permit changes nothing", () => {
    const delta = deltaOf(CONFIG).text;
    const appended = applyJunosDelta(
      CONFIG,
      delta
        .split("\n")
        .filter((l) => !l.startsWith("insert "))
        .join("\n"),
    );
    assert.deepEqual(diffOf(appended).summary, { published: 14, covered: 1, partial: 0, missing: 13 });
    assert.equal(diffOf(appended).target?.deny?.name, "block-scanner");
  });
});
