import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mustParseAddress } from "../ip/address";
import { parseTerm } from "../parse/plain";
import type { Entry, ParseOutput, PathContext } from "../parse/types";
import type { PublishedEntry } from "../catalog/types";
import { diff } from "./engines/objects";
import { trace } from "./trace";
import { PRODUCTS, SEED_CATALOG } from "./seed.fixture";

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

function ctx(name: string, line: number, fallthrough: "allow" | "deny", onPath = true): PathContext {
  return {
    name,
    line,
    text: `chain ${name}`,
    fallthrough,
    onPath,
    reason: onPath ? "on the path" : "the service is this host",
  };
}

function withPath(
  entries: Entry[],
  contexts: PathContext[],
  assumption = "Read as traffic to this host (INPUT).",
): ParseOutput {
  return {
    format: "nftables",
    entries,
    findings: [],
    lineCount: 20,
    notes: [],
    path: { contexts, kind: "input", assumption },
  };
}

const CAT: PublishedEntry[] = [
  { cidr: "52.1.37.96/32", region: "US", products: PRODUCTS },
  { cidr: "52.1.32.88/32", region: "US", products: PRODUCTS },
  { cidr: "3.74.148.8/32", region: "EU", products: PRODUCTS },
];

const statuses = (r: ReturnType<typeof diff>) => Object.fromEntries(r.published.map((p) => [p.entry.cidr, p.status]));

