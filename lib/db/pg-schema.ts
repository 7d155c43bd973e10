/**
 * The PostgreSQL schema and migrations, derived from prisma/schema.prisma (the one source of truth for the models).
 *
 *   npm run db:pg-schema          rewrite prisma/postgres/schema.prisma; append a migration when the models changed
 *   npm run db:pg-schema -- --check   exit 1 (and say why) when the checked-in files differ from what would be written
 *
 * The derivation is textual and small: the datasource becomes `postgresql`, the client is generated into
 * lib/db/generated-pg, and every DateTime column is `timestamptz(3)` (instants, not wall-clock times). Text that holds
 * JSON (ExportRecord.options, NotificationDelivery.payload and .log) stays `text`: the app writes and reads it whole and
 * never filters or indexes inside it, so `jsonb` would only reorder keys and normalise numbers the app relies on
 * keeping as written.
 *
 * Migrations are written offline, without a database: the engine diffs the previous PostgreSQL schema (the checked-in
 * file) against the new one, so a rerun after the models changed appends exactly the ALTERs between the two.
 */
import { existsSync, realpathSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DatabaseError, errorSummary } from "./errors";
import { displayPath, pgMigrationsDir, pgSchemaPath, schemaPath } from "./paths";
import {
  LOCKFILE_NAME,
  MIGRATION_FILE_NAME,
  NO_FILTER,
  engineErrorMessage,
  lockfileText,
  withOfflineSchemaEngine,
} from "./schema-engine";

const HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:pg-schema` (lib/db/pg-schema.ts): do not edit, edit that file\n" +
  "// and rerun the command. PostgreSQL flavour of the same models: timestamps with time zone.\n\n";

/** Where a field line's type sits: `  name  Type?  @attr…`. */
const FIELD = /^(\s+)([A-Za-z_][A-Za-z0-9_]*)(\s+)([A-Za-z_][A-Za-z0-9_]*)(\[\]|\?)?(.*)$/;

/** The SQLite schema text → the PostgreSQL schema text. Pure; throws DatabaseError when the input has a shape the
 *  derivation does not know (so a new construct is noticed, not silently copied). */
export function derivePgSchema(sqlite: string): string {
  const lines = sqlite.split("\n");
  const out: string[] = [];
  let block: "generator" | "datasource" | "model" | "other" | null = null;
  let sawProvider = false;
  let sawOutput = false;
  for (const line of lines) {
    const opening = /^(generator|datasource|model|enum|view|type)\s+\w+\s*\{/.exec(line);
    if (opening) {
      const kind = opening[1];
      block = kind === "generator" || kind === "datasource" || kind === "model" ? kind : "other";
      out.push(line);
      continue;
    }
    if (/^\}/.test(line)) {
      block = null;
      out.push(line);
      continue;
    }
    if (block === "datasource" && /^\s*provider\s*=/.test(line)) {
      if (!/"sqlite"/.test(line))
        throw new DatabaseError(`prisma/schema.prisma: the datasource provider must be "sqlite" (${line.trim()}).`);
      out.push(line.replace('"sqlite"', '"postgresql"'));
      sawProvider = true;
      continue;
    }
    if (block === "generator" && /^\s*output\s*=/.test(line)) {
      if (!/"\.\.\/lib\/db\/generated"/.test(line))
        throw new DatabaseError(`prisma/schema.prisma: unexpected generator output (${line.trim()}).`);
      out.push(line.replace('"../lib/db/generated"', '"../../lib/db/generated-pg"'));
      sawOutput = true;
      continue;
    }
    if (block === "model") {
      const field = FIELD.exec(line);
      if (field && field[4] === "DateTime" && !/@db\./.test(field[6] ?? "")) {
        const [, indent, name, gap, type, modifier = "", rest = ""] = field;
        // A comment at the end of the line stays last.
        const comment = rest.indexOf("//");
        const attrs = comment === -1 ? rest.trimEnd() : rest.slice(0, comment).trimEnd();
        const tail = comment === -1 ? "" : ` ${rest.slice(comment)}`;
        out.push(`${indent}${name}${gap}${type}${modifier}${attrs} @db.Timestamptz(3)${tail}`);
        continue;
      }
    }
    out.push(line);
  }
  if (!sawProvider) throw new DatabaseError("prisma/schema.prisma: no datasource provider found.");
  if (!sawOutput) throw new DatabaseError("prisma/schema.prisma: no generator output found.");
  return HEADER + out.join("\n");
}

/** A migration folder name as `prisma migrate dev` makes them: UTC yyyymmddhhmmss_name. */
export function migrationFolderName(now: Date, name: string): string {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${stamp}_${name}`;
}

/** The SQL that takes a database from `from` (a schema text, or nothing) to `to`, written by the engine, offline. */
export async function pgMigrationSql(from: string | null, to: string): Promise<string> {
  const file = (content: string) => ({ files: [{ path: pgSchemaPath, content }] });
  try {
    const result = await withOfflineSchemaEngine(to, (engine) =>
      engine.diff({
        from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", ...file(from) },
        to: { tag: "schemaDatamodel", ...file(to) },
        script: true,
        exitCode: null,
        filters: NO_FILTER,
      }),
    );
    return result.stdout ?? "";
  } catch (error) {
    throw new DatabaseError(`Writing the PostgreSQL migration failed: ${engineErrorMessage(error)}`);
  }
}

