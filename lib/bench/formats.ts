/**
 * Parse speed per format: each format's synthetic config (lib/parse/vendors/samples.ts) of about `lines` lines,
 * parsed by that format's reader (detection not included). `npx tsx lib/bench/formats.ts 100000` prints a table.
 */
import { pathToFileURL } from "node:url";
import { countLines } from "../parse/lines";
import { formatIds, parseText } from "../parse/registry";
import type { FormatId } from "../parse/types";
import { sampleGenerators } from "../parse/vendors/samples";

export interface FormatBenchRow {
  format: FormatId;
  /** Lines actually generated (generators for JSON formats come close to, not exactly, the request). */
  lines: number;
  bytes: number;
  parseMs: number;
  linesPerSec: number;
  mbPerSec: number;
}

const RUNS = 3;
const SEED = 42;

/** Median of RUNS parses after a small warm-up, so JIT compilation is not billed to the first format. */
export async function benchFormats(lines: number): Promise<FormatBenchRow[]> {
  const rows: FormatBenchRow[] = [];
  for (const format of formatIds) {
    const generate = sampleGenerators[format];
    if (!generate) throw new Error(`no sample generator for ${format}`);
    const text = generate(lines, SEED);
    parseText(generate(Math.min(lines, 2000), SEED + 1), format, { maxBytes: Number.POSITIVE_INFINITY });
    const times: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const start = performance.now();
      const out = parseText(text, format, { maxBytes: Number.POSITIVE_INFINITY });
      times.push(performance.now() - start);
      if (out.entries.length === 0) throw new Error(`${format}: the sample parsed to no entries`);
      // Yield between runs so a caller's timers and I/O are not starved.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const parseMs = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    const n = countLines(text);
    const bytes = Buffer.byteLength(text, "utf8");
    rows.push({
      format,
      lines: n,
      bytes,
      parseMs: Math.round(parseMs * 10) / 10,
      linesPerSec: Math.round(n / (parseMs / 1000)),
      mbPerSec: Math.round((bytes / 1024 / 1024 / (parseMs / 1000)) * 10) / 10,
    });
  }
  return rows;
}

export function formatBenchTable(rows: readonly FormatBenchRow[]): string {
  const head = ["format", "lines", "MB", "parse ms", "lines/s", "MB/s", "× plain"];
  const plain = rows.find((r) => r.format === "plain");
  const body = rows.map((r) => [
    r.format,
    r.lines.toLocaleString("en-US"),
    (r.bytes / 1024 / 1024).toFixed(2),
    r.parseMs.toFixed(1),
    r.linesPerSec.toLocaleString("en-US"),
    r.mbPerSec.toFixed(1),
    plain ? (r.parseMs / plain.parseMs).toFixed(2) : "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), ...body.map(line)].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lines = Number(process.argv[2] ?? 100_000);
  if (!Number.isInteger(lines) || lines < 10) {
    console.error("usage: tsx lib/bench/formats.ts [LINES ≥ 10]");
    process.exit(2);
  }
  console.log(formatBenchTable(await benchFormats(lines)));
}
