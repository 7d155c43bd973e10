import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { PublishedEntry } from "../../catalog/types";
import { scanPlainColumns } from "../../parse/columnar";
import { plainText } from "../../parse/plain.testkit";
import { parsePlain } from "../../parse/plain";
import { diffColumns } from "./columnar";
import { diff } from "./objects";
import { diffReportJson, emitDiffReportJson, rowsOfResult } from "../report";
import { PRODUCTS } from "../seed.fixture";
import type { DiffOptions, DiffRows } from "../types";

const CAT: PublishedEntry[] = [
  { cidr: "52.1.37.96/32", region: "US", products: PRODUCTS },
  { cidr: "52.1.32.88/31", region: "US", products: PRODUCTS },
  { cidr: "10.0.1.0/30", region: "US", products: PRODUCTS },
  { cidr: "3.74.148.8/32", region: "EU", products: PRODUCTS },
  { cidr: "10.0.2.4/32", region: "EU", products: PRODUCTS },
  { cidr: "2001:db8::/126", region: "EU", products: PRODUCTS },
  { cidr: "2001:db8::4/128", region: "IN", products: PRODUCTS },
];

async function json(rows: DiffRows, version: number): Promise<string> {
  const chunks: string[] = [];
  await emitDiffReportJson(rows, version, (c) => void chunks.push(c));
  return chunks.join("");
}

function rows(r: DiffRows) {
  const out = [];
  for (let i = 0; i < r.entryCount; i++) out.push({ verdict: r.entryAt(i), attention: r.needsAttention(i) });
  return out;
}

const options = fc.record(
  {
    regions: fc.subarray(["US", "EU", "IN", "us"]),
    port: fc.constantFrom(443, 80),
    overbroadV4: fc.integer({ min: 8, max: 32 }),
    overbroadV6: fc.integer({ min: 16, max: 128 }),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Partial<DiffOptions>>;

describe("diffColumns", () => {
  test("equals diff(published, parsePlain(text)) on random lists, options and catalogs", async () => {
    await fc.assert(
      fc.asyncProperty(plainText, options, fc.subarray(CAT), async (text, opts, catalog) => {
        const reference = diff(catalog, parsePlain(text), opts);
        const columnar = diffColumns(catalog, scanPlainColumns(text), opts);
        assert.deepEqual(columnar.toDiffResult(), reference);
        assert.deepEqual(rows(columnar), rows(rowsOfResult(reference)));
        assert.equal(await json(columnar, 3), diffReportJson(reference, 3));
        const parts = [];
        let attention = 0;
        for (let i = 0; i < columnar.entryCount; i++) {
          parts.push([columnar.rowLine(i), columnar.rowStatus(i), columnar.rowFlags(i)]);
          if (columnar.needsAttention(i)) attention++;
        }
        // The count the reports take instead of asking every row.
        assert.equal(columnar.attentionCount, attention);
        assert.deepEqual(
          parts,
          reference.entries.map((v) => [v.line, v.status, v.flags]),
        );
        // rowKey: one key per status and flags, and one status and flags per key (the JSON writer's cache key).
        const byKey = new Map<number, string>();
        const byVerdict = new Map<string, number>();
        for (let i = 0; i < columnar.entryCount; i++) {
          const key = columnar.rowKey(i);
          const verdict = `${columnar.rowStatus(i)} ${columnar.rowFlags(i).join(",")}`;
          assert.ok(Number.isInteger(key) && key >= 0 && key < 65536, `key ${key}`);
          assert.equal(byKey.get(key) ?? verdict, verdict, `row ${i}: key ${key}`);
          assert.equal(byVerdict.get(verdict) ?? key, key, `row ${i}: ${verdict}`);
          byKey.set(key, verdict);
          byVerdict.set(verdict, key);
        }
      }),
      { numRuns: 300 },
    );
  });

  test("a small list, exact rows", () => {
    const text = "52.1.37.96\n10.0.0.0/8\n10.0.0.1\n52.1.37.96\nbad\n2001:db8::1/126\n";
    const r = diffColumns(CAT, scanPlainColumns(text), { regions: ["US"] });
    assert.deepEqual(r.summary, { published: 3, covered: 2, partial: 0, missing: 1 });
    assert.equal(r.entryCount, 6);
    assert.deepEqual(r.toDiffResult(), diff(CAT, parsePlain(text), { regions: ["US"] }));
    assert.deepEqual(rows(r), [
      {
        verdict: {
          line: 1,
          text: "52.1.37.96",
          status: "covers",
          flags: [],
          message: "Allows 52.1.37.96/32 (US) exactly.",
          entryIndex: 0,
        },
        attention: false,
      },
      {
        verdict: {
          line: 2,
          text: "10.0.0.0/8",
          status: "covers",
          flags: ["overbroad", "other-region"],
          message: "Over-broad: 10.0.0.0/8 allows 16,777,216 addresses (wider than /16).",
          entryIndex: 1,
        },
        attention: true,
      },
      {
        verdict: {
          line: 3,
          text: "10.0.0.1",
          status: "unrelated",
          flags: ["redundant"],
          message: "Already inside 10.0.0.0/8 (line 2).",
          entryIndex: 2,
        },
        attention: true,
      },
      {
        verdict: {
          line: 4,
          text: "52.1.37.96",
          status: "unrelated",
          flags: ["duplicate"],
          message: "Allows 52.1.37.96/32 (US), already allowed by line 1.",
          entryIndex: 3,
        },
        attention: true,
      },
      {
        verdict: {
          line: 5,
          text: "bad",
          status: "invalid",
          flags: [],
          message: 'Not an address: "bad" — not an IP address (column 1).',
        },
        attention: true,
      },
      {
        verdict: {
          line: 6,
          text: "2001:db8::1/126",
          status: "unrelated",
          flags: ["host-bits", "other-region"],
          message: "Allows NAT IPs of EU, a region not chosen (checking US).",
          entryIndex: 4,
        },
        attention: true,
      },
    ]);
  });
});
