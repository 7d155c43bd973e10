import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { compare } from "./compute";
import { EXAMPLE_IPTABLES, EXAMPLE_PLAIN } from "./example";
import { LINE_MARK, flagsFromBits } from "./marks";
import type { CompareProgress } from "./protocol";
import { verdictSentence } from "./verdict";

describe("compare", () => {
  test("the iptables example: exact verdicts, missing list and line marks", () => {
    const seen: CompareProgress[] = [];
    const out = compare({ text: EXAMPLE_IPTABLES, format: "auto", regions: ["US"], port: 443, catalog: SEED_CATALOG }, (p) => seen.push(p));
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
        [9, "covers", []],
        [10, "covers", []],
        [11, "covers", []],
        [12, "unrelated", ["wrong-port"]],
        [13, "deny", []],
        [14, "invalid", []],
        [16, "unrelated", ["duplicate"]],
        // The chain policies come last in evaluation order: ":INPUT DROP" blocks what no rule allowed.
        [3, "deny", []],
        [4, "deny", ["duplicate"]],
        [15, "outbound", []],
        [5, "outbound", []],
      ],
    );
    const marks = Array.from(out.lines.marks);
    assert.deepEqual(
      [marks[9], marks[12], marks[13], marks[14], marks[15], marks[16]],
      [LINE_MARK.covers, LINE_MARK.unrelated, LINE_MARK.deny, LINE_MARK.invalid, LINE_MARK.outbound, LINE_MARK.unrelated],
    );
    assert.deepEqual(flagsFromBits(out.lines.flags[16]!), ["duplicate"]);
    assert.deepEqual(flagsFromBits(out.lines.flags[12]!), ["wrong-port"]);
    assert.equal(out.omittedUnrelated, 0);
    assert.deepEqual(
      seen.map((p) => [p.phase, p.done, p.total]),
      [["parse", 0, 18], ["diff", 0, 18], ["mark", 0, 18], ["mark", 18, 18]],
    );
    assert.equal(
      verdictSentence(out.result, 443),
      "4 of 14 published NAT IPs for US are missing on TCP 443: webhooks from them will be blocked.",
    );
  });

  test("the plain example across US and EU", () => {
    const out = compare({ text: EXAMPLE_PLAIN, format: "auto", regions: ["US", "EU"], port: 443, catalog: SEED_CATALOG });
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
    assert.deepEqual(Array.from(out.lines.marks), [0, 0, 3, 3, 3, 3, 3, 1, 1, 6]);
  });

  test("plain unrelated verdicts are counted, not kept", () => {
    const text = ["52.1.37.96", "192.0.2.1", "192.0.2.2", "198.51.100.0/24"].join("\n");
    const out = compare({ text, format: "plain", regions: ["US"], port: 443, catalog: SEED_CATALOG });
    assert.equal(out.detected, false);
    assert.equal(out.omittedUnrelated, 3);
    assert.deepEqual(out.result.entries.map((e) => e.line), [1]);
    assert.deepEqual(Array.from(out.lines.marks), [0, LINE_MARK.covers, LINE_MARK.unrelated, LINE_MARK.unrelated, LINE_MARK.unrelated]);
  });

  test("empty input", () => {
    const out = compare({ text: "", format: "auto", regions: ["US"], port: 443, catalog: SEED_CATALOG });
    assert.equal(out.lineCount, 0);
    assert.deepEqual(out.result.summary, { published: 14, covered: 0, partial: 0, missing: 14 });
    assert.deepEqual(Array.from(out.lines.marks), [0]);
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
