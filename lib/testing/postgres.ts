/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: Debian's server binaries, a data directory under /tmp,
 * listening on 127.0.0.1 and a unix socket in that directory only, trust authentication (nothing but this machine's
 * loopback can reach it), durability settings off unless asked for (a test cluster is deleted afterwards).
 *
 *   npx tsx lib/testing/postgres.ts start [PORT]   prints {"url","dataDir","port"} as JSON; the server keeps running
 *   npx tsx lib/testing/postgres.ts stop DATADIR    stops it and deletes the directory
 *
 * initdb refuses to run as root: as root, the cluster belongs to the `postgres` user Debian's package creates.
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";

export type PgCluster = {
  /** postgresql://postgres@127.0.0.1:PORT/postgres: the superuser on the maintenance database. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
};

/** The newest installed server's bin directory (/usr/lib/postgresql/<n>/bin), or PG_BIN. */
export function postgresBin(): string | null {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(base, versions[0], "bin");
}

function postgresUser(): { uid: number; gid: number } {
  const uid = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0)
    throw new Error("running as root needs the `postgres` user (Debian's postgresql package creates it)");
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function asOwner(command: string, args: readonly string[], asRoot: boolean): { status: number | null; output: string } {
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, [...args]];
  const result = spawnSync(cmd, argv, { encoding: "utf8", timeout: 120_000 });
  return {
    status: result.status,
    output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error?.message ?? ""}`,
  };
}

/** Starts a new cluster on `port`; `durable` keeps fsync on (for tests that kill processes and count rows). */
export function startPgCluster(
  port: number,
  options: { readonly prefix?: string; readonly durable?: boolean } = {},
): PgCluster {
  const bin = postgresBin();
  if (bin === null) throw new Error("PostgreSQL server binaries not found (apt-get install postgresql, or set PG_BIN)");
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), options.prefix ?? "allowlist-pg-"));
  const owner = asRoot ? postgresUser() : null;
  if (owner !== null) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, "data");
  const init = asOwner(
    join(bin, "initdb"),
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
    asRoot,
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.output}`);
  const settings = [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${dir}'`,
    "max_connections = 200",
    "shared_buffers = 32MB",
    options.durable ? "" : "fsync = off\nsynchronous_commit = off\nfull_page_writes = off",
  ].join("\n");
  const conf = join(dataDir, "postgresql.auto.conf");
  const confText = `${settings}\n`;
  writeFileSync(conf, confText);
  if (owner !== null) chownSync(conf, owner.uid, owner.gid);
  const start = asOwner(
    join(bin, "pg_ctl"),
    ["-D", dataDir, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"],
    asRoot,
  );
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.output}`);
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, port, dataDir };
}

/** Stops the cluster (fast shutdown) and deletes its directory. */
export function stopPgCluster(dataDir: string): void {
  const bin = postgresBin();
  if (bin !== null && existsSync(dataDir))
    asOwner(join(bin, "pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"], process.getuid?.() === 0);
  rmSync(join(dataDir, ".."), { recursive: true, force: true });
}

/** The URL of `url` with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a fresh, empty database on the cluster of `adminUrl` and returns its URL. */
export async function createPgDatabase(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z0-9_]{1,63}$/.test(name))
    throw new Error(`database name "${name}" must be [a-z0-9_], at most 63 characters`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return withDatabase(adminUrl, name);
}

/** Drops a database of the cluster (closing its connections first). */
export async function dropPgDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && existsSync(script) && import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isEntryPoint()) {
  const [command, arg] = process.argv.slice(2);
  if (command === "start") {
    const cluster = startPgCluster(Number(arg ?? process.env.TEST_POSTGRES_PORT ?? 55432), {
      durable: process.env.PG_DURABLE === "1",
    });
    console.log(JSON.stringify(cluster));
  } else if (command === "stop" && arg !== undefined) {
    stopPgCluster(arg);
  } else {
    console.error("usage: tsx lib/testing/postgres.ts start [PORT] | stop DATADIR");
    process.exit(2);
  }
}