describe("diff over a path of several contexts", () => {
  test("an accept in one base chain does not open what another base chain's drop policy closes", () => {
    // Our table accepts 52.1.37.96; the admin's table drops everything but 52.1.32.88.
    const parsed = withPath(
      [
        e(3, "52.1.37.96", { context: 0, protocol: "tcp", ports: [{ from: 443, to: 443 }] }),
        e(8, "52.1.32.88", { context: 1 }),
      ],
      [ctx("ip allowlist input", 1, "allow"), ctx("inet filter input", 6, "deny")],
    );
    const r = diff(CAT, parsed);
    assert.deepEqual(statuses(r), {
      "52.1.37.96/32": "missing",
      "52.1.32.88/32": "covered",
      "3.74.148.8/32": "missing",
    });
    assert.deepEqual(
      r.entries.map((v) => [v.line, v.status, v.flags, v.message]),
      [
        [
          3,
          "unrelated",
          ["shadowed"],
          "Allows 52.1.37.96/32 (US), but inet filter input (line 6) blocks it: every context on the path must let it through.",
        ],
        [8, "covers", [], "Allows 52.1.32.88/32 (US) exactly."],
      ],
    );
    // 52.1.32.88 passes context 0 by its default accept and context 1 by the rule: the rule is what covers it.
    assert.deepEqual(r.published.find((p) => p.entry.cidr === "52.1.32.88/32")!.coveredBy, [
      { line: 8, text: "line 8", how: "exact" },
    ]);
    assert.deepEqual(r.path?.assumption, "Read as traffic to this host (INPUT).");
  });

  test("an allow is redundant only beside a wider allow of its own context: contexts are gates one after the other", () => {
    // MikroTik: the forward chain allows 52.1.37.96 (line 11); the dst-nat port forward (line 16) takes any address.
    // Both must let the connection through, so neither is "already inside" the other. Within the dst-nat chain, line
    // 16 holds line 17, which is redundant.
    const r = diff(
      CAT,
      withPath(
        [
          e(11, "52.1.37.96", { via: ["freshworks"] }),
          e(16, "0.0.0.0/0", { kind: "any", context: 1 }),
          e(17, "52.1.37.96", { context: 1 }),
        ],
        [ctx("filter forward", 10, "deny"), ctx("nat dstnat", 15, "deny")],
      ),
      { regions: ["US"] },
    );
    assert.deepEqual(
      r.entries.map((v) => [v.line, v.status, v.flags]),
      [
        [11, "covers", []],
        [16, "covers", ["other-region"]],
        [17, "unrelated", ["redundant"]],
      ],
    );
    assert.equal(statuses(r)["52.1.37.96/32"], "covered");
  });

  test("over-broad is what the whole path lets in: a wide allow another on-path context narrows is not flagged", () => {
    const flagsOf = (forward: Entry[], fallthrough: "allow" | "deny", onPath = true) =>
      diff(
        CAT,
        withPath(
          [...forward, e(16, "0.0.0.0/0", { kind: "any", context: 1 })],
          [ctx("filter forward", 10, fallthrough, onPath), ctx("nat dstnat", 15, "deny")],
        ),
        { regions: ["US", "EU"] },
      ).entries.find((v) => v.line === 16)!.flags;
    // The forward chain drops by policy and allows one address: the port forward for any source lets in only it.
    assert.deepEqual(flagsOf([e(11, "52.1.37.96")], "deny"), []);
    // Its policy accepts: the port forward lets the whole Internet through.
    assert.deepEqual(flagsOf([e(11, "52.1.37.96")], "allow"), ["overbroad"]);
    // It accepts by policy, but a final drop of every address closes it (RouterOS "add action=drop chain=forward").
    assert.deepEqual(flagsOf([e(11, "52.1.37.96"), e(12, "0.0.0.0/0", { kind: "any", action: "deny" })], "allow"), []);
    // A drop of every address after an allow of a /8 leaves the /8 wide open.
    assert.deepEqual(flagsOf([e(11, "52.0.0.0/8"), e(12, "0.0.0.0/0", { kind: "any", action: "deny" })], "deny"), [
      "overbroad",
    ]);
    // A drop of every address that never meets a new connection (only ESTABLISHED) closes nothing.
    assert.deepEqual(
      flagsOf([e(12, "0.0.0.0/0", { kind: "any", action: "deny", unmet: "only ct state established" })], "allow"),
      ["overbroad"],
    );
    // A context off the path narrows nothing.
    assert.deepEqual(flagsOf([e(11, "52.1.37.96")], "deny", false), ["overbroad"]);
  });

  test("a default accept lets through what no rule decides; it is named as what covers", () => {
    const parsed = withPath([e(4, "3.74.148.8", { action: "deny" })], [ctx("filter INPUT", 2, "allow")]);
    const r = diff(CAT, parsed);
    assert.deepEqual(statuses(r), {
      "52.1.37.96/32": "covered",
      "52.1.32.88/32": "covered",
      "3.74.148.8/32": "missing",
    });
    assert.deepEqual(r.published[0]!.coveredBy, [
      { line: 2, text: "chain filter INPUT", how: "any", via: ["filter INPUT"] },
    ]);
    assert.equal(r.entries[0]!.status, "deny");
    assert.equal(r.entries[0]!.message, "Denies 3.74.148.8/32 (EU): webhooks from it will be blocked.");
  });

  test("rules of a context not on the path and rules with an unmet condition decide nothing", () => {
    const parsed = withPath(
      [
        e(3, "52.1.37.96", { context: 0, unmet: "only ESTABLISHED,RELATED connections" }),
        e(4, "52.1.32.88", { context: 1 }),
        e(5, "3.74.148.8", { context: 0 }),
        e(9, "52.1.37.96", { context: 2, direction: "out" }),
      ],
      [
        ctx("filter INPUT", 1, "deny"),
        ctx("filter FORWARD", 2, "deny", false),
        ctx("filter OUTPUT", 7, "allow", false),
      ],
    );
    const r = diff(CAT, parsed);
    assert.deepEqual(statuses(r), {
      "52.1.37.96/32": "missing",
      "52.1.32.88/32": "missing",
      "3.74.148.8/32": "covered",
    });
    assert.deepEqual(
      r.entries.map((v) => [v.line, v.status, v.message]),
      [
        [3, "inactive", "Never met by a new inbound connection: only ESTABLISHED,RELATED connections."],
        [4, "inactive", "filter FORWARD is not on the path: the service is this host"],
        [5, "covers", "Allows 3.74.148.8/32 (EU) exactly."],
        [9, "outbound", "Egress rule: it does not let inbound webhooks in."],
      ],
    );
  });

  test("no context on the path: nothing is allowed, and a note says so", () => {
    const parsed = withPath([e(4, "52.1.32.88", { context: 0 })], [ctx("filter FORWARD", 2, "allow", false)]);
    const r = diff(CAT, parsed);
    assert.deepEqual(r.summary, { published: 3, covered: 0, partial: 0, missing: 3 });
    assert.deepEqual(r.notes, [
      "No context of this paste is on the path of an inbound connection: nothing lets the webhooks in.",
    ]);
  });

  test("duplicates are per context: the same address in two base chains is not a duplicate", () => {
    const parsed = withPath(
      [e(3, "52.1.37.96", { context: 0 }), e(8, "52.1.37.96", { context: 1 }), e(9, "52.1.37.96", { context: 1 })],
      [ctx("a", 1, "deny"), ctx("b", 6, "deny")],
    );
    const r = diff(CAT, parsed);
    assert.deepEqual(
      r.entries.map((v) => v.flags),
      [[], [], ["duplicate"]],
    );
    assert.equal(statuses(r)["52.1.37.96/32"], "covered");
  });

  test("a context of one address family does not block the other family (nftables table ip / ip6)", () => {
    const cat: PublishedEntry[] = [...CAT, { cidr: "2406:da00:ff00::/48", region: "US", products: PRODUCTS }];
    const v4only: PathContext = { ...ctx("ip filter input", 1, "deny"), family: 4 };
    const parsed = withPath(
      [e(3, "52.1.37.96", { context: 0 }), e(8, "::/0", { context: 1 })],
      [v4only, ctx("inet filter input", 6, "deny")],
    );
    const r = diff(cat, parsed);
    assert.deepEqual(statuses(r), {
      "52.1.37.96/32": "missing",
      "52.1.32.88/32": "missing",
      "3.74.148.8/32": "missing",
      "2406:da00:ff00::/48": "covered",
    });
    const t = trace(parsed, mustParseAddress("2406:da00:ff00::1"), { catalog: SEED_CATALOG });
    assert.equal(t.allowed, true);
    assert.deepEqual(
      t.contexts.map((c) => [c.onPath, c.reason]),
      [
        [false, "only IPv4 connections cross it"],
        [true, "on the path"],
      ],
    );
    // Contexts of IPv4 only (an IPv4 ruleset): an IPv6 address crosses none of them, so nothing lets it in.
    const only4 = withPath([e(3, "0.0.0.0/0", { context: 0 })], [v4only]);
    assert.deepEqual(statuses(diff(cat, only4)), {
      "52.1.37.96/32": "covered",
      "52.1.32.88/32": "covered",
      "3.74.148.8/32": "covered",
      "2406:da00:ff00::/48": "missing",
    });
    assert.equal(trace(only4, mustParseAddress("2406:da00:ff00::1"), { catalog: SEED_CATALOG }).allowed, false);
  });

  test("a parse without a path evaluates as before: one list, implicit deny", () => {
    const parsed: ParseOutput = {
      format: "plain",
      entries: [e(1, "52.1.37.96")],
      findings: [],
      lineCount: 1,
      notes: [],
    };
    const r = diff(CAT, parsed);
    assert.deepEqual(statuses(r), {
      "52.1.37.96/32": "covered",
      "52.1.32.88/32": "missing",
      "3.74.148.8/32": "missing",
    });
    assert.equal(r.path, undefined);
  });
});

