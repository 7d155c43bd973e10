/**
 * Parse speed per format: each format's synthetic config (lib/parse/vendors/samples.ts) of about `lines` lines,
 * parsed by that format's reader (detection not included). `npx tsx lib/bench/formats.ts 100000 [FORMAT …]` prints a
 * table with the issue 9 goal (≥ 30 MB/s) per row and writes the rows to lib/bench/results/formats.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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
  /** Median CPU time of this process over the same runs: on a shared machine it moves less than wall time. */
  cpuMs: number;
  /** mbPerSec ≥ GOAL_MB_PER_SEC. */
  meetsGoal: boolean;
}

/** Issue 9: every vendor format parses at this speed or faster. */
export const GOAL_MB_PER_SEC = 30;

const RUNS = 3;
const SEED = 42;

/** Median of RUNS parses after a small warm-up, so JIT compilation is not billed to the first format. */
export async function benchFormats(lines: number, only: readonly FormatId[] = formatIds): Promise<FormatBenchRow[]> {
  const rows: FormatBenchRow[] = [];
  for (const format of only) {
    const generate = sampleGenerators[format];
    if (!generate) throw new Error(`no sample generator for ${format}`);
    const text = generate(lines, SEED);
    parseText(generate(Math.min(lines, 2000), SEED + 1), format, { maxBytes: Number.POSITIVE_INFINITY });
    const times: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const out = parseText(text, format, { maxBytes: Number.POSITIVE_INFINITY });
      times.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
      if (out.entries.length === 0) throw new Error(`${format}: the sample parsed to no entries`);
      // Yield between runs so a caller's timers and I/O are not starved.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const parseMs = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    const cpuMs = cpu.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
    const n = countLines(text);
    const bytes = Buffer.byteLength(text, "utf8");
    const mbPerSec = Math.round((bytes / 1024 / 1024 / (parseMs / 1000)) * 10) / 10;
    rows.push({
      format,
      lines: n,
      bytes,
      parseMs: Math.round(parseMs * 10) / 10,
      linesPerSec: Math.round(n / (parseMs / 1000)),
      mbPerSec,
      cpuMs: Math.round(cpuMs * 10) / 10,
      meetsGoal: mbPerSec >= GOAL_MB_PER_SEC,
    });
  }
  return rows;
}

export function formatBenchTable(rows: readonly FormatBenchRow[]): string {
  const head = [
    "format",
    "lines",
    "MB",
    "parse ms",
    "cpu ms",
    "lines/s",
    "MB/s",
    `goal ≥ ${GOAL_MB_PER_SEC} MB/s`,
    "× plain",
  ];
  const plain = rows.find((r) => r.format === "plain");
  const body = rows.map((r) => [
    r.format,
    r.lines.toLocaleString("en-US"),
    (r.bytes / 1024 / 1024).toFixed(2),
    r.parseMs.toFixed(1),
    r.cpuMs.toFixed(1),
    r.linesPerSec.toLocaleString("en-US"),
    r.mbPerSec.toFixed(1),
    r.meetsGoal ? "✓" : "✗",
    plain ? (r.parseMs / plain.parseMs).toFixed(2) : "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), ...body.map(line)].join("\n");
}

/** Writes the rows (with the date, Node version and goal) to lib/bench/results/formats.json; returns its path. */
export function writeFormatResults(rows: readonly FormatBenchRow[]): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "formats.json");
  const doc = { date: new Date().toISOString(), node: process.version, goalMbPerSec: GOAL_MB_PER_SEC, rows };
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lines = Number(process.argv[2] ?? 100_000);
  const only = process.argv.slice(3);
  const unknown = only.filter((f) => !(formatIds as readonly string[]).includes(f));
  if (!Number.isInteger(lines) || lines < 10 || unknown.length > 0) {
    console.error(
      `usage: tsx lib/bench/formats.ts [LINES ≥ 10] [FORMAT …]${unknown.length > 0 ? ` (unknown: ${unknown.join(", ")})` : ""}`,
    );
    process.exit(2);
  }
  const rows = await benchFormats(lines, only.length > 0 ? (only as FormatId[]) : formatIds);
  console.log(formatBenchTable(rows));
  console.log(`\nrows written to ${writeFormatResults(rows)}`);
}
