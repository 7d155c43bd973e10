import { existsSync } from "node:fs";
import { seedCatalogIfEmpty } from "./catalog";
import { createDb, databaseTarget, databaseUrl } from "./client";
import { DatabaseError, errorSummary } from "./errors";
import { displayPath } from "./paths";

async function seed(): Promise<void> {
  const url = databaseUrl();
  const target = databaseTarget(url);
  if (target.kind === "sqlite" && !existsSync(target.path)) {
    throw new DatabaseError(
      `The database at ${displayPath(target.path)} does not exist yet: run npm run db:migrate (it seeds too).`,
    );
  }
  const db = createDb(url);
  try {
    const { created, version, entryCount } = await seedCatalogIfEmpty(db);
    console.log(
      created
        ? `Seeded catalog version ${version.version} (${entryCount} entries).`
        : `Catalog present (version ${version.version}): nothing to seed.`,
    );
  } finally {
    await db.$disconnect();
  }
}

/** `npm run db:seed`: imports the seed catalog into an already migrated database when it has none. */
async function main(): Promise<number> {
  try {
    await seed();
    return 0;
  } catch (error) {
    console.error(`error: ${error instanceof DatabaseError ? error.message : errorSummary(error)}`);
    return 1;
  }
}

// Exit explicitly: the client's timers would otherwise hold the process open for a while.
process.exit(await main());
