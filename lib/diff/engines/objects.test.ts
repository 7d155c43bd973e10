import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { parseTerm } from "../../parse/plain";
import { parsePlain } from "../../parse/plain";
import type { Entry, ParseOutput } from "../../parse/types";
import type { PublishedEntry } from "../../catalog/types";
import { diff } from "./objects";
import { PRODUCTS, SEED_CATALOG } from "../seed.fixture";

function e(line: number, token: string, extra: Partial<Entry> = {}): Entry {
  const t = parseTerm(token);
  if (!t.ok) throw new Error(token);
  return {
    line,
    text: `line ${line}`,
    token,
    range: t.range,
    kind: t.kind,
    ...(t.prefix ? { prefix: t.prefix } : {}),
    action: "allow",
    direction: "in",
    ...extra,
  };
}

function out(entries: Entry[], findings: ParseOutput["findings"] = []): ParseOutput {
  return { format: "plain", entries, findings, lineCount: entries.length, notes: [] };
}

const CAT: PublishedEntry[] = [
  { cidr: "52.1.37.96/32", region: "US", products: PRODUCTS },
  { cidr: "52.1.32.88/31", region: "US", products: PRODUCTS },
  { cidr: "3.74.148.8/32", region: "EU", products: PRODUCTS },
  { cidr: "2001:db8::/126", region: "EU", products: PRODUCTS },
];

