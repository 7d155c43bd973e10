// Starts the production build for the browser tests on its own fresh database.
import { spawnSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { resolve } from "node:path";

const url = process.env.DATABASE_URL ?? "file:./data/e2e.db";
if (url.startsWith("file:")) {
  const file = resolve(url.slice("file:".length));
  for (const suffix of ["", "-journal", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
}
if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
  // A fresh PostgreSQL database of that name, made through the server's maintenance database.
  const { default: pg } = await import("pg");
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`E2E database name "${name}" must be letters, digits and _`);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run("npx", ["tsx", "lib/auth/check-env.ts"]);
run("npx", ["tsx", "lib/db/migrate.ts"]);
if (!process.env.E2E_SKIP_BUILD) run("npx", ["next", "build"]);
const server = spawn(process.execPath, ["lib/server/server.mjs"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: process.env.PORT ?? "3107" },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code) => process.exit(code ?? 0));
