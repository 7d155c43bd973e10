/**
 * POST /api/v1/diff on a big plain list against the production server (lib/server/server.mjs, the way `npm start`
 * serves it): the server's resident memory before the request and its peak while it reads, diffs and streams the
 * report, and the report's bytes (with a digest, so the bench can check it equals the CLI's `--json` output).
 *
 * The peak is the kernel's own high-water mark (VmHWM), reset just before the request by writing 5 to
 * /proc/PID/clear_refs (Linux ≥ 4.0; root or the same user), and also polled from VmRSS every 10 ms in case the reset
 * is refused. Only 127.0.0.1 is contacted; the server is stopped before this returns.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

export interface ApiDiffResult {
  readonly status: number;
  readonly wallMs: number;
  readonly responseBytes: number;
  readonly sha256: string;
  /** Server VmRSS just before the request (after a small warm-up diff). */
  readonly rssBeforeMb: number;
  /** Highest resident set seen during the request (VmHWM after a reset, or the polled VmRSS when higher). */
  readonly peakRssMb: number;
  readonly growthMb: number;
  /** Whether the kernel's high-water mark could be reset (else the peak is the polled one only). */
  readonly hwmReset: boolean;
}

function kb(status: string, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return m ? Number(m[1]) : 0;
}

function procStatus(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return "";
  }
}

function cli(args: string[], env: NodeJS.ProcessEnv, input?: string): string {
  const r = spawnSync(process.execPath, ["lib/cli/launch.mjs", ...args], {
    cwd: root,
    env,
    encoding: "utf8",
    ...(input !== undefined ? { input } : {}),
  });
  if (r.status !== 0) throw new Error(`allowlist ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

async function waitUp(base: string, exited: () => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (exited()) throw new Error(`the server on ${base} exited`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server on ${base} did not start`);
}

/** Reads a response body to its end, counting and hashing it without keeping it. */
async function drain(res: Response): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    hash.update(value);
  }
  return { bytes, sha256: hash.digest("hex") };
}

/**
 * Builds the app when its sources changed (lib/server/build-if-changed.mjs; BENCH_SKIP_BUILD=1 skips), starts the
 * server on `port` over `dbUrl` (a database the CLI has already created), signs a bench admin in with an API token,
 * warms up with `warmFile`, then measures one POST of `file`.
 */
export async function measureApiDiff(opts: {
  file: string;
  warmFile: string;
  port: number;
  dbUrl: string;
}): Promise<ApiDiffResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: opts.dbUrl, NEXT_TELEMETRY_DISABLED: "1" };
  if (process.env.BENCH_SKIP_BUILD !== "1") {
    const b = spawnSync(process.execPath, ["lib/server/build-if-changed.mjs"], {
      cwd: root,
      env,
      stdio: ["ignore", "ignore", "inherit"],
    });
    if (b.status !== 0) throw new Error("the production build failed");
  }
  cli(["user", "create", "--admin", "bench@example.com"], env, "bench password 0123456789\n");
  const token = cli(["token", "create", "--user", "bench@example.com", "--role", "admin"], env);
  const base = `http://127.0.0.1:${opts.port}`;
  const server = spawn(process.execPath, ["lib/server/server.mjs"], {
    cwd: root,
    env: { ...env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(opts.port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const pid = server.pid!;
  try {
    await waitUp(base, () => server.exitCode !== null);
    const post = (body: Buffer) =>
      fetch(`${base}/api/v1/diff`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "text/plain" },
        body: body as Uint8Array<ArrayBuffer>,
      });
    // The route compiled and loaded, the catalog read once: what a running server has done before a big request.
    const warm = await post(readFileSync(opts.warmFile));
    await drain(warm);
    if (warm.status !== 200) throw new Error(`warm-up diff: ${warm.status}`);
    const body = readFileSync(opts.file);
    await new Promise((r) => setTimeout(r, 500));
    const rssBefore = kb(procStatus(pid), "VmRSS");
    let hwmReset = true;
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, "5");
    } catch {
      hwmReset = false;
    }
    let polled = rssBefore;
    const poll = setInterval(() => {
      polled = Math.max(polled, kb(procStatus(pid), "VmRSS"));
    }, 10);
    const start = performance.now();
    const res = await post(body);
    const { bytes, sha256 } = await drain(res);
    const wallMs = performance.now() - start;
    clearInterval(poll);
    const hwm = hwmReset ? kb(procStatus(pid), "VmHWM") : 0;
    const peak = Math.max(polled, hwm);
    return {
      status: res.status,
      wallMs,
      responseBytes: bytes,
      sha256,
      rssBeforeMb: rssBefore / 1024,
      peakRssMb: peak / 1024,
      growthMb: (peak - rssBefore) / 1024,
      hwmReset,
    };
  } finally {
    server.kill("SIGTERM");
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null) resolve();
      else server.once("exit", () => resolve());
      setTimeout(() => {
        if (server.exitCode === null) server.kill("SIGKILL");
        resolve();
      }, 5000);
    });
  }
}
