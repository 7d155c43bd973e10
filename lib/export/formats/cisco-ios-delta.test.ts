// The missing delta of a compared Cisco IOS config lands inside the named extended ACL bound inbound on the
// Internet-facing interface, numbered between the entry before its first deny of a missing entry and that deny:
// an ACL bound nowhere filters nothing, and an entry without a number goes last, after the deny.
// Cisco "Configure Commonly Used IP ACLs" (ip access-list extended NAME, then "15 permit …" between 10 and 20):
// https://www.cisco.com/c/en/us/support/docs/ip/access-lists/26448-ACLsamples.html
// Cisco IOS XE "IP Access List Entry Sequence Numbering" (resequence; an entry without a number goes last):
// https://www.cisco.com/c/en/us/td/docs/ios-xml/ios/sec_data_acl/configuration/xe-16/sec-data-acl-xe-16-book/sec-acl-seq-num.html
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planExportRequest, type PlanCatalog } from "../../api/export-plan";
import { diff } from "../../diff/engines/objects";
import { SEED_CATALOG } from "../../diff/seed.fixture";
import { ciscoIosParser } from "../../parse/vendors/cisco-ios";
import { assertGolden } from "../golden";
import { exportOptionsSchema, renderExport } from "../prepare";

const CONFIG = `hostname edge
!
interface GigabitEthernet0/0
 description Internet uplink
 ip address 198.51.100.2 255.255.255.0
 ip nat outside
 ip access-group OUTSIDE_IN in
!
ip access-list extended OUTSIDE_IN
 remark inbound webhooks
 10 permit tcp host 52.1.32.88 any eq 443
 20 permit tcp host 18.208.240.77 any eq 443
 30 deny tcp host 198.51.100.7 any eq 443
 40 deny ip any any log
 50 permit tcp any any eq 80
!
`;

const CATALOG: PlanCatalog = {
  providerName: "Freshworks",
  version: 1,
  checksum: "4ce552359fe97bd7",
  regionCodes: ["US", "EU", "IN", "AU"],
  catalog: SEED_CATALOG,
};

const diffOf = (text: string, port = 443) => diff(SEED_CATALOG, ciscoIosParser.parse(text), { regions: ["US"], port });

function planOf(config: string, options: Record<string, unknown> = {}) {
  return planExportRequest(CATALOG, {
    format: "cisco-ios",
    regions: "us",
    options: { namePrefix: "fw1-missing", ...options },
    missingFrom: { text: config, format: "cisco-ios" },
  });
}

function deltaOf(config: string, options: Record<string, unknown> = {}) {
  const plan = planOf(config, options);
  if (!plan.ok) assert.fail(`${plan.message} ${plan.issues.map((i) => i.message).join("; ")}`);
  return { text: plan.files[0]?.content ?? assert.fail("no file"), warnings: plan.warnings, options: plan.options };
}

/**
 * Pastes a delta into a config as IOS applies it: in the `ip access-list extended NAME` block, an entry numbered N
 * goes ahead of the first entry numbered above N; one without a number goes after the last. "!" lines are dropped.
 */
function applyIosDelta(config: string, delta: string): string {
  const lines = config.replace(/\n$/, "").split("\n");
  let acl: string | undefined;
  for (const cmd of delta.replace(/\n$/, "").split("\n")) {
    if (cmd.startsWith("!")) continue;
    const head = /^ip access-list extended (\S+)$/.exec(cmd);
    if (head !== null) {
      acl = head[1];
      continue;
    }
    const start = lines.indexOf(`ip access-list extended ${acl ?? assert.fail("entry outside an ACL block")}`);
    let end = start + 1;
    while (end < lines.length && lines[end]!.startsWith(" ")) end++;
    const n = /^ (\d+) /.exec(cmd)?.[1];
    let at = end;
    if (n !== undefined) {
      for (let k = start + 1; k < end; k++) {
        const seq = /^ (\d+) /.exec(lines[k]!)?.[1];
        if (seq !== undefined && Number(seq) > Number(n)) {
          at = k;
          break;
        }
      }
    }
    lines.splice(at, 0, cmd);
  }
  return `${lines.join("\n")}\n`;
}

