/**
 * Two production app instances on different ports sharing one PostgreSQL, under mixed load for 60 s: reads (pages,
 * lists, one firewall), diffs, exports and firewall saves (creates, and revisions on per-connection firewalls), half on
 * each instance. Prints requests/s, p50/p99 latency and errors per kind, then checks what several instances must
 * guarantee: every acknowledged write is in the database, a stale save on one instance is a 409 after a save on the
 * other, and a status read on one instance right after a save on the other is the new one.
 *
 *   npm run bench:instances                      # builds, starts a throwaway cluster on 127.0.0.1:55440, runs 60 s
 *   BENCH_SKIP_BUILD=1 BENCH_SECONDS=20 npm run bench:instances
 *   BENCH_DATABASE_URL=postgresql://… npm run bench:instances   # an existing (empty) database instead
 *
 * It talks only to 127.0.0.1: the two servers and the cluster it starts; all three are stopped when it ends.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { createPgDatabase, startPgCluster, stopPgCluster } from "../testing/postgres";

const root = fileURLToPath(new URL("../../", import.meta.url));
const seconds = Math.min(Number(process.env.BENCH_SECONDS ?? 60), 60);
const portA = Number(process.env.BENCH_PORT ?? 3292);
const ports = [portA, Number(process.env.BENCH_PORT_B ?? portA + 1)] as const;
const bases = ports.map((p) => `http://127.0.0.1:${p}`);
// Everything but health needs a signed-in person: filled in main() with an admin's API token (the API reads it) and
// session cookie (pages read it), and sent on every request.
const auth: Record<string, string> = {};
const json: Record<string, string> = { "content-type": "application/json" };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed`);
}

async function waitUp(server: ChildProcess, base: string) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`the server on ${base} exited`);
    try {
      if ((await fetch(`${base}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server on ${base} did not start`);
}

async function call(base: string, path: string, method = "GET", body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? auth : json,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : (JSON.parse(text) as Record<string, unknown>) };
}

async function signIn(env: NodeJS.ProcessEnv, base: string): Promise<void> {
  const password = "bench password 0123456789";
  const cli = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, ["lib/cli/launch.mjs", ...args], {
      cwd: root,
      env,
      encoding: "utf8",
      ...(input !== undefined ? { input } : {}),
    });
    if (r.status !== 0) throw new Error(`allowlist ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim();
  };
  cli(["user", "create", "--admin", "bench@example.com"], `${password}\n`);
  const token = cli(["token", "create", "--user", "bench@example.com", "--role", "admin"]);
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: "bench@example.com", password }),
  });
  if (!res.ok) throw new Error(`sign-in: ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  for (const h of [auth, json]) Object.assign(h, { authorization: `Bearer ${token}`, cookie });
}

interface Kind {
  readonly name: string;
  readonly connections: number;
  readonly requests: (instance: number) => autocannon.Request[];
}

async function main() {
  const cluster = process.env.BENCH_DATABASE_URL
    ? null
    : startPgCluster(Number(process.env.BENCH_PG_PORT ?? 55440), { prefix: "allowlist-bench-pg-", durable: true });
  const url = process.env.BENCH_DATABASE_URL ?? (await createPgDatabase(cluster!.url, "bench"));
  const env = { ...process.env, DATABASE_URL: url, NEXT_TELEMETRY_DISABLED: "1" };
  const servers: ChildProcess[] = [];
  const stopAll = () => {
    for (const s of servers) if (s.exitCode === null) s.kill("SIGTERM");
  };
  process.on("exit", stopAll);
  try {
    if (process.env.BENCH_SKIP_BUILD !== "1") run("npx", ["next", "build"], env);
    // Both instances migrate at start, at once, as a deployment would: the advisory lock lets one apply.
    const migrations = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, ["--import", "tsx", "lib/db/migrate.ts"], { cwd: root, env });
            let out = "";
            child.stdout.on("data", (d: Buffer) => (out += d.toString()));
            child.stderr.on("data", (d: Buffer) => (out += d.toString()));
            child.on("exit", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(out))));
          }),
      ),
    );
    console.log(`Migrations, both started together:\n  ${migrations.join("\n  ")}`);
    for (const port of ports) {
      servers.push(
        spawn(process.execPath, ["lib/server/server.mjs"], {
          cwd: root,
          env: { ...env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port) },
          stdio: ["ignore", "ignore", "inherit"],
        }),
      );
    }
    await Promise.all(servers.map((s, i) => waitUp(s, bases[i]!)));
    await signIn(env, bases[0]!);

    // Firewalls to read and diff, and one per saving connection to add revisions to.
    const readIds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await call(bases[i % 2]!, "/api/v1/firewalls", "POST", {
        name: `bench-read-${i}`,
        text: "52.1.37.96\n52.1.32.88\n10.0.0.0/8\n",
        regions: "us,eu",
      });
      if (r.status !== 201) throw new Error(`seeding: ${r.status}`);
      readIds.push(r.body?.id as number);
    }

    // Acknowledged writes, as the clients saw them: created names, and (firewall id → highest revision acknowledged).
    const createdNames: string[] = [];
    const revisions = new Map<number, number>();
    let creates = 0;
    const reviseConnections = 4;
    const reviseIds: number[][] = [[], []];
    for (let inst = 0; inst < 2; inst++) {
      for (let c = 0; c < reviseConnections; c++) {
        const r = await call(bases[inst]!, "/api/v1/firewalls", "POST", {
          name: `bench-rev-${inst}-${c}`,
          text: "52.1.37.96\n",
          regions: "us",
        });
        reviseIds[inst]!.push(r.body?.id as number);
        revisions.set(r.body?.id as number, 1);
      }
    }

    const kinds: Kind[] = [
      {
        name: "reads",
        connections: 8,
        requests: () => [
          { path: "/api/v1/firewalls", headers: auth },
          { path: `/api/v1/firewalls/${readIds[1]}`, headers: auth },
          { path: "/catalog", headers: auth },
          { path: "/firewalls", headers: auth },
        ],
      },
      {
        name: "diffs",
        connections: 6,
        requests: () => [
          {
            path: "/api/v1/diff?regions=us",
            method: "POST",
            headers: { ...auth, "content-type": "text/plain" },
            body: "52.1.37.96\n52.1.32.88\n10.0.0.0/8\n",
          },
          { path: `/api/v1/firewalls/${readIds[2]}/diff`, headers: auth },
        ],
      },
      {
        name: "exports",
        connections: 4,
        requests: () => [
          { path: "/api/v1/export?format=nftables&regions=us,eu", headers: auth },
          {
            path: "/api/v1/export",
            method: "POST",
            headers: json,
            body: JSON.stringify({ format: "iptables", regions: "us", missingFrom: { text: "52.1.37.96\n" } }),
          },
        ],
      },
      {
        name: "creates",
        connections: 4,
        requests: (inst) => [
          {
            path: "/api/v1/firewalls",
            method: "POST",
            headers: json,
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({
                name: `bench-new-${inst}-${creates++}`,
                text: "52.1.37.96\n3.74.148.8\n",
                regions: "us,eu",
              }),
            }),
            onResponse: (status, body) => {
              if (status === 201) createdNames.push((JSON.parse(body) as { name: string }).name);
            },
          },
        ],
      },
    ];
    const results = await Promise.all([
      ...kinds.flatMap((k) =>
        [0, 1].map((inst) =>
          autocannon({
            url: bases[inst]!,
            connections: k.connections / 2,
            duration: seconds,
            timeout: 10,
            requests: k.requests(inst),
          }),
        ),
      ),
      // Revisions: each connection saves to its own firewall, from the head it last saw, so a 409 would be a real bug.
      ...[0, 1].flatMap((inst) =>
        reviseIds[inst]!.map((id) => {
          let head = 1;
          return autocannon({
            url: bases[inst]!,
            connections: 1,
            duration: seconds,
            timeout: 10,
            requests: [
              {
                path: `/api/v1/firewalls/${id}`,
                method: "PUT",
                headers: json,
                setupRequest: (req) => ({
                  ...req,
                  body: JSON.stringify({
                    baseRevision: head,
                    text: `52.1.37.96\n10.1.${inst}.${head % 256}\n`,
                    regions: "us",
                  }),
                }),
                onResponse: (status, body) => {
                  if (status === 200) {
                    head = (JSON.parse(body) as { headRevision: number }).headRevision;
                    revisions.set(id, head);
                  }
                },
              },
            ],
          });
        }),
      ),
    ]);
    const names = [...kinds.map((k) => k.name), "revisions"];
    const rows = names.map((name, n) => {
      const mine = n < kinds.length ? results.slice(n * 2, n * 2 + 2) : results.slice(kinds.length * 2);
      const total = mine.reduce((s, r) => s + r.requests.total, 0);
      const latencies = mine.map((r) => r.latency);
      return {
        kind: name,
        requests: total,
        "req/s": Math.round(total / seconds),
        errors: mine.reduce((s, r) => s + r.errors, 0),
        timeouts: mine.reduce((s, r) => s + r.timeouts, 0),
        non2xx: mine.reduce((s, r) => s + r.non2xx, 0),
        p50ms: Math.max(...latencies.map((l) => l.p50)),
        p99ms: Math.max(...latencies.map((l) => l.p99)),
      };
    });
    const totalRequests = rows.reduce((s, r) => s + r.requests, 0);
    console.log(
      `\nTwo instances (${ports.join(", ")}) on one PostgreSQL, ${seconds} s, concurrency ${kinds.reduce((s, k) => s + k.connections, 0) + reviseConnections * 2}`,
    );
    console.table(rows);
    console.log(
      `All: ${totalRequests} requests, ${Math.round(totalRequests / seconds)} req/s (p50/p99 per kind are the worse of the two instances)`,
    );

    // 1. Every acknowledged write is in the database.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const stored = new Set(
      (await client.query<{ name: string }>('SELECT name FROM "Firewall"')).rows.map((r) => r.name),
    );
    const lostCreates = createdNames.filter((n) => !stored.has(n));
    const heads = new Map(
      (await client.query<{ id: number; headRevision: number }>('SELECT id, "headRevision" FROM "Firewall"')).rows.map(
        (r) => [r.id, r.headRevision],
      ),
    );
    const revRows = (
      await client.query<{ firewallId: number; n: number }>(
        'SELECT "firewallId", count(*)::int AS n FROM "FirewallRevision" GROUP BY 1',
      )
    ).rows;
    const revCount = new Map(revRows.map((r) => [r.firewallId, r.n]));
    const lostRevisions = [...revisions].filter(
      ([id, head]) => (heads.get(id) ?? 0) < head || (revCount.get(id) ?? 0) < head,
    );
    await client.end();
    console.log(
      `Acknowledged: ${createdNames.length} creates, ${[...revisions.values()].reduce((s, h) => s + h - 1, 0)} revisions; missing afterwards: ${lostCreates.length} creates, ${lostRevisions.length} firewalls' revisions`,
    );

    // 2. A stale save on one instance after a save on the other is a 409; 3. the other instance's status is the new one.
    const probe = await call(bases[0]!, "/api/v1/firewalls", "POST", {
      name: "bench-probe",
      text: "52.1.37.96\n",
      regions: "us",
    });
    const id = probe.body?.id as number;
    const before = await call(bases[1]!, `/api/v1/firewalls/${id}`); // B caches revision 1's status
    const saved = await call(bases[0]!, `/api/v1/firewalls/${id}`, "PUT", {
      baseRevision: 1,
      text: "52.1.37.96\n52.1.32.88\n",
      regions: "us",
    });
    const stale = await call(bases[1]!, `/api/v1/firewalls/${id}`, "PUT", {
      baseRevision: 1,
      text: "10.0.0.1\n",
      regions: "us",
    });
    const after = await call(bases[1]!, `/api/v1/firewalls/${id}`);
    const staleOk = saved.status === 200 && stale.status === 409;
    const fresh =
      JSON.stringify(after.body?.status) === JSON.stringify(saved.body?.status) &&
      after.body?.headRevision === 2 &&
      JSON.stringify(before.body?.status) !== JSON.stringify(saved.body?.status);
    console.log(
      `Stale save on the other instance: ${stale.status} (${staleOk ? "ok" : "WRONG"}); status on the other instance after the save: ${fresh ? "fresh" : "STALE"}`,
    );

    const bad =
      rows.reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0) +
      lostCreates.length +
      lostRevisions.length +
      (staleOk ? 0 : 1) +
      (fresh ? 0 : 1);
    console.log(
      JSON.stringify({
        seconds,
        rows,
        totalRequests,
        acknowledged: {
          creates: createdNames.length,
          revisions: [...revisions.values()].reduce((s, h) => s + h - 1, 0),
        },
        lost: lostCreates.length + lostRevisions.length,
        staleOk,
        fresh,
      }),
    );
    process.exitCode = bad === 0 ? 0 : 1;
  } finally {
    stopAll();
    await new Promise((r) => setTimeout(r, 1000));
    if (cluster !== null) stopPgCluster(cluster.dataDir);
  }
}

await main();
process.exit(process.exitCode ?? 0);
