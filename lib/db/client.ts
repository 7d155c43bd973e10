import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client";
import { DatabaseError } from "./errors";
import { projectRoot } from "./paths";

export type Db = PrismaClient;

export const DEFAULT_DATABASE_URL = "file:./data/allowlist.db";

/** DATABASE_URL, or the embedded SQLite file under data/. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

export type DatabaseTarget =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgres"; readonly url: string };

/** Where a URL points. Relative SQLite paths are taken from the project root, not the cwd, so the CLI,
 *  the app and the tests agree on one file whatever directory they start in. */
export function databaseTarget(url: string): DatabaseTarget {
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return { kind: "postgres", url };
  if (url.startsWith("file:")) {
    const rest = url.slice("file:".length).split("?")[0] ?? "";
    const path = rest.startsWith("//") ? fileURLToPath(`file:${rest}`) : rest;
    if (path === "") throw new DatabaseError(`The database URL "${url}" names no file.`);
    return { kind: "sqlite", path: path === ":memory:" ? path : resolve(projectRoot, path) };
  }
  throw new DatabaseError(`The database URL must start with file:, postgres:// or postgresql:// (got "${url}").`);
}

/** The one place a URL becomes a driver adapter. `fileMustExist` is for the app: only migrations create the file. */
export function adapterFactory(url: string, options: { fileMustExist: boolean }): SqlMigrationAwareDriverAdapterFactory {
  const target = databaseTarget(url);
  return target.kind === "sqlite"
    ? new PrismaBetterSqlite3({ url: target.path, fileMustExist: options.fileMustExist })
    : new PrismaPg({ connectionString: target.url });
}

/** A client of its own (tests, one-off commands); the caller disconnects it. */
export function createDb(url: string = databaseUrl()): Db {
  return new PrismaClient({ adapter: adapterFactory(url, { fileMustExist: true }) });
}

const cache = globalThis as typeof globalThis & { allowlistDb?: Db };

/** The process-wide client. Kept on globalThis so development hot reloads do not open a new one each time. */
export function getDb(): Db {
  cache.allowlistDb ??= createDb();
  return cache.allowlistDb;
}
