import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { TEXT_LIMIT } from "../diff/report";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { MAX_INPUT_BYTES } from "../parse/registry";
import { plainText } from "../parse/plain.testkit";
import { compare, compareWithObjects } from "./compute";
import { EXAMPLE_IPTABLES, EXAMPLE_PLAIN } from "./example";
import { flagsOf } from "../diff/flags";
import { LINE_MARK } from "./marks";
import type { CompareProgress, CompareRequest } from "./protocol";
import { verdictSentence } from "./verdict";

describe("compare", () => {
  test("the iptables example: exact verdicts, missing list and line marks", () => {
    const seen: CompareProgress[] = [];
    const out = compare(
      { text: EXAMPLE_IPTABLES, format: "auto", regions: ["US"], port: 443, catalog: SEED_CATALOG },
      (p) => seen.push(p),
    );
    assert.equal(out.result.format, "iptables");
    assert.equal(out.detected, true);
    assert.equal(out.lineCount, 18);
    assert.deepEqual(out.result.summary, { published: 14, covered: 10, partial: 0, missing: 4 });
    assert.deepEqual(
      out.result.published.filter((v) => v.status === "missing").map((v) => v.entry.cidr),
      ["18.208.240.77/32", "52.201.75.8/32", "34.231.139.135/32", "34.231.245.167/32"],
    );
    assert.deepEqual(
      out.result.entries.map((e) => [e.line, e.status, e.flags]),
      [
        // -i lo and ESTABLISHED,RELATED are never met by a new connection from the Internet.
        [6, "inactive", []],
        [7, "inactive", []],
        [9, "covers", []],
        [10, "covers", []],
        [11, "covers", []],
        [12, "unrelated", ["wrong-port"]],
        [13, "deny", []],
        [14, "invalid", []],
        [16, "unrelated", ["duplicate"]],
        // The OUTPUT chain is not on the path; ":INPUT DROP" is INPUT's fall-through, not an entry.
        [15, "outbound", []],
      ],
    );
    const marks = Array.from(out.lines.marks);
    assert.deepEqual(
      [marks[3], marks[6], marks[9], marks[12], marks[13], marks[14], marks[15], marks[16]],
      [
        LINE_MARK.none,
        LINE_MARK.inactive,
        LINE_MARK.covers,
        LINE_MARK.unrelated,
        LINE_MARK.deny,
        LINE_MARK.invalid,
        LINE_MARK.outbound,
        LINE_MARK.unrelated,
      ],
    );
    assert.deepEqual(flagsOf(out.lines.flags[16]!), ["duplicate"]);
    assert.deepEqual(flagsOf(out.lines.flags[12]!), ["wrong-port"]);
    assert.equal(out.omittedUnrelated, 0);
    assert.deepEqual(
      seen.map((p) => [p.phase, p.done, p.total]),
      [
        ["parse", 0, 18],
        ["diff", 0, 18],
        ["mark", 0, 18],
        ["mark", 18, 18],
      ],
    );
    assert.equal(
      verdictSentence(out.result, 443),
      "4 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.",
    );
  });

  test("the plain example across US and EU", () => {
    const out = compare({
      text: EXAMPLE_PLAIN,
      format: "auto",
      regions: ["US", "EU"],
      port: 443,
      catalog: SEED_CATALOG,
    });
    assert.equal(out.result.format, "plain");
    assert.deepEqual(out.result.byRegion, [
      { region: "US", published: 14, covered: 10, partial: 0, missing: 4 },
      { region: "EU", published: 10, covered: 5, partial: 0, missing: 5 },
    ]);
    assert.deepEqual(
      out.result.entries.map((e) => [e.line, e.status, e.flags]),
      [
        [2, "covers", []],
        [3, "covers", []],
        [4, "covers", []],
        [5, "covers", []],
        [6, "covers", []],
        [7, "unrelated", ["duplicate"]],
        [8, "unrelated", ["overbroad"]],
        [9, "invalid", []],
      ],
    );
    assert.deepEqual(Array.from(out.lines.marks), [
      0,
      0,
      LINE_MARK.covers,
      LINE_MARK.covers,
      LINE_MARK.covers,
      LINE_MARK.covers,
      LINE_MARK.covers,
      LINE_MARK.unrelated,
      LINE_MARK.unrelated,
      LINE_MARK.invalid,
    ]);
  });

  test("plain unrelated verdicts are counted, not kept", () => {
    const text = ["52.1.37.96", "192.0.2.1", "192.0.2.2", "198.51.100.0/24"].join("\n");
    const out = compare({ text, format: "plain", regions: ["US"], port: 443, catalog: SEED_CATALOG });
    assert.equal(out.detected, false);
    assert.equal(out.omittedUnrelated, 3);
    assert.deepEqual(
      out.result.entries.map((e) => e.line),
      [1],
    );
    assert.deepEqual(Array.from(out.lines.marks), [
      0,
      LINE_MARK.covers,
      LINE_MARK.unrelated,
      LINE_MARK.unrelated,
      LINE_MARK.unrelated,
    ]);
  });

  test("empty input", () => {
    const out = compare({ text: "", format: "auto", regions: ["US"], port: 443, catalog: SEED_CATALOG });
    assert.equal(out.lineCount, 0);
    assert.deepEqual(out.result.summary, { published: 14, covered: 0, partial: 0, missing: 14 });
    assert.deepEqual(Array.from(out.lines.marks), [0]);
  });
});