describe("cisco-ios: the diff knows where the missing delta must go", () => {
  test("the ACL bound inbound on the uplink, its first deny of a missing entry and the entry before it", () => {
    const r = diffOf(CONFIG);
    assert.deepEqual(r.summary, { published: 14, covered: 2, partial: 0, missing: 12 });
    // 30 denies another host: 40 is the first deny a missing entry meets.
    assert.deepEqual(r.target, {
      kind: "ios-acl",
      name: "OUTSIDE_IN",
      boundOn: "in on GigabitEthernet0/0",
      deny: { line: 14, position: 40, after: 30, text: "40 deny ip any any log" },
    });
  });

  test("an entry written later with a lower number is evaluated, and numbered, where IOS puts it", () => {
    const text = `${CONFIG}ip access-list extended OUTSIDE_IN\n 15 deny tcp host 52.1.37.96 any eq 443\n`;
    assert.deepEqual(diffOf(text).target?.deny, {
      line: 18,
      position: 15,
      after: 10,
      text: "15 deny tcp host 52.1.37.96 any eq 443",
    });
  });

  test("an ACL bound nowhere is no target", () => {
    assert.equal(diffOf(CONFIG.replace(" ip access-group OUTSIDE_IN in\n", "")).target, undefined);
  });
});

describe("cisco-ios: the missing delta goes into the bound ACL, numbered ahead of its first deny", () => {
  test("by default it takes the numbers between 30 and 40 (golden)", () => {
    const d = deltaOf(CONFIG);
    assert.deepEqual([d.options.targetAcl, d.options.targetLine, d.options.targetAfter], ["OUTSIDE_IN", 40, 30]);
    assertGolden("cisco-ios", "missing-into-acl", "txt", d.text);
    assert.deepEqual(d.warnings, [
      "cisco-ios: the rules go into the existing ACL OUTSIDE_IN numbered between its entries 30 and 40, ahead of entry 40 (the first that denies a missing entry), so they are met before it; nothing is bound or replaced",
    ]);
  });

  test("more entries than free numbers: refused, with the resequence that makes room", () => {
    const plan = planOf(CONFIG, { ports: "443,8443" });
    assert.deepEqual(plan.ok ? [] : plan.issues.map((i) => i.message), [
      "cisco-ios: 14 entries do not fit between sequence numbers 30 and 40 of OUTSIDE_IN: renumber it first (ip access-list resequence OUTSIDE_IN 10 150), compare again and export",
    ]);
    const resequenced = CONFIG.replace(/^ (\d+) /gm, (_, n: string) => ` ${(Number(n) / 10) * 150 - 140} `);
    const d = deltaOf(resequenced, { ports: "443,8443", comments: false });
    assert.deepEqual([d.options.targetLine, d.options.targetAfter], [460, 310]);
    assert.equal(d.text.split("\n")[1], " 320 permit tcp host 18.208.240.77 any eq 443");
  });

  test("a targetLine without the entry before it is refused; IPv6 prefixes cannot go into an IPv4 ACL", () => {
    const r = renderExport(
      "cisco-ios",
      [...SEED_CATALOG, { cidr: "2406:da00:ff00::/48", region: "US", products: ["Freshchat"] }],
      exportOptionsSchema.parse({ targetAcl: "OUTSIDE_IN", targetLine: "40" }),
      { regions: ["US"] },
    );
    assert.deepEqual(r, {
      ok: false,
      errors: [
        "cisco-ios: IPv6 prefix 2406:da00:ff00::/48 cannot go into OUTSIDE_IN: ip access-group filters IPv4 only (export IPv6 with family 6, without targetAcl)",
        "cisco-ios: targetLine 40 needs targetAfter, the sequence number of the entry before it",
      ],
    });
  });
});

describe("cisco-ios: round trip — the config with the delta applied misses nothing", () => {
  test("applied as IOS places numbered entries (test helper) and pasted after the config: nothing missing", () => {
    const delta = deltaOf(CONFIG).text;
    const applied = applyIosDelta(CONFIG, delta);
    assert.match(applied, /^ 35 permit tcp host 52\.201\.75\.8 any eq 443\n 40 deny ip any any log$/m);
    for (const text of [applied, CONFIG + delta]) {
      assert.deepEqual(diffOf(text).summary, { published: 14, covered: 14, partial: 0, missing: 0 });
    }
  });

  test("the same permits without numbers go after the deny and change nothing", () => {
    const delta = deltaOf(CONFIG, { targetAcl: "OUTSIDE_IN" }).text;
    assert.deepEqual(diffOf(applyIosDelta(CONFIG, delta)).summary, {
      published: 14,
      covered: 2,
      partial: 0,
      missing: 12,
    });
    assert.deepEqual(diffOf(CONFIG + delta).summary, { published: 14, covered: 2, partial: 0, missing: 12 });
  });
});
