import { access, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { constants, existsSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { SQLITE_BUSY_TIMEOUT_MS } from "./target";
import { seedCatalogIfEmpty } from "./catalog";
import pg from "pg";
import { createDb, databaseTarget, databaseUrl, pgConfig } from "./client";
import { DatabaseError, errorSummary } from "./errors";
import { displayPath, migrationsDir, projectRoot, schemaFilesFor, schemaPath } from "./paths";
import {
  LOCKFILE_NAME,
  MIGRATION_FILE_NAME,
  NO_FILTER,
  engineErrorMessage,
  lockfileText,
  readMigrations,
  withSchemaEngine,
} from "./schema-engine";

/** SQLite's result codes, as better-sqlite3 names them, in words a person can act on. */
const SQLITE_REASONS: Record<string, string> = {
  SQLITE_NOTADB: "the file is not a SQLite database",
  SQLITE_CORRUPT: "the file is corrupt",
  SQLITE_CANTOPEN: "the file cannot be created or opened there",
  SQLITE_READONLY: "the file is read-only",
  SQLITE_PERM: "permission denied",
  SQLITE_BUSY: "another process holds a lock on it",
  SQLITE_IOERR: "a disk I/O error occurred",
  SQLITE_FULL: "the disk is full",
};

function sqliteReason(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const known = SQLITE_REASONS[code] ?? SQLITE_REASONS[code.split("_").slice(0, 2).join("_")];
  return known ?? errorSummary(error);
}

function cannotOpen(path: string, reason: string): DatabaseError {
  return new DatabaseError(`The database at ${displayPath(path)} could not be opened: ${reason}.`);
}

async function writable(path: string): Promise<boolean> {
  return access(path, constants.W_OK).then(
    () => true,
    () => false,
  );
}

/** Checks, before the schema engine sees it, that the file can be created, read and written, so each
 *  failure gets one clear sentence instead of an engine error. Only the default data/ folder is created:
 *  a missing directory elsewhere is more likely a typo in DATABASE_URL. */
async function checkSqliteFile(path: string): Promise<void> {
  if (path === ":memory:") return;
  const dir = dirname(path);
  if (dir === join(projectRoot, "data")) await mkdir(dir, { recursive: true });
  const dirStat = await stat(dir).catch(() => undefined);
  if (dirStat === undefined) throw cannotOpen(path, `the directory ${displayPath(dir)} does not exist`);
  if (!dirStat.isDirectory()) throw cannotOpen(path, `${displayPath(dir)} is not a directory`);
  const fileStat = await stat(path).catch(() => undefined);
  if (fileStat?.isDirectory()) throw cannotOpen(path, "it is a directory");
  // SQLite falls back to read-only without a word, and needs the directory for its journal.
  if (fileStat !== undefined && !(await writable(path))) throw cannotOpen(path, "the file is not writable");
  if (!(await writable(dir))) throw cannotOpen(path, `the directory ${displayPath(dir)} is not writable`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    db.prepare("SELECT count(*) FROM sqlite_master").get();
    db.exec("BEGIN IMMEDIATE; ROLLBACK;"); // takes the write lock: proves the file and its journal are writable
  } catch (error) {
    throw cannotOpen(path, sqliteReason(error));
  } finally {
    db?.close();
  }
}

async function readSchema(path: string): Promise<{ path: string; content: string }> {
  const content = await readFile(path, "utf8").catch((error: unknown) => {
    throw new DatabaseError(`The Prisma schema ${displayPath(path)} could not be read: ${errorSummary(error)}`);
  });
  return { path, content };
}

/** The advisory lock key every `db:migrate` takes on PostgreSQL ("allowlis", the first eight bytes of "allowlist", as one 64-bit number), so instances started together
 *  migrate one after the other: the first applies, the others find nothing pending. Not Prisma's own key (72707369),
 *  which the engine takes on its own connection while it applies. */
export const MIGRATE_LOCK_KEY = 0x616c6c6f776c6973n;

/** Runs `work` while holding the migration advisory lock on a connection of its own. */
async function withMigrationLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client(pgConfig(url));
  await client.connect().catch((error: unknown) => {
    throw new DatabaseError(`The PostgreSQL database could not be reached: ${errorSummary(error)}.`);
  });
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATE_LOCK_KEY.toString()]);
    try {
      return await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATE_LOCK_KEY.toString()]);
    }
  } finally {
    await client.end();
  }
}

/** Applies the pending migrations (prisma/migrations for SQLite, prisma/postgres/migrations for PostgreSQL) to the
 *  database; returns the names applied, in order. The schema engine records them in `_prisma_migrations` exactly as
 *  `prisma migrate deploy` would. SQLite files are switched to WAL mode (persistent in the file). */
