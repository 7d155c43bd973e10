import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { scanPlainColumns } from "../parse/columnar";
import { plainLine } from "../parse/plain.testkit";
import { parsePlain, TERM_FINDINGS_PER_LINE } from "../parse/plain";
import { MAX_INPUT_BYTES, parseText } from "../parse/registry";
import type { FormatId } from "../parse/types";
import { diffColumns } from "./engines/columnar";
import { diff } from "./engines/objects";
import {
  cutText,
  diffReport,
  diffReportJson,
  emitDiffReportJson,
  rowsOfResult,
  TEXT_LIMIT,
  type DiffReport,
} from "./report";
import { SEED_CATALOG } from "./seed.fixture";
import type { DiffRows } from "./types";

/** The streamed report's size in characters, without holding it (and the report itself for small ones). */
async function emitted(rows: DiffRows): Promise<{ size: number; json?: DiffReport }> {
  let size = 0;
  const chunks: string[] = [];
  await emitDiffReportJson(rows, 1, (c) => {
    size += c.length;
    if (size < 50 << 20) chunks.push(c);
  });
  return size < 50 << 20 ? { size, json: JSON.parse(chunks.join("")) as DiffReport } : { size };
}

/** The report of `text` read as `format`, by the engine each path uses (columnar for plain, as the CLI and API do). */
function rowsOf(text: string, format: FormatId, columnar: boolean): DiffRows {
  if (columnar) return diffColumns(SEED_CATALOG, scanPlainColumns(text), {});
  return rowsOfResult(diff(SEED_CATALOG, parseText(text, format, { maxBytes: Number.POSITIVE_INFINITY }), {}));
}

/** What a report must never do, whatever the input: repeat a line, or show a text past the limit. */
function assertBounded(json: DiffReport, inputLength: number, size: number) {
  const lines = json.lines.map((l) => l.line);
  assert.equal(new Set(lines).size, lines.length, "a line appears once");
  for (const l of json.lines) assert.ok(l.text.length <= TEXT_LIMIT + 40, `line ${l.line} is cut`);
  const referenced = new Set(
    [...json.entries.map((e) => e.line), ...json.findings.map((f) => f.line)].filter((n) => n > 0),
  );
  assert.deepEqual(
    [...referenced].filter((n) => !lines.includes(n)),
    [],
    "every referenced line is in lines",
  );
  assert.ok(
    size <= REPORT_FACTOR * inputLength + REPORT_CONSTANT,
    `report ${size} chars for ${inputLength} chars of input`,
  );
}

/**
 * The bound asserted: a report is at most this many times its input plus a constant (the catalog's part). The worst
 * measured is ~52 (a line of "::" tokens: 3 characters each, one over-broad row of ~150 characters).
 */
const REPORT_FACTOR = 64;
const REPORT_CONSTANT = 64 * 1024;

