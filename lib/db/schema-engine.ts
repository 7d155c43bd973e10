import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";
import {
  ColumnTypeEnum,
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
} from "@prisma/driver-adapter-utils";
import { adapterFactory } from "./client";
import { errorSummary } from "./errors";

export type { MigrationList, SchemaEngine };

export const LOCKFILE_NAME = "migration_lock.toml";
export const MIGRATION_FILE_NAME = "migration.sql";
export const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Where the wasm reports a panic's message before it traps with an opaque "unreachable". */
const panics: { message: string | undefined; set_message(message: string): void } = {
  message: undefined,
  set_message(message) {
    this.message = message;
  },
};

let instantiated: Promise<void> | undefined;

/** The package targets bundlers (it imports its .wasm as a module), so Node instantiates it by hand, once. */
function loadSchemaEngine(): Promise<void> {
  instantiated ??= (async () => {
    (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof panics }).PRISMA_WASM_PANIC_REGISTRY = panics;
    const require = createRequire(import.meta.url);
    const wasmPath = join(
      dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
      "schema_engine_bg.wasm",
    );
    const imports = { "./schema_engine_bg.js": bg } as unknown as WebAssembly.Imports;
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), imports);
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return instantiated;
}

/** better-sqlite3 prepares one statement at a time, but the engine sends a whole migration file as one
 *  executeRaw: such a call is re-run as a script. */
function isMultiStatementError(error: unknown): boolean {
  return error instanceof RangeError && /more than one statement/.test(error.message);
}

function acceptingScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = async (query: SqlQuery): Promise<number> => {
    try {
      return await adapter.executeRaw(query);
    } catch (error) {
      if (!isMultiStatementError(error) || query.args.length > 0) throw error;
      await adapter.executeScript(query.sql);
      return 0;
    }
  };
  // A Proxy, not a copy: the adapter's methods use private fields and need the adapter itself as `this`.
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property === "executeRaw") return executeRaw;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Wraps a factory so every connection it hands the engine accepts scripts and is closed afterwards
 *  (engine.free() leaves SQLite connections open and the file locked). */
function trackedFactory(factory: SqlMigrationAwareDriverAdapterFactory) {
  const opened: SqlDriverAdapter[] = [];
  const track = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = await connect();
    opened.push(adapter);
    return acceptingScripts(adapter);
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(() => factory.connect()),
    connectToShadowDb: () => track(() => factory.connectToShadowDb()),
  };
  const disposeAll = async () => {
    await Promise.allSettled(opened.splice(0).map((adapter) => adapter.dispose()));
  };
  return { wrapped, disposeAll };
}

/** An engine error as one line: panics carry their message in the registry; engine errors put the cause
 *  first and a trace after it that names the migration being applied. */
export function engineErrorMessage(error: unknown): string {
  if (error instanceof WebAssembly.RuntimeError && panics.message !== undefined)
    return `schema engine panic: ${errorSummary(panics.message)}`;
  const text = error instanceof Error ? error.message : String(error);
  const migration = /migration_name="([^"]+)"/.exec(text)?.[1];
  return migration === undefined ? errorSummary(text) : `${errorSummary(text)} (in migration ${migration})`;
}

/** Runs `work` with a schema engine connected to `url`, then frees it and closes every connection it opened. */
export async function withSchemaEngine<T>(
  url: string,
  schema: { readonly path: string; readonly content: string },
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadSchemaEngine();
  const { wrapped, disposeAll } = trackedFactory(adapterFactory(url, { fileMustExist: false }));
  const ignoreLog = () => {}; // the engine's tracing output is not shown to users
  let engine: SchemaEngine | undefined;
  try {
    engine = await bg.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      ignoreLog,
      bindMigrationAwareSqlAdapterFactory(wrapped),
    );
    return await work(engine);
  } finally {
    engine?.free();
    await disposeAll();
  }
}

/** The migrations folder as the Prisma CLI hands it to the engine: lock file, then one folder per
 *  migration in name order, each with its migration.sql (or why it could not be read). */
export async function readMigrations(baseDir: string): Promise<MigrationList> {
  const lockContent = await readFile(join(baseDir, LOCKFILE_NAME), "utf8").catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    folders.map(async (name) => ({
      path: name,
      migrationFile: {
        path: MIGRATION_FILE_NAME,
        content: await readFile(join(baseDir, name, MIGRATION_FILE_NAME), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: unknown) => ({ tag: "error" as const, value: errorSummary(error) }),
        ),
      },
    })),
  );
  return {
    baseDir,
    lockfile: { path: LOCKFILE_NAME, content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** The lock file exactly as `prisma migrate dev` writes it. */
export function lockfileText(provider: string): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

/**
 * A connection that holds no database, for engine calls that only compare schema texts (`diff` between two
 * datamodels). On connecting, the PostgreSQL connector asks which server it talks to and whether the `public` schema
 * exists; this answers PostgreSQL 15 with `public` present (what `initdb` makes) and refuses everything else, so any
 * real database access fails loudly instead of being faked.
 */
function offlineAdapter(provider: "postgres" | "sqlite", adapterName: string): SqlDriverAdapter {
  const refuse = (what: string) => Promise.reject(new Error(`the offline schema engine has no database (${what})`));
  return {
    provider,
    adapterName,
    queryRaw: async (query) => {
      if (provider === "postgres" && /version\(\)/.test(query.sql) && /pg_namespace/.test(query.sql)) {
        return {
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, "PostgreSQL 15", 150000]],
        };
      }
      return refuse(query.sql);
    },
    executeRaw: (query) => refuse(query.sql),
    executeScript: (script) => refuse(script),
    startTransaction: () => refuse("a transaction"),
    dispose: async () => {},
  };
}

function offlineFactory(provider: "postgres" | "sqlite"): SqlMigrationAwareDriverAdapterFactory {
  const adapterName = provider === "postgres" ? "@prisma/adapter-pg" : "@prisma/adapter-better-sqlite3";
  const connect = async () => offlineAdapter(provider, adapterName);
  return { provider, adapterName, connect, connectToShadowDb: connect };
}

/** Runs `work` with a schema engine that has the schema but no database (for `diff` between schema texts). */
export async function withOfflineSchemaEngine<T>(
  schemaContent: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  await loadSchemaEngine();
  const provider = /provider\s*=\s*"postgresql"/.test(schemaContent) ? "postgres" : "sqlite";
  let engine: SchemaEngine | undefined;
  try {
    engine = await bg.SchemaEngine.new(
      { datamodels: [["schema.prisma", schemaContent]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(offlineFactory(provider)),
    );
    return await work(engine);
  } finally {
    engine?.free();
  }
}
