/**
 * `npm run bench`: plain lists of 10k, 100k and 1M lines (fixed seed), our parse + diff in process, the cidr-tools
 * peer in a child process (timed out at PEER_TIMEOUT_MS), and the whole `allowlist diff` process on the 1M list.
 * Results: a table on stdout and lib/bench/results/latest.json.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { diff } from "../diff/diff";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { parseText } from "../parse/registry";
import { benchFormats, formatBenchTable } from "./formats";
import { samplePrng } from "../parse/vendors/samples";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SIZES = [10_000, 100_000, 1_000_000];
const PEER_TIMEOUT_MS = 120_000;


function generate(lines: number): string {
  const next = samplePrng(42);
  const int = (n: number) => Math.floor(next() * n);
  const v4 = () => `${1 + int(223)}.${int(256)}.${int(256)}.${int(256)}`;
  const v6 = () => `2001:db8:${int(65536).toString(16)}:${int(65536).toString(16)}::${int(65536).toString(16)}`;
  const out: string[] = new Array<string>(lines);
  for (let i = 0; i < lines; i++) {
    const roll = next();
    // About one line in a thousand is a published NAT IP, so the diff has real coverage to find.
    if (roll < 0.001) out[i] = SEED_CATALOG[int(SEED_CATALOG.length)]!.cidr;
    else if (roll < 0.7) out[i] = v4();
    else if (roll < 0.85) out[i] = `${v4()}/${16 + int(17)}`;
    else if (roll < 0.95) out[i] = v6();
    else out[i] = `2001:db8:${int(65536).toString(16)}::/${48 + int(17)}`;
  }
  return `${out.join("\n")}\n`;
}

interface Row {
  lines: number;
  mb: number;
  parseMs: number;
  diffMs: number;
  linesPerSec: number;
  mbPerSec: number;
  peerMs: number | null;
  peerTimedOut: boolean;
  ratio: number | null;
}

function peer(file: string): { ms: number | null; timedOut: boolean } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "lib/bench/peer.ts", file], { cwd: root, encoding: "utf8", timeout: PEER_TIMEOUT_MS, maxBuffer: 1 << 20 });
  if (r.error || r.status !== 0) return { ms: null, timedOut: true };
  return { ms: (JSON.parse(r.stdout) as { ms: number }).ms, timedOut: false };
}

/** The whole CLI process as `npm run allowlist` starts it (the bundled launcher), wall clock, with peak RSS from GNU
 *  time when present. */
function endToEnd(file: string, dbUrl: string): { wallMs: number; peakRssMb: number | null; exitCode: number | null } {
  const args = ["lib/cli/launch.mjs", "diff", "--input", file];
  const useTime = existsSync("/usr/bin/time");
  const start = performance.now();
  const r = useTime
    ? spawnSync("/usr/bin/time", ["-v", process.execPath, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: dbUrl }, maxBuffer: 1 << 28 })
    : spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: dbUrl }, maxBuffer: 1 << 28 });
  const wallMs = performance.now() - start;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? "");
  return { wallMs, peakRssMb: m ? Number(m[1]) / 1024 : null, exitCode: r.status };
}

const dir = mkdtempSync(join(tmpdir(), "allowlist-bench-"));
const rows: Row[] = [];
let e2e: ReturnType<typeof endToEnd> | undefined;
try {
  for (const lines of SIZES) {
    const file = join(dir, `list-${lines}.txt`);
    writeFileSync(file, generate(lines));
    const text = readFileSync(file, "utf8");
    const mb = Buffer.byteLength(text) / 1024 / 1024;
    const t0 = performance.now();
    const parsed = parseText(text, "plain", { maxBytes: Number.POSITIVE_INFINITY });
    const t1 = performance.now();
    diff(SEED_CATALOG, parsed);
    const t2 = performance.now();
    const p = peer(file);
    const total = (t2 - t0) / 1000;
    rows.push({
      lines,
      mb,
      parseMs: t1 - t0,
      diffMs: t2 - t1,
      linesPerSec: lines / total,
      mbPerSec: mb / total,
      peerMs: p.ms,
      peerTimedOut: p.timedOut,
      ratio: p.ms === null ? null : p.ms / (t2 - t0),
    });
  }
  const dbUrl = `file:${join(dir, "bench.db")}`;
  endToEnd(join(dir, "list-10000.txt"), dbUrl); // creates the database and the CLI bundle outside the measurement
  e2e = endToEnd(join(dir, "list-1000000.txt"), dbUrl);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (n: number | null, digits = 0) => (n === null ? "-" : n.toFixed(digits));
console.log("lines      MB     parse ms  diff ms  lines/s     MB/s   cidr-tools ms  peer/ours");
for (const r of rows) {
  const peerText = r.peerTimedOut ? `> ${PEER_TIMEOUT_MS / 1000} s` : fmt(r.peerMs);
  console.log(
    `${String(r.lines).padEnd(10)} ${fmt(r.mb, 1).padStart(5)}  ${fmt(r.parseMs).padStart(8)}  ${fmt(r.diffMs).padStart(7)}  ${fmt(r.linesPerSec).padStart(9)}  ${fmt(r.mbPerSec, 1).padStart(6)}  ${peerText.padStart(13)}  ${r.ratio === null ? "-" : `${r.ratio.toFixed(2)}×`}`,
  );
}
const peer1m = rows.at(-1)?.peerMs ?? null;
if (e2e) {
  const ratio = peer1m === null ? "-" : `${(peer1m / e2e.wallMs).toFixed(2)}×`;
  console.log(`\nallowlist diff, whole process, 1M lines: ${fmt(e2e.wallMs)} ms wall, peak RSS ${e2e.peakRssMb === null ? "n/a" : `${fmt(e2e.peakRssMb)} MB`}, exit ${e2e.exitCode}; cidr-tools peer / whole process = ${ratio} (goal ≥ 10×)`);
}
// Issue 4: every vendor format parses within the same order of speed as a plain list.
const formatLines = Number(process.env.BENCH_FORMAT_LINES ?? 100_000);
console.log(`\nParse speed per format, ${formatLines.toLocaleString("en-US")} generated lines (median of 3):`);
const formatRows = await benchFormats(formatLines);
console.log(formatBenchTable(formatRows));
mkdirSync(join(root, "lib/bench/results"), { recursive: true });
writeFileSync(
  join(root, "lib/bench/results/latest.json"),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, endToEnd1M: e2e, peerTimeoutMs: PEER_TIMEOUT_MS, formats: formatRows }, null, 2)}\n`,
);