describe("diff report: bounded by the input", () => {
  test("cutText: short texts unchanged, long ones cut with a marker, never half a surrogate pair", () => {
    assert.equal(cutText("abc", 3), "abc");
    assert.equal(cutText("abcdef", 3), "abc… (3 more characters)");
    assert.equal(cutText(`ab${"\u{1F600}"}cd`, 3), "ab… (4 more characters)");
    assert.equal(cutText("x".repeat(TEXT_LIMIT + 1)), `${"x".repeat(TEXT_LIMIT)}… (1 more characters)`);
  });

  test("a line's text appears once, in lines; entries, findings and coveredBy refer to it by number", () => {
    const long = `52.1.37.96 ${"x".repeat(300)}`;
    const text = `52.1.37.96 52.1.37.96\nbad\n${long}\n`;
    const report = diffReport(diff(SEED_CATALOG.slice(0, 2), parsePlain(text), { regions: ["US"] }), 1);
    assert.deepEqual(report.published, [
      {
        cidr: "52.1.37.96/32",
        region: "US",
        products: ["Freshchat", "Freddy Self-service"],
        status: "covered",
        coveredBy: [{ line: 1, how: "exact" }],
      },
      {
        cidr: "52.1.32.88/32",
        region: "US",
        products: ["Freshchat", "Freddy Self-service"],
        status: "missing",
        coveredBy: [],
      },
    ]);
    const dup = "Allows 52.1.37.96/32 (US), already allowed by line 1.";
    assert.deepEqual(report.entries, [
      { line: 1, status: "covers", flags: [], message: "Allows 52.1.37.96/32 (US) exactly." },
      {
        line: 1,
        status: "unrelated",
        flags: ["duplicate"],
        message: "Allows 52.1.37.96/32 (US), already allowed by this same line.",
      },
      { line: 2, status: "invalid", flags: [], message: 'Not an address: "bad" — not an IP address (column 1).' },
      { line: 3, status: "unrelated", flags: ["duplicate"], message: dup },
      {
        line: 3,
        status: "invalid",
        flags: [],
        message: `Not an address: "${"x".repeat(100)}… (200 more characters)" — not an IP address (column 12).`,
      },
    ]);
    assert.deepEqual(report.lines, [
      { line: 1, text: "52.1.37.96 52.1.37.96" },
      { line: 2, text: "bad" },
      { line: 3, text: `52.1.37.96 ${"x".repeat(TEXT_LIMIT - 11)}… (111 more characters)` },
    ]);
  });

  // Regression: the report copied the line into each of its 8,192 entries; JSON.stringify threw
  // "RangeError: Invalid string length" and the API answered an empty 500.
  test("a 64 KB line of 8,192 addresses: one line of text, 8,192 entries, about 20x the input", () => {
    const text = "1.2.3.4 ".repeat(8192);
    const result = diff(SEED_CATALOG, parsePlain(text), {});
    const json = diffReportJson(result, 1);
    const report = JSON.parse(json) as DiffReport;
    assert.equal(report.entries.length, 8192);
    assert.deepEqual(report.lines, [
      { line: 1, text: `${"1.2.3.4 ".repeat(25)}… (${text.trim().length - TEXT_LIMIT} more characters)` },
    ]);
    assertBounded(report, text.length, json.length);
    assert.ok(json.length < 25 * text.length, `${json.length}`);
  });

  test("a line of 1M bad tokens gives the first findings and one that counts the rest", () => {
    const text = "x ".repeat(1 << 20);
    const r = parsePlain(text);
    assert.equal(r.findings.length, TERM_FINDINGS_PER_LINE + 1);
    assert.deepEqual(r.findings.at(-1), {
      line: 1,
      text: text.trim(),
      kind: "invalid",
      message: `1,048,556 more terms on this line are not addresses either (the first ${TERM_FINDINGS_PER_LINE} are listed).`,
    });
  });

  test("property: random lines, long and short, in several formats: bounded report, streamed equal to built", async () => {
    const token = fc.oneof(
      plainLine,
      fc.constantFrom("::", "1.2.3.4", "52.1.37.96", "0.0.0.0/0", "x", "999.1.1.1"),
      fc.tuple(fc.constantFrom("a", "1", ":", "."), fc.integer({ min: 1, max: 20_000 })).map(([c, n]) => c.repeat(n)),
    );
    const line = fc
      .tuple(fc.array(token, { minLength: 1, maxLength: 300 }), fc.constantFrom(" ", ",", ", ", "\t"))
      .map(([ts, sep]) => ts.join(sep));
    const wrap: Record<string, (addresses: string) => string> = {
      plain: (a) => a,
      iptables: (a) =>
        `*filter\n:INPUT DROP [0:0]\n-A INPUT -s ${a.replace(/[\s,]+/g, ",")} -p tcp --dport 443 -j ACCEPT\nCOMMIT\n`,
      nftables: (a) =>
        `table inet filter {\n  chain input {\n    type filter hook input priority 0; policy drop;\n    ip saddr { ${a.replace(/[\s,]+/g, ", ")} } tcp dport 443 accept\n  }\n}\n`,
      nginx: (a) => `server {\n  listen 443;\n  allow ${a.replace(/[\s,]+/g, ";\n  allow ")};\n  deny all;\n}\n`,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...Object.keys(wrap)),
        async (lines, format) => {
          const text = wrap[format]!(lines.join("\n"));
          const rows = rowsOf(text, format as FormatId, false);
          const { size, json } = await emitted(rows);
          assertBounded(json!, text.length, size);
          if (format === "plain") {
            // The columnar engine (the CLI's and the API's for plain lists) prints the same bytes.
            const a: string[] = [];
            const b: string[] = [];
            await emitDiffReportJson(rowsOf(text, "plain", true), 1, (c) => void a.push(c));
            await emitDiffReportJson(rows, 1, (c) => void b.push(c));
            assert.equal(a.join(""), b.join(""));
          }
        },
      ),
      { numRuns: 60, seed: 10 },
    );
  });

  // Lines up to the 20 MB input limit: the cheap shapes at the limit itself, the dense one (an entry per 11 bytes) at
  // 1 MB so the suite stays fast; lib/bench/soak.ts runs 20 MB diffs against the server.
  const big: [string, () => string][] = [
    ["one 20 MB token", () => "7".repeat(MAX_INPUT_BYTES - 1)],
    ["an address and a 20 MB comment", () => `52.1.37.96 # ${"c".repeat(MAX_INPUT_BYTES - 20)}`],
    ["20 MB of bad tokens", () => "x ".repeat(MAX_INPUT_BYTES / 2 - 1)],
    ["1 MB of addresses", () => "52.1.37.96 ".repeat((1 << 20) / 11)],
  ];
  for (const [name, make] of big) {
    test(`no crash and a bounded report: ${name}`, async () => {
      const text = make();
      for (const columnar of [true, false]) {
        const { size, json } = await emitted(rowsOf(text, "plain", columnar));
        assertBounded(json!, text.length, size);
        assert.equal(json!.lines.length, 1);
        assert.equal(json!.lines[0]!.text, cutText(text.trim()));
      }
    });
  }
});
