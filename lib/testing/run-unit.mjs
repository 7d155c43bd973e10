// Runs every lib/**/*.test.ts with Node's own test runner (Node 20 has no glob support in --test).
// Extra arguments narrow the run to paths containing them: `npm run test:unit -- lib/ip`.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === "generated" || d.name === "node_modules" ? [] : find(path);
    return d.name.endsWith(".test.ts") ? [path] : [];
  });
}

// The suites that touch the database: with TEST_DATABASE=postgres only these run (the rest — IP core, parsers, diff,
// exports, kernel tests — never open a database, so a second run would test nothing new).
const DATABASE_SUITES = ["lib/db/", "lib/api/", "lib/cli/", "lib/notify/", "lib/auth/", "lib/testing/postgres"];
// Within them, files about SQLite itself (the file checks of the migration runner, the read-only fast path the
// command line takes on a SQLite file, WAL and the busy timeout) test nothing on PostgreSQL.
const SQLITE_ONLY = [
  "lib/db/migrate.test.ts",
  "lib/db/catalog-sqlite.test.ts",
  "lib/db/sqlite-concurrency.test.ts",
  "lib/cli/fastpath.test.ts",
  "lib/auth/secrets.test.ts",
  "lib/auth/check-env.test.ts",
  "lib/auth/permissions.test.ts",
];
const onPostgres = process.env.TEST_DATABASE === "postgres";

const filters = process.argv.slice(2);
const files = find("lib")
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .filter((f) => !onPostgres || (DATABASE_SUITES.some((x) => f.includes(x)) && !SQLITE_ONLY.some((x) => f.endsWith(x))))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filters.join(" ")}`);
  process.exit(1);
}
// On PostgreSQL without a given cluster (TEST_POSTGRES_URL), a throwaway one for this run (lib/testing/postgres.ts).
let cluster = null;
if (onPostgres && !process.env.TEST_POSTGRES_URL) {
  const port = process.env.TEST_POSTGRES_PORT ?? "55432";
  const started = spawnSync(process.execPath, ["--import", "tsx", "lib/testing/postgres.ts", "start", port], {
    encoding: "utf8",
  });
  if (started.status !== 0) {
    console.error(`Could not start a PostgreSQL cluster for the tests:\n${started.stderr}`);
    process.exit(1);
  }
  cluster = JSON.parse(started.stdout);
  console.log(`Tests on PostgreSQL: ${cluster.url} (${cluster.dataDir})`);
}
const env = cluster === null ? process.env : { ...process.env, TEST_POSTGRES_URL: cluster.url };

const reporter = process.env.TEST_REPORTER ?? "spec";
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--import",
    "./lib/testing/setup-unit.mjs",
    "--test",
    `--test-reporter=${reporter}`,
    "--test-concurrency=2",
    ...files,
  ],
  { stdio: "inherit", env },
);
if (cluster !== null)
  spawnSync(process.execPath, ["--import", "tsx", "lib/testing/postgres.ts", "stop", cluster.dataDir], {
    stdio: "inherit",
  });
process.exit(result.status ?? 1);
