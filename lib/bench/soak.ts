/**
 * Soak test: the production server on 127.0.0.1 with its own fresh database, under mixed load at concurrency 50 for
 * 60 s (page views, firewall lists, small diffs and exports, saves) while two 20 MB diffs run back to back the whole
 * time. Prints errors, timeouts, non-2xx answers, p50/p99 latency per kind of request and the server's peak RSS.
 *
 *   npx tsx lib/bench/soak.ts            # builds first (next build), then runs
 *   SOAK_SKIP_BUILD=1 SOAK_SECONDS=30 SOAK_PORT=3291 npx tsx lib/bench/soak.ts
 *
 * It talks only to the server it starts, on 127.0.0.1, and stops it (and itself) when done.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";

const root = fileURLToPath(new URL("../../", import.meta.url));
const seconds = Math.min(Number(process.env.SOAK_SECONDS ?? 60), 60);
const port = Number(process.env.SOAK_PORT ?? 3290);
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), "allowlist-soak-"));
const env = { ...process.env, DATABASE_URL: `file:${join(dir, "soak.db")}`, NEXT_TELEMETRY_DISABLED: "1" };

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
}

function rssMB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function waitUp(server: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error("the server exited");
    try {
      if ((await fetch(`${base}/api/v1/firewalls?limit=1`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("the server did not start");
}

/** A 20 MB plain list: one address per line, the published US ones first. */
function bigList(): string {
  const lines = ["52.1.37.96", "52.1.32.88"];
  let size = 0;
  for (let i = 0; size < 20 * 1024 * 1024 - 20; i++) {
    const line = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    lines.push(line);
    size += line.length + 1;
  }
  return `${lines.join("\n")}\n`.slice(0, 20 * 1024 * 1024);
}

/** The big-diff client: POSTs the file again and again until stdin closes; one JSON line per answer. */
const BIG_CLIENT = `
const http = require("node:http"); const fs = require("node:fs");
const [url, file, token] = process.argv.slice(1); const body = fs.readFileSync(file);
let stop = false; process.stdin.on("end", () => (stop = true)); process.stdin.resume();
(async function loop() {
  while (!stop) {
    const t0 = performance.now();
    const r = await new Promise((resolve) => {
      const req = http.request(url, { method: "POST", headers: { "content-type": "text/plain", "content-length": body.length, authorization: "Bearer " + token } }, (res) => {
        let bytes = 0; res.on("data", (c) => (bytes += c.length)); res.on("end", () => resolve({ status: res.statusCode, bytes }));
      });
      req.on("error", () => resolve({ status: 0, bytes: 0 }));
      req.end(body);
    });
    process.stdout.write(JSON.stringify({ ...r, ms: performance.now() - t0 }) + "\\n");
  }
})();
`;

interface Kind {
  readonly name: string;
  readonly connections: number;
  readonly requests: autocannon.Request[];
}

