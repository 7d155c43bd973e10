import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client";
import { databaseTarget, databaseUrl } from "./target";

export type Db = PrismaClient;

// Re-exported: the command line imports ./target alone, so its fast path never loads the Prisma client.
export { DEFAULT_DATABASE_URL, databaseTarget, databaseUrl, type DatabaseTarget } from "./target";

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
