import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { scanPlainColumns } from "../parse/columnar";
import { parsePlain } from "../parse/plain";
import { parseText } from "../parse/registry";
import { diffColumns } from "./engines/columnar";
import { diff } from "./engines/objects";
import { JsonChunks } from "./json-chunks";
import { diffReport, emitDiffReportBytes, emitDiffReportJson, rowsOfResult } from "./report";
import { SEED_CATALOG } from "./seed.fixture";
import type { DiffRows } from "./types";

async function bytesOf(rows: DiffRows, reuse: boolean, version = 7): Promise<{ text: string; chunks: number }> {
  const parts: Uint8Array[] = [];
  let chunks = 0;
  await emitDiffReportBytes(
    rows,
    version,
    (c) => {
      chunks++;
      // A reused buffer is overwritten by the next chunk: copy it as a file write would have consumed it.
      parts.push(reuse ? c.slice() : c);
    },
    reuse,
  );
  return { text: Buffer.concat(parts).toString("utf8"), chunks };
}

/** The old builder: the report object through JSON.stringify, two-space indent and a final newline. */
const reference = (text: string, format: "plain" | "iptables" = "plain") =>
  `${JSON.stringify(diffReport(diff(SEED_CATALOG, format === "plain" ? parsePlain(text) : parseText(text, format), {}), 7), null, 2)}\n`;

const samples: Record<string, string> = {
  empty: "",
  "published, duplicates, redundant, host bits, over-broad":
    "52.1.37.96\n52.1.37.96\n52.1.0.0/16\n52.1.37.97/24\n0.0.0.0/0\n2001:db8::/32\n2001:db8::1\n",
  "invalid rows, comments, ranges, several terms on a line":
    "# list\nbad token\n10.0.0.1-10.0.0.9\n52.1.37.96 3.74.148.8\n300.1.1.1\n",
  "quotes, backslashes, control characters and non-ASCII in lines and messages": `"52.1.37.96"\nC:\\x\\y\n\u0001\u0007\t52.1.37.96\nzoë 10.0.0.1 😀\n\u2028x\n`,
  "a lone surrogate and a line past the text limit": `\ud800 52.1.37.96\n${"1.2.3.4 ".repeat(60)}\n${"é".repeat(400)}\n`,
};

describe("the report as UTF-8 chunks equals JSON.stringify of the report object", () => {
  for (const [name, text] of Object.entries(samples)) {
    test(name, async () => {
      const expected = reference(text);
      const objects = rowsOfResult(diff(SEED_CATALOG, parsePlain(text), {}));
      const columnar = diffColumns(SEED_CATALOG, scanPlainColumns(text), {});
      for (const rows of [objects, columnar]) {
        for (const reuse of [false, true]) assert.equal((await bytesOf(rows, reuse)).text, expected);
        let viaText = "";
        await emitDiffReportJson(rows, 7, (c) => void (viaText += c));
        assert.equal(viaText, expected);
      }
    });
  }

  test("a vendor format with a path (iptables): the object engine's rows", async () => {
    const text =
      "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 52.1.37.96/32 -p tcp --dport 443 -j ACCEPT\n-A INPUT -s 3.74.148.8 -j DROP\nCOMMIT\n";
    const rows = rowsOfResult(diff(SEED_CATALOG, parseText(text, "iptables"), {}));
    assert.equal((await bytesOf(rows, false)).text, reference(text, "iptables"));
  });

  test("a report of many rows comes in several chunks, with the same bytes", async () => {
    const text = `${Array.from({ length: 40_000 }, (_, i) => `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`).join("\n")}\n52.1.37.96\n`;
    const columnar = diffColumns(SEED_CATALOG, scanPlainColumns(text), {});
    const { text: out, chunks } = await bytesOf(columnar, true);
    assert.equal(chunks, 10); // 10.5 MB in chunks of a little over 1 MiB
    assert.equal(out, reference(text));
  });
});

describe("JsonChunks", () => {
  test("string() writes exactly JSON.stringify's bytes, uint() JSON's integers", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ unit: "binary" }), fc.string()), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (strings, numbers) => {
          const parts: Uint8Array[] = [];
          const out = new JsonChunks(64, (c) => void parts.push(c));
          for (const s of strings) {
            out.string(s);
            if (out.full) await out.flush();
          }
          for (const n of numbers) out.uint(n);
          await out.flush();
          assert.equal(
            Buffer.concat(parts).toString("utf8"),
            [...strings.map((s) => JSON.stringify(s)), ...numbers.map(String)].join(""),
          );
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });

  test("uint() at every digit count and past int32: JSON's integers", async () => {
    const numbers = [
      0,
      9,
      10,
      99,
      100,
      12345,
      999_999_999,
      1_000_000_000,
      2 ** 31 - 1,
      2 ** 31,
      2 ** 32 - 1,
      2 ** 32,
      1.5,
      -1,
    ];
    for (let d = 1; d <= 10; d++) numbers.push(10 ** d - 1, 10 ** d);
    const parts: Uint8Array[] = [];
    const out = new JsonChunks(64, (c) => void parts.push(c));
    for (const n of numbers) {
      out.uint(n);
      out.ascii(",");
      if (out.full) await out.flush();
    }
    await out.flush();
    assert.equal(Buffer.concat(parts).toString("utf8"), numbers.map((n) => `${JSON.stringify(n)},`).join(""));
  });

  test("stringOf(source, start, end) writes JSON.stringify(source.slice(start, end))", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.oneof(fc.string({ unit: "binary" }), fc.string()), fc.nat(), fc.nat()), { maxLength: 20 }),
        async (cases) => {
          const parts: Uint8Array[] = [];
          const out = new JsonChunks(64, (c) => void parts.push(c));
          const expected: string[] = [];
          for (const [s, a, b] of cases) {
            const start = s.length === 0 ? 0 : a % (s.length + 1);
            const end = start + (s.length === 0 ? 0 : b % (s.length - start + 1));
            out.stringOf(s, start, end);
            expected.push(JSON.stringify(s.slice(start, end)));
            if (out.full) await out.flush();
          }
          await out.flush();
          assert.equal(Buffer.concat(parts).toString("utf8"), expected.join(""));
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});