export async function migrateDatabase(
  url: string = databaseUrl(),
  options: { readonly then?: () => Promise<void> } = {},
): Promise<{ applied: string[] }> {
  const target = databaseTarget(url);
  const files = schemaFilesFor(target.kind);
  if (target.kind === "sqlite") await checkSqliteFile(target.path);
  const schema = await readSchema(files.schemaPath);
  const migrationsList = await readMigrations(files.migrationsDir);
  if (migrationsList.migrationDirectories.length === 0) {
    throw new DatabaseError(
      `No migrations found in ${displayPath(files.migrationsDir)}: the installation is incomplete.`,
    );
  }
  const apply = async () => {
    try {
      const { appliedMigrationNames } = await withSchemaEngine(url, schema, (engine) =>
        engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
      );
      return { applied: appliedMigrationNames };
    } catch (error) {
      const what = target.kind === "sqlite" ? `the database at ${displayPath(target.path)}` : "the PostgreSQL database";
      throw new DatabaseError(`Migrating ${what} failed: ${engineErrorMessage(error)}`);
    }
  };
  // `then` (seeding) runs under the same lock, so instances started together cannot both seed.
  const applyThen = async () => {
    const result = await apply();
    if (target.kind === "sqlite" && target.path !== ":memory:") enableWal(target.path);
    await options.then?.();
    return result;
  };
  return target.kind === "postgres" ? withMigrationLock(target.url, applyThen) : applyThen();
}

/** WAL lets the app read while the CLI writes (and the reverse); the mode is stored in the file, so once is enough. */
function enableWal(path: string): void {
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

/** `prisma migrate dev --create-only`: diffs the schema against the migrations (replayed into a scratch
 *  database, so the real one is untouched) and writes the difference as a new migration folder.
 *  Returns the folder name, or null when the schema has no changes. The paths default to prisma/. */
export async function createMigration(
  name: string,
  paths: { readonly migrationsDir?: string; readonly schemaPath?: string } = {},
): Promise<{ created: string | null }> {
  if (!/^[A-Za-z0-9_]+$/.test(name)) {
    throw new DatabaseError(`A migration name may contain only letters, digits and "_" (got "${name}").`);
  }
  const dir = paths.migrationsDir ?? migrationsDir;
  const schema = await readSchema(paths.schemaPath ?? schemaPath);
  const migrationsList = await readMigrations(dir);
  const scratch = await mkdtemp(join(tmpdir(), "allowlist-create-migration-"));
  try {
    const output = await withSchemaEngine(`file:${join(scratch, "scratch.db")}`, schema, async (engine) => {
      await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      // Sets up the shadow database createMigration needs; on a scratch copy it can only ask for a reset
      // when the existing migrations themselves do not replay.
      const { action } = await engine.devDiagnostic({ migrationsList, filters: NO_FILTER });
      if (action.tag === "reset")
        throw new DatabaseError(`The existing migrations do not replay cleanly: ${errorSummary(action.reason)}`);
      return engine.createMigration({
        draft: false,
        migrationName: name,
        migrationsList,
        schema: { files: [schema] },
        filters: NO_FILTER,
      });
    }).catch((error: unknown) => {
      throw error instanceof DatabaseError
        ? error
        : new DatabaseError(`Creating the migration failed: ${engineErrorMessage(error)}`);
    });
    if (output.migrationScript === null) return { created: null };
    const folder = join(dir, output.generatedMigrationName);
    await mkdir(dir, { recursive: true });
    await mkdir(folder).catch((error: unknown) => {
      throw new DatabaseError(`Could not create ${displayPath(folder)}: ${errorSummary(error)}`);
    });
    await writeFile(join(folder, `migration.${output.extension}`), output.migrationScript, "utf8");
    await writeFile(join(dir, LOCKFILE_NAME), lockfileText(output.connectorType), "utf8");
    return { created: output.generatedMigrationName };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function migrateAndSeed(): Promise<void> {
  const url = databaseUrl();
  const target = databaseTarget(url);
  const where = target.kind === "sqlite" ? displayPath(target.path) : "the database";
  const lines: string[] = [];
  const seed = async () => {
    const db = createDb(url);
    try {
      const seeded = await seedCatalogIfEmpty(db);
      lines.push(
        seeded.created
          ? `Seeded catalog version ${seeded.version.version} (${seeded.entryCount} entries).`
          : `Catalog present (version ${seeded.version.version}): nothing to seed.`,
      );
    } finally {
      await db.$disconnect();
    }
  };
  const { applied } = await migrateDatabase(url, { then: seed });
  console.log(
    applied.length === 0
      ? `No pending migrations: ${where} is up to date.`
      : `Applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}.`,
  );
  for (const line of lines) console.log(line);
}

async function createFromCli(name: string): Promise<void> {
  const { created } = await createMigration(name);
  console.log(
    created === null
      ? "No changes: schema.prisma matches the migrations, no migration created."
      : `Created ${displayPath(join(migrationsDir, created, MIGRATION_FILE_NAME))}.`,
  );
}

const USAGE = "usage: tsx lib/db/migrate.ts [--create <name>]";

async function main(args: readonly string[]): Promise<number> {
  try {
    if (args.length === 0) await migrateAndSeed();
    else if (args[0] === "--create" && args.length === 2 && args[1] !== undefined) await createFromCli(args[1]);
    else {
      console.error(USAGE);
      return 2;
    }
    return 0;
  } catch (error) {
    console.error(`error: ${error instanceof DatabaseError ? error.message : errorSummary(error)}`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined || !existsSync(script)) return false; // e.g. inside a bundled server
  return import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isEntryPoint()) {
  // Exit explicitly: the wasm engine and adapters may leave timers that would keep the process alive.
  // Not a top-level await: the command line's bundle (CommonJS, lib/cli/launch.mjs) includes this module.
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
