import { existsSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// Not `new URL("../../", import.meta.url)`: Turbopack reads that as an asset to bundle and fails the build.
const fromModule = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The repository root: relative database paths, migrations and the seed document are found from here.
 *  A bundler may relocate this module (import.meta.url then points elsewhere), so fall back to the cwd. */
export const projectRoot = existsSync(resolve(fromModule, "prisma/schema.prisma")) ? fromModule : process.cwd();

export const schemaPath = resolve(projectRoot, "prisma/schema.prisma");
export const migrationsDir = resolve(projectRoot, "prisma/migrations");
/** The PostgreSQL flavour, generated from schema.prisma by `npm run db:pg-schema` (lib/db/pg-schema.ts). */
export const pgSchemaPath = resolve(projectRoot, "prisma/postgres/schema.prisma");
export const pgMigrationsDir = resolve(projectRoot, "prisma/postgres/migrations");

/** The schema and migrations folder a database of this kind is migrated with. */
export function schemaFilesFor(kind: "sqlite" | "postgres"): {
  readonly schemaPath: string;
  readonly migrationsDir: string;
} {
  return kind === "postgres"
    ? { schemaPath: pgSchemaPath, migrationsDir: pgMigrationsDir }
    : { schemaPath, migrationsDir };
}
export const seedDocumentPath = resolve(projectRoot, "lib/catalog/seed/freshworks-nat-ips.txt");

/** A path as a person should read it: relative to the project when inside it. */
export function displayPath(path: string): string {
  const rel = relative(projectRoot, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