/** Both engines' outcome and progress reports, timings left out (they differ from run to run). */
function run(engine: typeof compare, request: CompareRequest) {
  const seen: CompareProgress[] = [];
  const { timings, ...outcome } = engine(request, (p) => seen.push(p));
  assert.deepEqual(Object.keys(timings), ["parseMs", "diffMs"]);
  return { outcome, seen };
}

describe("compare: the columnar path for plain lists", () => {
  test("equals the object engine on random plain lists, chosen or detected", () => {
    fc.assert(
      fc.property(
        plainText,
        fc.constantFrom<CompareRequest["format"]>("plain", "auto"),
        fc.subarray(["US", "EU", "IN"]),
        fc.constantFrom(443, 8443),
        (text, format, regions, port) => {
          const request: CompareRequest = { text, format, regions, port, catalog: SEED_CATALOG };
          assert.deepEqual(run(compare, request), run(compareWithObjects, request));
        },
      ),
      { numRuns: 400 },
    );
  });

  test("a detected plain list with every kind of row: exact outcome", () => {
    const text = [
      "52.1.37.96",
      "10.0.0.1",
      "52.1.37.96",
      "52.0.0.0/8",
      "bad",
      "# note",
      "10.0.0.0/255.255.255.0",
      "192.0.2.1",
      "",
    ].join("\n");
    const request: CompareRequest = { text, format: "auto", regions: ["US"], port: 443, catalog: SEED_CATALOG };
    const { outcome } = run(compare, request);
    assert.deepEqual(outcome, run(compareWithObjects, request).outcome);
    assert.equal(outcome.detected, true);
    assert.equal(outcome.lineCount, 8);
    assert.equal(outcome.omittedUnrelated, 2);
    assert.deepEqual(
      outcome.result.entries.map((e) => [e.line, e.status, e.flags]),
      [
        [1, "covers", ["redundant"]],
        [2, "unrelated", ["redundant"]],
        [3, "unrelated", ["duplicate", "redundant"]],
        [4, "covers", ["overbroad", "other-region"]],
        [5, "invalid", []],
      ],
    );
    assert.deepEqual(Array.from(outcome.lines.marks), [
      0,
      LINE_MARK.covers,
      LINE_MARK.unrelated,
      LINE_MARK.unrelated,
      LINE_MARK.covers,
      LINE_MARK.invalid,
      0,
      LINE_MARK.unrelated,
      LINE_MARK.unrelated,
    ]);
    assert.deepEqual(Array.from(outcome.lines.flags).map(flagsOf), [
      [],
      ["redundant"],
      ["redundant"],
      ["duplicate", "redundant"],
      ["overbroad", "other-region"],
      [],
      [],
      [],
      [],
    ]);
  });

  test("an oversized plain paste is refused as by the object engine", () => {
    const text = "10.0.0.1\n".repeat(Math.ceil(MAX_INPUT_BYTES / 9) + 1);
    for (const format of ["plain", "auto"] as const) {
      const request: CompareRequest = { text, format, regions: ["US"], port: 443, catalog: SEED_CATALOG };
      const { outcome } = run(compare, request);
      assert.deepEqual(outcome, run(compareWithObjects, request).outcome);
      assert.deepEqual(
        outcome.result.findings.map((f) => f.message),
        ["The input is 20.0 MB, over the 20 MB limit: split it or use the command line."],
      );
      assert.equal(outcome.lineCount, 0);
    }
  });
});

describe("verdictSentence", () => {
  const base = { regions: ["US", "EU"] as string[] };
  test("all allowed", () => {
    assert.equal(
      verdictSentence({ ...base, summary: { published: 24, covered: 24, partial: 0, missing: 0 } }, 443),
      "All 24 published NAT IPs for US, EU are allowed on TCP 443.",
    );
  });
  test("missing and partial", () => {
    assert.equal(
      verdictSentence({ ...base, summary: { published: 24, covered: 7, partial: 3, missing: 14 } }, 8443),
      "14 of 24 published NAT IPs for US, EU are missing and 3 are only partly allowed on TCP 8443: webhooks from them will be blocked.",
    );
    assert.equal(
      verdictSentence({ ...base, summary: { published: 24, covered: 23, partial: 1, missing: 0 } }, 443),
      "1 of 24 published NAT IPs for US, EU is only partly allowed on TCP 443: webhooks from it will be blocked.",
    );
  });
  test("no region, empty region", () => {
    assert.equal(
      verdictSentence({ regions: [], summary: { published: 0, covered: 0, partial: 0, missing: 0 } }, 443),
      "No region is chosen: pick the regions your account uses.",
    );
    assert.equal(
      verdictSentence({ regions: ["AU"], summary: { published: 0, covered: 0, partial: 0, missing: 0 } }, 443),
      "AU publish no NAT IPs in this catalog version: nothing to allow.",
    );
  });
});

describe("compare: long lines", () => {
  // Regression: every verdict carried its whole line, and postMessage copies each: 8,192 copies of a 64 KB line.
  test("a 64 KB line of addresses: 8,192 verdicts, each with the line cut once, shared", () => {
    const text = "1.2.3.4 ".repeat(8192);
    for (const run of [compare, compareWithObjects]) {
      const outcome = run({ text, format: "plain", regions: ["US"], port: 443, catalog: SEED_CATALOG });
      assert.equal(outcome.result.entries.length, 8191);
      const texts = new Set(outcome.result.entries.map((e) => e.text));
      assert.deepEqual([...texts], [`${"1.2.3.4 ".repeat(25)}… (${text.trim().length - TEXT_LIMIT} more characters)`]);
    }
  });
});
