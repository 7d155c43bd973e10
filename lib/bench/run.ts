/**
 * `npm run bench`: plain lists of 10k, 100k and 1M lines (fixed seed), our parse + diff in process through runDiff (the
 * engine every caller uses), the cidr-tools peer in a child process (timed out at PEER_TIMEOUT_MS), then issue 9's
 * goals on the 1M list with the peer of the same run:
 *   - the whole `allowlist diff` process, text report and `--json` (to a file), each run RUNS times (median wall
 *     clock; user+system CPU and peak RSS from GNU time), as a ratio to the peer;
 *   - POST /api/v1/diff of the 1M list to the production server: its memory growth (lib/bench/api-diff.ts).
 * Then the parse speed of every format (BENCH_FORMAT_LINES, default 100,000; 0 skips it).
 * Results: tables on stdout and lib/bench/results/latest.json.
 *
 *   npm run bench
 *   BENCH_SKIP_BUILD=1 BENCH_FORMAT_LINES=0 BENCH_API_PORT=3235 npm run bench
 *   BENCH_SKIP_API=1 BENCH_SIZES=1000000 npm run bench          # CLI goals only
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDiff } from "../diff/run";
import { SEED_CATALOG } from "../diff/seed.fixture";
import { samplePrng } from "../parse/vendors/samples";
import { measureApiDiff, type ApiDiffResult } from "./api-diff";
import { benchFormats, formatBenchTable } from "./formats";

const root = fileURLToPath(new URL("../../", import.meta.url));
const SIZES = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const BIG = 1_000_000;
const PEER_TIMEOUT_MS = 120_000;
/** Runs of each whole CLI process; the median wall clock is reported (the machine may be shared). */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ALL_REGIONS = [...new Set(SEED_CATALOG.map((p) => p.region))];
const GOALS = { textRatio: 20, jsonRatio: 10, cliPeakMb: 200, apiGrowthMb: 300 } as const;

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

/** A child process as GNU time sees it (wall clock measured here; CPU and peak RSS from `time -v` when present). */
interface Timed {
  wallMs: number;
  cpuS: number | null;
  userS: number | null;
  peakRssMb: number | null;
  exitCode: number | null;
}

const hasTime = existsSync("/usr/bin/time");

/** Node with `args`, stdout to `stdoutFile` (or kept), killed after `timeoutMs` by coreutils' timeout (so GNU time
 *  still reports on it). */
