/**
 * `allowlist db backup FILE` and `allowlist db restore FILE`.
 *
 * SQLite: SQLite's online backup API (better-sqlite3's `backup`), which copies a consistent snapshot page by page while
 * the app keeps reading and writing; restore copies the backup back the same way, into the live file, as one change
 * other connections see all at once.
 * PostgreSQL: `pg_dump --format=custom` (one consistent snapshot) and `pg_restore --clean --if-exists
 * --single-transaction` (all or nothing), from Debian's postgresql-client; the password travels in PGPASSWORD, never on
 * the command line.
 */
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { access, constants } from "node:fs/promises";
import Database from "better-sqlite3";
import { pgConfig } from "./client";
import { DatabaseError, errorSummary } from "./errors";
import { displayPath } from "./paths";
import { databaseTarget } from "./target";

/** The first bytes of every SQLite file, and of every pg_dump custom-format archive. */
const SQLITE_MAGIC = "SQLite format 3\u0000";
const PGDUMP_MAGIC = "PGDMP";

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new DatabaseError(
          error.code === "ENOENT"
            ? `${command} was not found: install Debian's postgresql-client (apt-get install postgresql-client).`
            : `${command}: ${errorSummary(error)}`,
        ),
      ),
    );
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

/** libpq's environment for a URL (PGPASSWORD keeps the password out of `ps`). */
function pgEnv(url: string): NodeJS.ProcessEnv {
  const c = pgConfig(url);
  return {
    ...process.env,
    PGHOST: c.host,
    PGPORT: String(c.port),
    ...(c.user ? { PGUSER: c.user } : {}),
    ...(typeof c.password === "string" ? { PGPASSWORD: c.password } : {}),
    ...(c.database ? { PGDATABASE: c.database } : {}),
  };
}

async function readMagic(file: string, length: number): Promise<string> {
  const { open } = await import("node:fs/promises");
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead).toString("latin1");
  } finally {
    await handle.close();
  }
}

/** Writes a backup of the database at `url` to `file` (which must not exist: a backup never overwrites). */
export async function backupDatabase(url: string, file: string): Promise<void> {
  if (existsSync(file)) throw new DatabaseError(`${displayPath(file)} exists already: choose a new file name.`);
  const target = databaseTarget(url);
  if (target.kind === "sqlite") {
    if (!existsSync(target.path))
      throw new DatabaseError(`There is no database at ${displayPath(target.path)} to back up.`);
    const db = new Database(target.path, { fileMustExist: true, readonly: true });
    try {
      await db.backup(file);
    } catch (error) {
      throw new DatabaseError(`The backup to ${displayPath(file)} failed: ${errorSummary(error)}`);
    } finally {
      db.close();
    }
    return;
  }
  const { code, stderr } = await run(
    "pg_dump",
    ["--format=custom", "--no-owner", "--no-privileges", "--file", file],
    pgEnv(target.url),
  );
  if (code !== 0) throw new DatabaseError(`pg_dump failed: ${errorSummary(stderr.trim())}`);
}

/** Replaces every row of the database at `url` with the backup in `file` (made by backupDatabase for the same kind). */
export async function restoreDatabase(url: string, file: string): Promise<void> {
  await access(file, constants.R_OK).catch(() => {
    throw new DatabaseError(`The backup ${displayPath(file)} cannot be read.`);
  });
  if (!statSync(file).isFile()) throw new DatabaseError(`The backup ${displayPath(file)} is not a file.`);
  const target = databaseTarget(url);
  if (target.kind === "sqlite") {
    if ((await readMagic(file, SQLITE_MAGIC.length)) !== SQLITE_MAGIC) {
      throw new DatabaseError(
        `${displayPath(file)} is not a SQLite backup (a PostgreSQL backup restores only into PostgreSQL).`,
      );
    }
    const source = new Database(file, { fileMustExist: true, readonly: true });
    try {
      const tables = source
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'")
        .all();
      if (tables.length === 0)
        throw new DatabaseError(
          `${displayPath(file)} is a SQLite file but not a backup of this app (no _prisma_migrations).`,
        );
      // The backup API writes into the live file through SQLite's own locking, as one change.
      await source.backup(target.path);
      const restored = new Database(target.path);
      try {
        restored.pragma("journal_mode = WAL");
      } finally {
        restored.close();
      }
    } catch (error) {
      throw error instanceof DatabaseError
        ? error
        : new DatabaseError(`Restoring ${displayPath(file)} failed: ${errorSummary(error)}`);
    } finally {
      source.close();
    }
    return;
  }
  if ((await readMagic(file, PGDUMP_MAGIC.length)) !== PGDUMP_MAGIC) {
    throw new DatabaseError(`${displayPath(file)} is not a PostgreSQL backup (pg_dump custom format).`);
  }
  const env = pgEnv(target.url);
  const { code, stderr } = await run(
    "pg_restore",
    [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--no-privileges",
      "--single-transaction",
      "--exit-on-error",
      "--dbname",
      env.PGDATABASE ?? "postgres",
      file,
    ],
    env,
  );
  if (code !== 0) throw new DatabaseError(`pg_restore failed (nothing was changed): ${errorSummary(stderr.trim())}`);
}