describe("diff", () => {
  test("a rule of TCP and UDP (ASA tcp-udp): its UDP entry is another service, not a wrong port, when its TCP entry allows", () => {
    const port443 = [{ from: 443, to: 443 }];
    const parsed = out([
      e(1, "52.1.37.96", { protocol: "tcp", ports: port443 }),
      e(1, "52.1.37.96", { protocol: "udp", ports: port443 }),
      // A UDP-only rule keeps its finding: no entry of that rule allows TCP 443.
      e(2, "52.1.32.88", { protocol: "udp", ports: port443 }),
    ]);
    assert.deepEqual(
      diff(CAT, parsed, { regions: ["US"] }).entries.map((v) => [v.line, v.status, v.flags, v.message]),
      [
        [1, "covers", [], "Allows 52.1.37.96/32 (US) exactly."],
        [1, "unrelated", [], "Only UDP 443: another service, it does not decide TCP 443 for these webhooks."],
        [2, "unrelated", ["wrong-port"], "Only UDP 443 — TCP port 443 is not allowed."],
      ],
    );
  });

  // An object's member (or a YAML anchor's peers) used by a rule on 8080 and by one on 443: the member's line does let
  // the address in on 443, and "Wrong port: Only TCP 8080" on it read as if it did not.
  test("an address line two rules reach: no wrong port on it when the other rule allows the checked port", () => {
    const parsed = out([
      e(4, "52.1.37.96", { protocol: "tcp", ports: [{ from: 8080, to: 8080 }], ruleLine: 5 }),
      e(4, "52.1.37.96", { protocol: "tcp", ports: [{ from: 443, to: 443 }], ruleLine: 6 }),
      e(9, "52.1.32.88", { protocol: "tcp", ports: [{ from: 8080, to: 8080 }], ruleLine: 5 }),
    ]);
    assert.deepEqual(
      diff(CAT, parsed, { regions: ["US"] }).entries.map((v) => [v.line, v.status, v.flags, v.message]),
      [
        [4, "unrelated", [], "Only TCP 8080: another service, it does not decide TCP 443 for these webhooks."],
        [4, "covers", [], "Allows 52.1.37.96/32 (US) exactly."],
        [9, "unrelated", ["wrong-port"], "Only TCP 8080 — the checked port 443 is not allowed."],
      ],
    );
  });

  test("an allow before a deny and a wider allow is needed, not redundant; after the wider allow it is", () => {
    // iptables(8): the first rule that matches decides. Without line 1, line 2 drops 52.1.37.96: line 1 is the only
    // rule that lets it in, and "Redundant" (inside line 3's /8) advised removing it.
    const flags = (entries: Entry[]) =>
      diff(CAT, out(entries), { regions: ["US"] }).entries.map((v) => [v.line, v.status, v.flags]);
    assert.deepEqual(flags([e(1, "52.1.37.96"), e(2, "52.0.0.0/8", { action: "deny" }), e(3, "52.0.0.0/8")]), [
      [1, "covers", []],
      [2, "deny", []],
      [3, "unrelated", ["overbroad", "shadowed"]],
    ]);
    // A deny between them that takes none of its addresses leaves it redundant: removing it changes nothing.
    assert.deepEqual(flags([e(1, "52.1.37.96"), e(2, "10.0.0.0/8", { action: "deny" }), e(3, "52.0.0.0/8")]), [
      [1, "covers", ["redundant"]],
      [2, "deny", []],
      [3, "covers", ["overbroad"]],
    ]);
    // A deny of another port does not decide TCP 443 either.
    assert.deepEqual(
      flags([
        e(1, "52.1.37.96"),
        e(2, "52.0.0.0/8", { action: "deny", protocol: "tcp", ports: [{ from: 22, to: 22 }] }),
        e(3, "52.0.0.0/8"),
      ])[0],
      [1, "covers", ["redundant"]],
    );
    // After the wider allow it never decides anything: redundant whatever follows.
    assert.deepEqual(flags([e(1, "52.0.0.0/8"), e(2, "52.1.37.96"), e(3, "52.0.0.0/8", { action: "deny" })])[1], [
      2,
      "unrelated",
      ["redundant"],
    ]);
  });

  test("an allow shadowed in part names what the earlier deny keeps, beside what it lets in", () => {
    // ASA: "deny tcp host 52.1.32.88 any" then "permit tcp 52.1.0.0 255.255.0.0 any eq https". The permit's finding is
    // "Shadowed", and its message used to name only 52.1.37.96, which it does let in.
    const parsed = out([e(7, "52.1.32.88", { action: "deny" }), e(8, "52.1.0.0/16")]);
    assert.deepEqual(
      diff(CAT, parsed, { regions: ["US"] }).entries.map((v) => [v.line, v.flags, v.message]),
      [
        [7, [], "Denies 52.1.32.88/31 (US): webhooks from it will be blocked."],
        [
          8,
          ["shadowed"],
          "Allows 52.1.37.96/32 (US), 52.1.32.88/31 (US) through the broader CIDR 52.1.0.0/16; line 7 already denies 52.1.32.88/31 (US).",
        ],
      ],
    );
  });

  test("a rule that decides nothing new names the lines that decided first, in evaluation order", () => {
    // Windows Defender Firewall puts block rules first whatever their line (windows.ts): the deny on line 6 is
    // evaluated before the allow on line 5, and the message says so rather than "an earlier line".
    const blockFirst = out([e(6, "3.74.148.8", { action: "deny" }), e(5, "3.74.148.8")]);
    assert.deepEqual(
      diff(CAT, blockFirst, { regions: ["EU"] }).entries.map((v) => [v.line, v.status, v.message]),
      [
        [6, "deny", "Denies 3.74.148.8/32 (EU): webhooks from it will be blocked."],
        [5, "unrelated", "Allows 3.74.148.8/32 (EU), but line 6 (evaluated before this rule) already denies it."],
      ],
    );
    // The two halves of 52.1.32.88/31 decided by two lines (one allow, one deny): a wider allow names both deniers
    // and allowers it comes after; a fifth rule names three and "others".
    const pieces = out([
      e(1, "52.1.32.88"),
      e(2, "52.1.32.89", { action: "deny" }),
      e(3, "52.1.32.88/31"),
      e(4, "52.1.37.96"),
      e(5, "52.1.37.96/32", { ruleLine: 9 }),
      e(6, "52.1.37.96", { ruleLine: 4 }),
      e(7, "0.0.0.0/0", { action: "deny", kind: "any" }),
    ]);
    assert.deepEqual(
      diff(CAT, pieces, { regions: ["US"] }).entries.map((v) => [v.line, v.message]),
      [
        [1, "Allows 52.1.32.88/31 (US) through 52.1.32.88."],
        [2, "Denies 52.1.32.88/31 (US): webhooks from it will be blocked."],
        [3, "Allows 52.1.32.88/31 (US), but line 2 already denies it."],
        [4, "Allows 52.1.37.96/32 (US) exactly."],
        [5, "Allows 52.1.37.96/32 (US), already allowed by line 4."],
        [6, "Allows 52.1.37.96/32 (US), already allowed by this same rule."],
        [7, "Denies 52.1.37.96/32 (US), 52.1.32.88/31 (US), but lines 1, 2 and 4 already decided it."],
      ],
    );
    // Two terms of line 5 and one of line 3 decided the /31 before the third term of line 5.
    const selfToo = out([e(3, "52.1.32.88"), e(5, "52.1.32.89"), e(5, "52.1.32.88/31")]);
    assert.equal(
      diff(CAT, selfToo, { regions: ["US"] }).entries[2]!.message,
      "Allows 52.1.32.88/31 (US), already allowed by line 3 and this same line.",
    );
    const many = out([
      e(1, "52.1.32.88"),
      e(2, "52.1.32.89", { action: "deny" }),
      e(3, "52.1.37.96"),
      e(4, "3.74.148.8"),
      e(5, "0.0.0.0/0", { action: "deny", kind: "any" }),
    ]);
    assert.equal(
      diff(CAT, many, { regions: ["US", "EU"] }).entries[4]!.message,
      "Denies 52.1.37.96/32 (US), 52.1.32.88/31 (US), 3.74.148.8/32 (EU), but lines 1, 2, 3 and others already decided it.",
    );
  });

  test("a deny names only the published IPs it decides; the half of the rule that blocks none says the same", () => {
    // An Azure NSG's DenyAllInBound ("*": 0.0.0.0/0 and ::/0) after an allow of one published IP, US only: the deny
    // decides the other US addresses, and the ::/0 half blocks nothing because US publishes no IPv6 address. It used
    // to say so ("… publish no IPv6 NAT IP, so it blocks none") beside the "Denies …" of the same line: one rule,
    // two findings that read as a contradiction. The half takes the rule's message, and the line is one finding.
    const parsed = out([
      e(1, "52.1.37.96"),
      e(2, "0.0.0.0/0", { action: "deny", kind: "any" }),
      e(2, "::/0", { action: "deny", kind: "any" }),
    ]);
    assert.deepEqual(
      diff(CAT, parsed, { regions: ["US"] }).entries.map((v) => [v.line, v.status, v.message]),
      [
        [1, "covers", "Allows 52.1.37.96/32 (US) exactly."],
        [
          2,
          "deny",
          "Denies 52.1.32.88/31 (US): webhooks from it will be blocked. Line 1 already decided 52.1.37.96/32 (US).",
        ],
        [
          2,
          "deny",
          "Denies 52.1.32.88/31 (US): webhooks from it will be blocked. Line 1 already decided 52.1.37.96/32 (US).",
        ],
      ],
    );
    // Alone (no other half decides anything), the ::/0 deny still says it blocks none.
    assert.deepEqual(
      diff(CAT, out([e(2, "::/0", { action: "deny", kind: "any" })]), { regions: ["US"] }).entries.map(
        (v) => v.message,
      ),
      ["Deny rule: the chosen regions publish no IPv6 NAT IP, so it blocks none."],
    );
    // With EU chosen too, the ::/0 half decides EU's IPv6 range.
    assert.equal(
      diff(CAT, parsed, { regions: ["US", "EU"] }).entries[2]!.message,
      "Denies 2001:db8::/126 (EU): webhooks from it will be blocked.",
    );
  });

  test("every status and most flags, exact whole result", () => {
    const parsed = out(
      [
        e(1, "52.1.37.96"),
        e(2, "52.1.37.96"),
        e(3, "52.1.32.88"),
        e(4, "3.74.148.8", { action: "deny" }),
        e(5, "3.74.148.8/32"),
        e(6, "0.0.0.0/0", { direction: "out" }),
        e(7, "10.0.0.0/8"),
        e(8, "10.1.2.3/16"),
        e(9, "2001:db8::/125", { protocol: "tcp", ports: [{ from: 22, to: 22 }] }),
      ],
      [
        { line: 10, text: "bogus", kind: "invalid", message: "Not an address." },
        { line: 0, text: "", kind: "note", message: "n" },
      ],
    );
    assert.deepEqual(diff(CAT, parsed), {
      regions: ["US", "EU"],
      format: "plain",
      summary: { published: 4, covered: 1, partial: 1, missing: 2 },
      byRegion: [
        { region: "US", published: 2, covered: 1, partial: 1, missing: 0 },
        { region: "EU", published: 2, covered: 0, partial: 0, missing: 2 },
      ],
      published: [
        { entry: CAT[0], status: "covered", coveredBy: [{ line: 1, text: "line 1", how: "exact" }] },
        { entry: CAT[1], status: "partial", coveredBy: [{ line: 3, text: "line 3", how: "cidr" }] },
        { entry: CAT[2], status: "missing", coveredBy: [] },
        { entry: CAT[3], status: "missing", coveredBy: [] },
      ],
      entries: [
        {
          line: 1,
          text: "line 1",
          status: "covers",
          flags: [],
          message: "Allows 52.1.37.96/32 (US) exactly.",
          entryIndex: 0,
        },
        {
          line: 2,
          text: "line 2",
          status: "unrelated",
          flags: ["duplicate"],
          message: "Allows 52.1.37.96/32 (US), already allowed by line 1.",
          entryIndex: 1,
        },
        {
          line: 3,
          text: "line 3",
          status: "covers",
          flags: [],
          message: "Allows 52.1.32.88/31 (US) through 52.1.32.88.",
          entryIndex: 2,
        },
        {
          line: 4,
          text: "line 4",
          status: "deny",
          flags: [],
          message: "Denies 3.74.148.8/32 (EU): webhooks from it will be blocked.",
          entryIndex: 3,
        },
        {
          line: 5,
          text: "line 5",
          status: "unrelated",
          flags: ["shadowed"],
          message: "Allows 3.74.148.8/32 (EU), but line 4 already denies it.",
          entryIndex: 4,
        },
        {
          line: 6,
          text: "line 6",
          status: "outbound",
          flags: [],
          message: "Egress rule: it does not let inbound webhooks in.",
          entryIndex: 5,
        },
        {
          line: 7,
          text: "line 7",
          status: "unrelated",
          flags: ["overbroad"],
          message: "Over-broad: 10.0.0.0/8 allows 16,777,216 addresses (wider than /16).",
          entryIndex: 6,
        },
        {
          line: 8,
          text: "line 8",
          status: "unrelated",
          flags: ["host-bits", "redundant"],
          message: "Already inside 10.0.0.0/8 (line 7).",
          entryIndex: 7,
        },
        {
          line: 9,
          text: "line 9",
          status: "unrelated",
          flags: ["wrong-port"],
          message: "Only TCP 22 — the checked port 443 is not allowed.",
          entryIndex: 8,
        },
        { line: 10, text: "bogus", status: "invalid", flags: [], message: "Not an address." },
      ],
      findings: [{ line: 0, text: "", kind: "note", message: "n" }],
      notes: [],
    });
  });

  test("first match: a deny before an allow takes it away; an allow before a deny keeps it", () => {
    const denyFirst = diff(CAT, out([e(1, "52.1.37.96", { action: "deny" }), e(2, "52.0.0.0/15")]), {
      regions: ["US"],
      overbroadV4: 8,
    });
    assert.deepEqual(
      denyFirst.published.map((p) => p.status),
      ["missing", "covered"],
    );
    assert.deepEqual(
      denyFirst.entries.map((v) => [v.status, v.flags]),
      [
        ["deny", []],
        ["covers", ["shadowed"]],
      ],
    );
    const allowFirst = diff(CAT, out([e(1, "52.0.0.0/15"), e(2, "52.1.37.96", { action: "deny" })]), {
      regions: ["US"],
      overbroadV4: 8,
    });
    assert.deepEqual(
      allowFirst.published.map((p) => p.status),
      ["covered", "covered"],
    );
    assert.deepEqual(
      allowFirst.entries.map((v) => [v.status, v.message]),
      [
        ["covers", "Allows 52.1.37.96/32 (US), 52.1.32.88/31 (US) through the broader CIDR 52.0.0.0/15."],
        ["deny", "Denies 52.1.37.96/32 (US), but line 1 already decided it."],
      ],
    );
  });

  test("other-region, overbroad any, IPv6 coverage, range and wildcard coverage", () => {
    const r = diff(CAT, out([e(1, "3.74.148.8"), e(2, "::/0"), e(3, "52.1.32.88-52.1.32.89"), e(4, "52.1.37.*")]), {
      regions: ["us"],
    });
    assert.deepEqual(
      r.entries.map((v) => [v.status, v.flags, v.message]),
      [
        ["unrelated", ["other-region"], "Allows NAT IPs of EU, a region not chosen (checking US)."],
        ["unrelated", ["overbroad", "other-region"], "Over-broad: ::/0 allows the whole IPv6 Internet."],
        ["covers", [], "Allows 52.1.32.88/31 (US) exactly."],
        ["covers", [], "Allows 52.1.37.96/32 (US) through the wildcard 52.1.37.*."],
      ],
    );
    assert.deepEqual(
      r.published.map((p) => p.coveredBy),
      [[{ line: 4, text: "line 4", how: "wildcard" }], [{ line: 3, text: "line 3", how: "exact" }]],
    );
    const v6 = diff(CAT, out([e(1, "2001:db8::/127"), e(2, "2001:db8::2")]), { regions: ["EU"] });
    assert.deepEqual(
      v6.published.map((p) => p.status),
      ["missing", "partial"],
    );
  });

  test("a plain list of exactly the seed covers it all", () => {
    const list = SEED_CATALOG.map((p) => p.cidr.replace("/32", "")).join("\n");
    const r = diff(SEED_CATALOG, parsePlain(list));
    assert.deepEqual(r.summary, { published: 43, covered: 43, partial: 0, missing: 0 });
    assert.deepEqual(r.regions, ["US", "EU", "IN", "AU"]);
    assert.ok(r.entries.every((v) => v.status === "covers" && v.flags.length === 0));
    assert.deepEqual(
      r.published.map((p) => p.coveredBy),
      SEED_CATALOG.map((_, i) => [{ line: i + 1, text: SEED_CATALOG[i]!.cidr.replace("/32", ""), how: "exact" }]),
    );
  });

  test("property: covered ⇔ every address is allowed by a brute-force first-match evaluation", () => {
    // A small published space (10.0.0.0/28 in two /29s and a /30) keeps brute force cheap.
    const cat: PublishedEntry[] = [
      { cidr: "10.0.0.0/29", region: "US", products: [] },
      { cidr: "10.0.0.8/30", region: "US", products: [] },
      { cidr: "10.0.0.12/32", region: "EU", products: [] },
    ];
    const term = fc.oneof(
      fc.integer({ min: 0, max: 15 }).map((x) => `10.0.0.${x}`),
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 28, max: 32 })).map(([x, b]) => `10.0.0.${x}/${b}`),
      fc
        .tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }))
        .map(([a, b]) => `10.0.0.${Math.min(a, b)}-10.0.0.${Math.max(a, b)}`),
    );
    const rule = fc.record({
      token: term,
      deny: fc.boolean(),
      out: fc.boolean(),
      port: fc.constantFrom(undefined, 443, 22),
    });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 8 }), fc.subarray(["US", "EU"], { minLength: 1 }), (rules, regions) => {
        const entries = rules.map((x, i) =>
          e(i + 1, x.token, {
            action: x.deny ? "deny" : "allow",
            direction: x.out ? "out" : "in",
            ...(x.port === undefined ? {} : { ports: [{ from: x.port, to: x.port }] }),
          }),
        );
        const result = diff(cat, out(entries), { regions });
        const allowed = (addr: bigint): boolean => {
          for (const en of entries) {
            const applies =
              en.direction !== "out" && (en.ports === undefined || en.ports.some((p) => p.from <= 443 && 443 <= p.to));
            if (applies && en.range.first.value <= addr && addr <= en.range.last.value) return en.action === "allow";
          }
          return false;
        };
        for (const v of result.published) {
          const [base, bits] = v.entry.cidr.split("/");
          const first = 0x0a000000n + BigInt(Number(base!.split(".")[3]));
          const size = 1n << BigInt(32 - Number(bits));
          let count = 0n;
          for (let a = first; a < first + size; a++) if (allowed(a)) count++;
          const expected = count === size ? "covered" : count === 0n ? "missing" : "partial";
          assert.equal(v.status, expected, `${v.entry.cidr}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("property: duplicate and redundant flags equal their brute-force definitions (IPv4 and IPv6, radix and comparator sorts)", () => {
    // Small spaces make equal and nested ranges frequent.
    const v4 = fc.oneof(
      fc.integer({ min: 0, max: 15 }).map((x) => `10.0.0.${x}`),
      fc.tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 28, max: 32 })).map(([x, b]) => `10.0.0.${x}/${b}`),
      fc
        .tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }))
        .map(([a, b]) => `10.0.0.${Math.min(a, b)}-10.0.0.${Math.max(a, b)}`),
    );
    const v6 = fc.oneof(
      fc.integer({ min: 0, max: 15 }).map((x) => `2001:db8::${x.toString(16)}`),
      fc
        .tuple(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 124, max: 128 }))
        .map(([x, b]) => `2001:db8::${x.toString(16)}/${b}`),
    );
    const rule = fc.record({
      token: fc.oneof(v4, v6),
      deny: fc.boolean(),
      out: fc.boolean(),
      port: fc.constantFrom(undefined, 443, 22),
    });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 30 }), (rules) => {
        const entries = rules.map((x, i) =>
          e(i + 1, x.token, {
            action: x.deny ? "deny" : "allow",
            direction: x.out ? "out" : "in",
            ...(x.port === undefined ? {} : { ports: [{ from: x.port, to: x.port }] }),
          }),
        );
        const result = diff(CAT, out(entries));
        const applying = (en: Entry) =>
          en.action === "allow" &&
          en.direction !== "out" &&
          (en.ports === undefined || en.ports.some((p) => p.from <= 443 && 443 <= p.to));
        const same = (a: Entry, b: Entry) =>
          a.range.first.family === b.range.first.family &&
          a.range.first.value === b.range.first.value &&
          a.range.last.value === b.range.last.value;
        const inside = (a: Entry, b: Entry) =>
          a.range.first.family === b.range.first.family &&
          b.range.first.value <= a.range.first.value &&
          a.range.last.value <= b.range.last.value &&
          !same(a, b);
        const rest = (a: Entry) => `${a.action} ${a.direction} ${JSON.stringify(a.ports)}`;
        const denies = (en: Entry) =>
          en.action === "deny" &&
          en.direction !== "out" &&
          (en.ports === undefined || en.ports.some((p) => p.from <= 443 && 443 <= p.to));
        const overlap = (a: Entry, b: Entry) =>
          a.range.first.family === b.range.first.family &&
          a.range.first.value <= b.range.last.value &&
          b.range.first.value <= a.range.last.value;
        // Redundant: inside an applying allow before it, or after it with no deny between that takes its addresses.
        const expected = entries.map((a, i) => [
          entries.slice(0, i).some((b) => same(a, b) && rest(a) === rest(b)),
          applying(a) &&
            entries.some(
              (b, j) =>
                applying(b) &&
                inside(a, b) &&
                (j < i || !entries.slice(i + 1, j).some((d) => denies(d) && overlap(a, d))),
            ),
        ]);
        assert.deepEqual(
          result.entries.map((v) => [v.flags.includes("duplicate"), v.flags.includes("redundant")]),
          expected,
        );
      }),
      { numRuns: 500 },
    );
  });
});