/** An empty diff as the engine prints it. */
function isEmptyMigration(sql: string): boolean {
  return sql.trim() === "" || sql.trim() === "-- This is an empty migration.";
}

export type PgSchemaPlan = {
  /** The schema file as it should be. */
  readonly schema: string;
  /** The lock file as it should be. */
  readonly lockfile: string;
  /** A migration to append (folder name and SQL), or null when the checked-in migrations already reach the schema. */
  readonly migration: { readonly folder: string; readonly sql: string } | null;
};

async function readOptional(path: string): Promise<string | null> {
  return readFile(path, "utf8").catch(() => null);
}

/** What the generator would write, from the files as they are. */
export async function planPgSchema(
  paths: { readonly sqliteSchema?: string; readonly pgSchema?: string; readonly pgMigrations?: string } = {},
  now: Date = new Date(),
): Promise<PgSchemaPlan> {
  const sqlite = await readFile(paths.sqliteSchema ?? schemaPath, "utf8");
  const schema = derivePgSchema(sqlite);
  const previous = await readOptional(paths.pgSchema ?? pgSchemaPath);
  const migrationsDir = paths.pgMigrations ?? pgMigrationsDir;
  const folders = (await readdir(migrationsDir, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  // No migrations yet: everything from empty. Otherwise the checked-in schema is what the migrations reach.
  const from = folders.length === 0 ? null : previous;
  if (folders.length > 0 && previous === null) {
    throw new DatabaseError(
      `${displayPath(migrationsDir)} has migrations but ${displayPath(paths.pgSchema ?? pgSchemaPath)} is missing.`,
    );
  }
  let migration: PgSchemaPlan["migration"] = null;
  if (from === null || from !== schema) {
    const sql = await pgMigrationSql(from, schema);
    if (!isEmptyMigration(sql))
      migration = { folder: migrationFolderName(now, folders.length === 0 ? "init" : "models"), sql };
  }
  return { schema, lockfile: lockfileText("postgresql"), migration };
}

/** Writes the plan: the schema, the lock file and the new migration folder, if any. */
export async function writePgSchema(
  plan: PgSchemaPlan,
  paths: { readonly pgSchema?: string; readonly pgMigrations?: string } = {},
): Promise<void> {
  const dir = paths.pgMigrations ?? pgMigrationsDir;
  await mkdir(dir, { recursive: true });
  if (plan.migration !== null) {
    const folder = join(dir, plan.migration.folder);
    if (existsSync(folder)) throw new DatabaseError(`${displayPath(folder)} exists already.`);
    await mkdir(folder);
    await writeFile(join(folder, MIGRATION_FILE_NAME), plan.migration.sql, "utf8");
  }
  await writeFile(join(dir, LOCKFILE_NAME), plan.lockfile, "utf8");
  await writeFile(paths.pgSchema ?? pgSchemaPath, plan.schema, "utf8");
}

/** Why the checked-in files differ from the plan, one sentence each; empty when they do not. */
export async function pgSchemaDrift(
  plan: PgSchemaPlan,
  paths: { readonly pgSchema?: string; readonly pgMigrations?: string } = {},
): Promise<string[]> {
  const problems: string[] = [];
  const schemaFile = paths.pgSchema ?? pgSchemaPath;
  const dir = paths.pgMigrations ?? pgMigrationsDir;
  if ((await readOptional(schemaFile)) !== plan.schema)
    problems.push(`${displayPath(schemaFile)} is not what prisma/schema.prisma derives.`);
  if ((await readOptional(join(dir, LOCKFILE_NAME))) !== plan.lockfile)
    problems.push(`${displayPath(join(dir, LOCKFILE_NAME))} is missing or not "postgresql".`);
  if (plan.migration !== null)
    problems.push(`the PostgreSQL migrations in ${displayPath(dir)} do not reach the models (a migration is missing).`);
  return problems;
}

async function main(args: readonly string[]): Promise<number> {
  try {
    if (args.length === 1 && args[0] === "--check") {
      const problems = await pgSchemaDrift(await planPgSchema());
      for (const p of problems) console.error(`drift: ${p}`);
      if (problems.length > 0) console.error("Run `npm run db:pg-schema` and commit the result.");
      return problems.length === 0 ? 0 : 1;
    }
    if (args.length !== 0) {
      console.error("usage: tsx lib/db/pg-schema.ts [--check]");
      return 2;
    }
    const plan = await planPgSchema();
    await writePgSchema(plan);
    console.log(
      plan.migration === null
        ? `${displayPath(pgSchemaPath)} written; the PostgreSQL migrations are current.`
        : `${displayPath(pgSchemaPath)} written; created ${displayPath(join(pgMigrationsDir, plan.migration.folder, MIGRATION_FILE_NAME))}.`,
    );
    console.log("Now run `npm run db:generate` (or `npm install`) to regenerate both clients.");
    return 0;
  } catch (error) {
    console.error(`error: ${error instanceof DatabaseError ? error.message : errorSummary(error)}`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined || !existsSync(script)) return false;
  return import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isEntryPoint()) process.exit(await main(process.argv.slice(2)));
