// `npm run test:postgres`: the database-touching unit suites and the Playwright suite again, on a throwaway PostgreSQL
// cluster (lib/testing/postgres.ts; port TEST_POSTGRES_PORT, default 55432), stopped and deleted afterwards.
// Extra arguments narrow the unit run as in `npm run test:unit -- lib/db`; E2E=0 skips the browser tests.
import { spawnSync } from "node:child_process";

const port = process.env.TEST_POSTGRES_PORT ?? "55432";
const started = spawnSync(process.execPath, ["--import", "tsx", "lib/testing/postgres.ts", "start", port], {
  encoding: "utf8",
});
if (started.status !== 0) {
  console.error(`Could not start a PostgreSQL cluster:\n${started.stderr}`);
  process.exit(1);
}
const cluster = JSON.parse(started.stdout);
console.log(`PostgreSQL for the tests: ${cluster.url} (${cluster.dataDir})`);
const stop = () =>
  spawnSync(process.execPath, ["--import", "tsx", "lib/testing/postgres.ts", "stop", cluster.dataDir], {
    stdio: "inherit",
  });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => (stop(), process.exit(130)));

// On PostgreSQL the app wants the session-signing secret from the environment (no per-machine file).
const env = {
  ALLOWLIST_AUTH_SECRET: "test-only-secret-for-the-postgres-run-0123456789",
  ...process.env,
  TEST_DATABASE: "postgres",
  TEST_POSTGRES_URL: cluster.url,
};
let status =
  spawnSync(process.execPath, ["lib/testing/run-unit.mjs", ...process.argv.slice(2)], { stdio: "inherit", env })
    .status ?? 1;
if (process.env.E2E !== "0") {
  const e2eUrl = new URL(cluster.url);
  e2eUrl.pathname = "/e2e";
  const e2e = spawnSync("npx", ["playwright", "test"], {
    stdio: "inherit",
    env: { ...env, E2E_DATABASE_URL: e2eUrl.toString() },
  });
  status = status || (e2e.status ?? 1);
}
stop();
process.exit(status);
