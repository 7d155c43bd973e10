import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/client";
import { PrismaClient as PgPrismaClient } from "./generated-pg/client";
import { databaseTarget, databaseUrl, SQLITE_BUSY_TIMEOUT_MS } from "./target";

export type Db = PrismaClient;

// Re-exported: the command line imports ./target alone, so its fast path never loads the Prisma client.
export { DEFAULT_DATABASE_URL, databaseTarget, databaseUrl, type DatabaseTarget } from "./target";

export { SQLITE_BUSY_TIMEOUT_MS } from "./target";

/** A postgres URL as separate fields: with a connection string, adapter-pg's shadow database would be the main one. */
export function pgConfig(url: string): PoolConfig {
  const u = new URL(url);
  const params = u.searchParams;
  const host = params.get("host") ?? decodeURIComponent(u.hostname);
  return {
    host: host === "" ? "localhost" : host,
    port: u.port === "" ? Number(params.get("port") ?? 5432) : Number(u.port),
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || undefined,
    max: Number(params.get("connection_limit") ?? 10),
    // libpq's sslmode: require encrypts without checking the certificate, verify-ca/verify-full check it too.
    ...(params.get("sslmode") === "require" ? { ssl: { rejectUnauthorized: false } } : {}),
    ...(params.get("sslmode") === "verify-ca" || params.get("sslmode") === "verify-full"
      ? { ssl: { rejectUnauthorized: true } }
      : {}),
  };
}

/** The one place a URL becomes a driver adapter. `fileMustExist` is for the app: only migrations create the file. */
export function adapterFactory(
  url: string,
  options: { fileMustExist: boolean },
): SqlMigrationAwareDriverAdapterFactory {
  const target = databaseTarget(url);
  return target.kind === "sqlite"
    ? new PrismaBetterSqlite3({
        url: target.path,
        fileMustExist: options.fileMustExist,
        timeout: SQLITE_BUSY_TIMEOUT_MS,
      })
    : new PrismaPg(pgConfig(target.url));
}

/** A client of its own (tests, one-off commands); the caller disconnects it. PostgreSQL has its own generated client
 *  (prisma/postgres/schema.prisma, derived from the same models), so both have the same API and the one `Db` type. */
export function createDb(url: string = databaseUrl()): Db {
  const adapter = adapterFactory(url, { fileMustExist: true });
  return adapter.provider === "postgres"
    ? (new PgPrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }) as unknown as PrismaClient)
    : new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
}

/** How long a transaction may wait to start (a free pool connection, SQLite's one writer) before it fails with
 *  P2028. Prisma's 2 s turned a save into a 500 when two instances shared one database under load; a save that waits
 *  longer is still answered well within a client's timeout. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

const cache = globalThis as typeof globalThis & { allowlistDb?: Db };

/** The process-wide client. Kept on globalThis so development hot reloads do not open a new one each time. */
export function getDb(): Db {
  cache.allowlistDb ??= createDb();
  return cache.allowlistDb;
}