describe("trace", () => {
  const parsed = withPath(
    [
      e(3, "0.0.0.0/0", { context: 0, unmet: "only ESTABLISHED,RELATED connections" }),
      e(4, "52.1.37.0/24", { context: 0, protocol: "tcp", ports: [{ from: 22, to: 22 }] }),
      e(5, "52.1.37.96", { context: 0, protocol: "udp" }),
      e(6, "52.1.37.96", { context: 0, protocol: "tcp", ports: [{ from: 443, to: 443 }] }),
      e(7, "52.1.37.96", { context: 0, action: "deny" }),
      e(12, "0.0.0.0/0", { context: 1, action: "deny" }),
    ],
    [ctx("inet filter input", 1, "deny"), ctx("ip docker input", 10, "allow")],
  );

  test("every rule met, which matched and why, which decided, and the verdict", () => {
    const t = trace(parsed, mustParseAddress("52.1.37.96"), { catalog: SEED_CATALOG });
    assert.equal(t.allowed, false);
    assert.equal(t.summary, "52.1.37.96 → TCP 443: blocked by line 12 in ip docker input.");
    assert.deepEqual(
      t.contexts.map((c) => ({
        name: c.name,
        passes: c.passes,
        decision: c.decision,
        steps: c.steps.map((s) => [s.line, s.matched, s.decided, s.why]),
      })),
      [
        {
          name: "inet filter input",
          passes: true,
          decision: { by: "rule", line: 6, action: "allow" },
          steps: [
            [3, false, false, "only ESTABLISHED,RELATED connections"],
            [4, false, false, "port 22, not 443"],
            [5, false, false, "protocol udp, not TCP"],
            [6, true, true, "address, TCP and port 443 match"],
          ],
        },
        {
          name: "ip docker input",
          passes: false,
          decision: { by: "rule", line: 12, action: "deny" },
          steps: [[12, true, true, "address, TCP and port 443 match"]],
        },
      ],
    );
    assert.equal(t.assumption, "Read as traffic to this host (INPUT).");
  });

  test("a rule on another line than its address (an object, a jump) is named and quoted from the source", () => {
    const grouped = withPath(
      [
        e(2, "52.1.37.96", { context: 0, ruleLine: 5, via: ["FRESHWORKS"], action: "deny" }),
        e(3, "52.1.37.0/24", { context: 0, ruleLine: 6, via: ["FRESHWORKS", "US"] }),
      ],
      [ctx("ACL IN", 7, "deny")],
    );
    const source = "object-group network FRESHWORKS\r\n a\r\n b\r\n\r\n  deny rule  \r\npermit rule\r\n";
    const t = trace(grouped, mustParseAddress("52.1.37.1"), { catalog: SEED_CATALOG, source });
    assert.equal(t.summary, "52.1.37.1 → TCP 443: allowed by line 3.");
    assert.deepEqual(t.contexts[0]!.decision, { by: "rule", line: 3, action: "allow" });
    assert.deepEqual(
      t.contexts[0]!.steps.map((s) => [s.line, s.rule, s.via]),
      [[3, { line: 6, text: "permit rule" }, ["FRESHWORKS", "US"]]],
    );
    const denied = trace(grouped, mustParseAddress("52.1.37.96"), { catalog: SEED_CATALOG, source });
    assert.equal(denied.summary, "52.1.37.96 → TCP 443: blocked by line 2 in ACL IN.");
    assert.deepEqual(denied.contexts[0]!.steps[0]!.rule, { line: 5, text: "deny rule" });
    // Without the source the rule's line is still named; a rule past the end of the source keeps no text.
    assert.deepEqual(
      trace(grouped, mustParseAddress("52.1.37.96"), { catalog: SEED_CATALOG }).contexts[0]!.steps[0]!.rule,
      { line: 5 },
    );
    assert.deepEqual(
      trace(grouped, mustParseAddress("52.1.37.96"), { catalog: SEED_CATALOG, source: "one line" }).contexts[0]!
        .steps[0]!.rule,
      { line: 5 },
    );
  });

  test("the default decides when no rule matches; another port changes the verdict", () => {
    const t = trace(parsed, mustParseAddress("52.1.37.5"), { catalog: SEED_CATALOG, port: 22 });
    assert.deepEqual(
      t.contexts.map((c) => c.decision),
      [
        { by: "rule", line: 4, action: "allow" },
        { by: "rule", line: 12, action: "deny" },
      ],
    );
    const only = trace(
      withPath([e(6, "52.1.37.96", { context: 0 })], [ctx("filter INPUT", 2, "deny")]),
      mustParseAddress("3.74.148.8"),
      { catalog: SEED_CATALOG },
    );
    assert.equal(
      only.summary,
      "3.74.148.8 → TCP 443: blocked — no rule of filter INPUT (line 2) matches, and its default is deny.",
    );
    assert.deepEqual(only.contexts[0]!.steps, []);
    const ok = trace(
      withPath([e(6, "52.1.37.96", { context: 0 })], [ctx("filter INPUT", 2, "deny")]),
      mustParseAddress("52.1.37.96"),
      { catalog: SEED_CATALOG },
    );
    assert.equal(ok.summary, "52.1.37.96 → TCP 443: allowed by line 6.");
    assert.equal(ok.allowed, true);
  });
});