async function main() {
  if (process.env.SOAK_SKIP_BUILD !== "1") run("npx", ["next", "build"]);
  run("npx", ["tsx", "lib/db/migrate.ts"]);
  // Everything but health needs a signed-in person: an admin made by the CLI, its API token for the API, its session
  // cookie for the pages (both sent on every request; the API reads the token, pages the cookie).
  const password = "soak password 0123456789";
  const made = spawnSync(process.execPath, ["lib/cli/launch.mjs", "user", "create", "--admin", "soak@example.com"], {
    cwd: root,
    env,
    input: `${password}\n`,
    encoding: "utf8",
  });
  if (made.status !== 0) throw new Error(`user create: ${made.stderr}`);
  const minted = spawnSync(
    process.execPath,
    ["lib/cli/launch.mjs", "token", "create", "--user", "soak@example.com", "--role", "admin"],
    { cwd: root, env, encoding: "utf8" },
  );
  if (minted.status !== 0) throw new Error(`token create: ${minted.stderr}`);
  const token = minted.stdout.trim();
  const server = spawn(process.execPath, ["lib/server/server.mjs"], {
    cwd: root,
    env: { ...env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port) },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const stop = () => server.exitCode === null && server.kill("SIGTERM");
  process.on("exit", stop);
  try {
    await waitUp(server);
    const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: "soak@example.com", password }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (signIn.status !== 200 || cookie === "") throw new Error(`sign-in: ${signIn.status}`);
    const auth = { authorization: `Bearer ${token}`, cookie };
    // Twenty saved firewalls to list, view and save to.
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${base}/api/v1/firewalls`, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: JSON.stringify({ name: `soak-${i}`, text: "52.1.37.96\n52.1.32.88\n10.0.0.0/8\n", regions: "us,eu" }),
      });
      if (r.status !== 201) throw new Error(`seeding: ${r.status}`);
    }
    const idle = rssMB(server.pid!);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMB(server.pid!))), 100);

    // Two 20 MB diffs, back to back, for the whole run, from a separate process that streams the answers away (in this
    // one, receiving 2 × ~390 MB would starve autocannon's own timers).
    const bigFile = join(dir, "big.txt");
    writeFileSync(bigFile, bigList());
    const bigRuns: { status: number; ms: number; bytes: number }[] = [];
    const bigClients = (process.env.SOAK_BIG === "0" ? [] : [0, 1]).map(() => {
      const child = spawn(process.execPath, ["-e", BIG_CLIENT, `${base}/api/v1/diff?regions=us`, bigFile, token], {
        stdio: ["pipe", "pipe", "inherit"],
      });
      let buffered = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
          bigRuns.push(JSON.parse(buffered.slice(0, nl)) as { status: number; ms: number; bytes: number });
          buffered = buffered.slice(nl + 1);
        }
      });
      return child;
    });
    const bigDone = Promise.all(bigClients.map((c) => new Promise((resolve) => c.on("exit", resolve))));
    await new Promise((r) => setTimeout(r, 1000));

    let saves = 0;
    // A request's own headers replace autocannon's defaults: each carries the credentials too.
    const json = { "content-type": "application/json", ...auth };
    const only = process.env.SOAK_ONLY?.split(",");
    const allKinds: Kind[] = [
      {
        name: "pages",
        connections: 12,
        requests: [{ path: "/firewalls" }, { path: "/catalog" }, { path: "/firewalls/1" }, { path: "/compare" }],
      },
      { name: "lists", connections: 12, requests: [{ path: "/api/v1/firewalls" }, { path: "/api/v1/firewalls/2" }] },
      {
        name: "diffs+exports",
        connections: 14,
        requests: [
          {
            path: "/api/v1/diff?regions=us",
            method: "POST",
            headers: { "content-type": "text/plain", ...auth },
            body: "52.1.37.96\n52.1.32.88\n10.0.0.0/8\n",
          },
          { path: "/api/v1/firewalls/3/diff" },
          { path: "/api/v1/export?format=nftables&regions=us,eu" },
          {
            path: "/api/v1/export",
            method: "POST",
            headers: json,
            body: JSON.stringify({ format: "iptables", regions: "us", missingFrom: { text: "52.1.37.96\n" } }),
          },
        ],
      },
      {
        name: "saves",
        connections: 12,
        requests: [
          {
            path: "/api/v1/firewalls",
            method: "POST",
            headers: json,
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({
                name: `soak-new-${process.pid}-${saves++}`,
                text: "52.1.37.96\n3.74.148.8\n",
                regions: "us,eu",
              }),
            }),
          },
        ],
      },
    ];
    const kinds = allKinds.filter((k) => !only || only.includes(k.name));
    const results = await Promise.all(
      kinds.map((k) =>
        autocannon({
          url: base,
          connections: k.connections,
          duration: seconds,
          timeout: 10,
          headers: auth,
          requests: k.requests,
        }),
      ),
    );
    for (const c of bigClients) c.stdin.end(); // finish the diff in flight, then stop
    await bigDone;
    clearInterval(sampler);

    const rows = kinds.map((k, i) => {
      const r = results[i]!;
      return {
        kind: k.name,
        requests: r.requests.total,
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        p50ms: r.latency.p50,
        p99ms: r.latency.p99,
        maxms: r.latency.max,
      };
    });
    const bigOk = bigRuns.filter((b) => b.status === 200);
    console.log(
      `\nSoak: ${seconds} s at concurrency ${kinds.reduce((n, k) => n + k.connections, 0)}, two 20 MB diffs running throughout`,
    );
    console.table(rows);
    console.log(
      `20 MB diffs: ${bigRuns.length} done, ${bigOk.length} × 200, ${bigRuns.filter((b) => b.status === 503).length} × 503, others ${bigRuns.length - bigOk.length - bigRuns.filter((b) => b.status === 503).length}; ` +
        `${bigOk.length ? `median ${Math.round(bigOk.map((b) => b.ms).sort((a, b) => a - b)[bigOk.length >> 1]!)} ms, ${Math.round(bigOk[0]!.bytes / 1e6)} MB answer` : ""}`,
    );
    console.log(`Server RSS: ${idle} MB idle, ${peak} MB peak`);
    console.log(
      JSON.stringify({ seconds, rows, bigDiffs: { runs: bigRuns.length, ok: bigOk.length }, rssMB: { idle, peak } }),
    );
    const bad = rows.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0) + (bigRuns.length - bigOk.length);
    process.exitCode = bad === 0 ? 0 : 1;
  } finally {
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
