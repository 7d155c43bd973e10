/** DATABASE_URL → where the data lives. Apart from lib/db/client.ts so reading it never loads Prisma. */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DatabaseError } from "./errors";
import { projectRoot } from "./paths";

export const DEFAULT_DATABASE_URL = "file:./data/allowlist.db";

/** How long a SQLite write waits for another process's write lock (the CLI beside the app) before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** DATABASE_URL, or the embedded SQLite file under data/. */
export function databaseUrl(): string {
  return process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
}

export type DatabaseTarget =
  { readonly kind: "sqlite"; readonly path: string } | { readonly kind: "postgres"; readonly url: string };

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