function timed(
  args: string[],
  env: NodeJS.ProcessEnv,
  stdoutFile?: string,
  timeoutMs?: number,
): Timed & { stdout: string } {
  const fd = stdoutFile === undefined ? undefined : openSync(stdoutFile, "w");
  const command = [
    ...(timeoutMs !== undefined ? ["timeout", String(timeoutMs / 1000)] : []),
    process.execPath,
    ...args,
  ];
  const start = performance.now();
  try {
    const r = spawnSync(hasTime ? "/usr/bin/time" : command[0]!, hasTime ? ["-v", ...command] : command.slice(1), {
      cwd: root,
      env,
      encoding: "utf8",
      stdio: ["ignore", fd ?? "pipe", "pipe"],
      maxBuffer: 1 << 24,
    });
    const wallMs = performance.now() - start;
    const field = (name: string) => {
      const m = new RegExp(`${name}: ([\\d.]+)`).exec(r.stderr ?? "");
      return m ? Number(m[1]) : null;
    };
    const user = field("User time \\(seconds\\)");
    const sys = field("System time \\(seconds\\)");
    const rss = field("Maximum resident set size \\(kbytes\\)");
    return {
      wallMs,
      cpuS: user === null || sys === null ? null : user + sys,
      userS: user,
      peakRssMb: rss === null ? null : rss / 1024,
      exitCode: r.error ? null : r.status,
      stdout: r.stdout ?? "",
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The peer's own timing (reading and merging, without Node's start-up) and its whole process. */
function peer(file: string): { ms: number | null; timedOut: boolean; process: Timed } {
  const t = timed(["--import", "tsx", "lib/bench/peer.ts", file], process.env, undefined, PEER_TIMEOUT_MS);
  if (t.exitCode !== 0) return { ms: null, timedOut: true, process: t };
  return { ms: (JSON.parse(t.stdout) as { ms: number }).ms, timedOut: false, process: t };
}

interface CliRuns extends Timed {
  /** Every run's wall clock, ms. */
  runs: number[];
  outputBytes: number;
  sha256: string;
}

/** The whole CLI process as `npm run allowlist` starts it (the bundled launcher), RUNS times: the median run. */
function cliRuns(file: string, dbUrl: string, extra: string[], out: string): CliRuns {
  const env = { ...process.env, DATABASE_URL: dbUrl, NO_COLOR: "1" };
  const all: Timed[] = [];
  for (let k = 0; k < RUNS; k++) all.push(timed(["lib/cli/launch.mjs", "diff", "--input", file, ...extra], env, out));
  const sorted = all.slice().sort((a, b) => a.wallMs - b.wallMs);
  const median = sorted[(sorted.length - 1) >> 1]!;
  const bytes = readFileSync(out);
  return {
    ...median,
    runs: all.map((t) => t.wallMs),
    outputBytes: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

const dir = mkdtempSync(join(tmpdir(), "allowlist-bench-"));
const rows: Row[] = [];
let text: CliRuns | undefined;
let json: CliRuns | undefined;
let api: ApiDiffResult | { error: string } | undefined;
let peerBig: ReturnType<typeof peer> | undefined;
try {
  for (const lines of SIZES) {
    const file = join(dir, `list-${lines}.txt`);
    writeFileSync(file, generate(lines));
    const input = readFileSync(file, "utf8");
    const mb = Buffer.byteLength(input) / 1024 / 1024;
    const t0 = performance.now();
    let t1 = t0;
    runDiff({
      text: input,
      format: "plain",
      regions: ALL_REGIONS,
      port: 443,
      catalog: SEED_CATALOG,
      maxBytes: Number.POSITIVE_INFINITY,
      onParsed: () => (t1 = performance.now()),
    });
    const t2 = performance.now();
    const p = peer(file);
    if (lines === BIG) peerBig = p;
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
  if (SIZES.includes(BIG)) {
    const big = join(dir, `list-${BIG}.txt`);
    const small = join(dir, "list-warm.txt");
    writeFileSync(small, generate(10_000));
    const dbUrl = `file:${join(dir, "bench.db")}`;
    const out = join(dir, "out");
    // Creates the database and the CLI bundle outside the measurement.
    timed(["lib/cli/launch.mjs", "diff", "--input", small], { ...process.env, DATABASE_URL: dbUrl }, out);
    text = cliRuns(big, dbUrl, [], out);
    json = cliRuns(big, dbUrl, ["--json"], out);
    rmSync(out, { force: true });
    if (process.env.BENCH_SKIP_API !== "1") {
      try {
        api = await measureApiDiff({
          file: big,
          warmFile: small,
          port: Number(process.env.BENCH_API_PORT ?? 3235),
          dbUrl,
        });
      } catch (error) {
        api = { error: (error as Error).message };
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const fmt = (n: number | null | undefined, digits = 0) => (n === null || n === undefined ? "-" : n.toFixed(digits));
console.log("In process (runDiff: parse + diff), the peer in its own process:");
console.log("lines      MB     parse ms  diff ms  lines/s     MB/s   cidr-tools ms  peer/ours");
for (const r of rows) {
  const peerText = r.peerTimedOut ? `> ${PEER_TIMEOUT_MS / 1000} s` : fmt(r.peerMs);
  console.log(
    `${String(r.lines).padEnd(10)} ${fmt(r.mb, 1).padStart(5)}  ${fmt(r.parseMs).padStart(8)}  ${fmt(r.diffMs).padStart(7)}  ${fmt(r.linesPerSec).padStart(9)}  ${fmt(r.mbPerSec, 1).padStart(6)}  ${peerText.padStart(13)}  ${r.ratio === null ? "-" : `${r.ratio.toFixed(2)}×`}`,
  );
}

interface Goal {
  measure: string;
  value: string;
  goal: string;
  met: boolean | null;
}
const goals: Goal[] = [];
const peerMs = peerBig?.ms ?? null;
const peerCpu = peerBig?.process.cpuS ?? null;
const ratioGoal = (name: string, run: CliRuns | undefined, goal: number) => {
  if (run === undefined) return;
  const wall = peerMs === null ? null : peerMs / run.wallMs;
  const cpu = peerCpu === null || run.cpuS === null ? null : peerCpu / run.cpuS;
  goals.push({
    measure: `${name}: peer / ours`,
    value: `${wall === null ? "-" : `${wall.toFixed(1)}×`} wall (${fmt(run.wallMs)} ms), ${cpu === null ? "-" : `${cpu.toFixed(1)}×`} CPU (${fmt(run.cpuS, 2)} s)`,
    goal: `≥ ${goal}×`,
    met: wall === null ? null : wall >= goal,
  });
  goals.push({
    measure: `${name}: peak RSS`,
    value: `${fmt(run.peakRssMb)} MB${run.exitCode === 0 || run.exitCode === 1 ? "" : ` (exit ${run.exitCode})`}`,
    goal: `≤ ${GOALS.cliPeakMb} MB`,
    met: run.peakRssMb === null ? null : run.peakRssMb <= GOALS.cliPeakMb,
  });
};
ratioGoal("allowlist diff, text", text, GOALS.textRatio);
ratioGoal("allowlist diff --json", json, GOALS.jsonRatio);
if (api !== undefined) {
  if ("error" in api)
    goals.push({
      measure: "POST /api/v1/diff: server memory growth",
      value: `failed: ${api.error}`,
      goal: `≤ ${GOALS.apiGrowthMb} MB`,
      met: false,
    });
  else {
    const same = json !== undefined && api.sha256 === json.sha256;
    goals.push({
      measure: "POST /api/v1/diff: server memory growth",
      value: `${fmt(api.growthMb)} MB (${fmt(api.rssBeforeMb)} → ${fmt(api.peakRssMb)} MB${api.hwmReset ? "" : ", polled"}), ${fmt(api.wallMs)} ms, HTTP ${api.status}, ${(api.responseBytes / 1e6).toFixed(0)} MB${json !== undefined ? `, ${same ? "=" : "≠"} CLI --json` : ""}`,
      goal: `≤ ${GOALS.apiGrowthMb} MB`,
      met: api.status === 200 && api.growthMb <= GOALS.apiGrowthMb && (json === undefined || same),
    });
  }
}
if (goals.length > 0) {
  const peerText =
    peerBig === undefined
      ? ""
      : peerBig.timedOut
        ? `timed out (> ${PEER_TIMEOUT_MS / 1000} s)`
        : `${fmt(peerMs)} ms (whole process ${fmt(peerBig.process.wallMs)} ms, ${fmt(peerCpu, 2)} s CPU, ${fmt(peerBig.process.peakRssMb)} MB)`;
  console.log(
    `\nIssue 9's goals, ${BIG.toLocaleString("en-US")}-line plain list; cidr-tools peer in this run: ${peerText}`,
  );
  const w = Math.max(...goals.map((g) => g.measure.length));
  const v = Math.max(...goals.map((g) => g.value.length));
  for (const g of goals)
    console.log(
      `  ${g.measure.padEnd(w)}  ${g.value.padEnd(v)}  ${g.goal.padEnd(9)} ${g.met === null ? "?" : g.met ? "✓" : "✗"}`,
    );
  if (json !== undefined)
    console.log(
      `  (--json wrote ${(json.outputBytes / 1e6).toFixed(0)} MB; wall clock of each run: text ${text?.runs.map((r) => r.toFixed(0)).join(", ")} ms, json ${json.runs.map((r) => r.toFixed(0)).join(", ")} ms)`,
    );
}

// Issue 4: every vendor format parses within the same order of speed as a plain list.
const formatLines = Number(process.env.BENCH_FORMAT_LINES ?? 100_000);
let formatRows: Awaited<ReturnType<typeof benchFormats>> = [];
if (formatLines > 0) {
  console.log(`\nParse speed per format, ${formatLines.toLocaleString("en-US")} generated lines (median of 3):`);
  formatRows = await benchFormats(formatLines);
  console.log(formatBenchTable(formatRows));
}
mkdirSync(join(root, "lib/bench/results"), { recursive: true });
const strip = (r: CliRuns | undefined) => (r === undefined ? undefined : { ...r, sha256: r.sha256.slice(0, 16) });
writeFileSync(
  join(root, "lib/bench/results/latest.json"),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      rows,
      peer1M:
        peerBig === undefined ? undefined : { ms: peerBig.ms, timedOut: peerBig.timedOut, process: peerBig.process },
      cliText1M: strip(text),
      cliJson1M: strip(json),
      api1M: api,
      goals,
      peerTimeoutMs: PEER_TIMEOUT_MS,
      formats: formatRows,
    },
    null,
    2,
  )}\n`,
);
